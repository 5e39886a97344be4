"""The residents' forms: an email to send a code to, the code, the choice of notifications."""
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField, StringField
from wtforms.validators import InputRequired, ValidationError

from portal.complaints.validators import email_problem
from portal.forms import PortalForm
from portal.residents.models import Notifications


class EmailForm(PortalForm):
    email = EmailField(_l("Your email"), validators=[InputRequired(_l("Please enter your email."))],
                       description=_l("The email you gave when filing: your submissions filed with it are shown."),
                       render_kw={"autocomplete": "email", "inputmode": "email"})

    def validate_email(self, field):
        problem = email_problem((field.data or "").strip())
        if problem is not None:
            raise ValidationError(problem)


class CodeForm(PortalForm):
    one_time_code = StringField(_l("Code from the email"),
                                validators=[InputRequired(_l("Please enter the code from the email."))],
                                render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"})


class NotificationsForm(PortalForm):
    choice = RadioField(_l("How should we tell you about updates?"), choices=Notifications.choices(),
                        validators=[InputRequired(_l("Please choose one of the two."))])
