"""Forms of the inspection pages. Each state-changing form carries the version of the inspection it was shown with."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    MultipleFileField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from inspections.forms import TRIMMED, CaseForm
from portal.directory.cached_choices import DirectorySelectField
from portal.forms import PortalForm
from portal.oversight.states import Recommendation


def at_most(length):
    """A hidden field's bound (Length would add a maxlength the hidden input cannot render)."""
    def check(form, field):
        if len(field.data or "") > length:
            raise ValidationError(_l("This value is too long (at most %(n)d characters).", n=length))
    return check


class OpenInspectionForm(PortalForm):
    pattern_dimension = HiddenField(validators=[at_most(20)])  # as the table holds them
    pattern_key = HiddenField(validators=[at_most(300)])
    cases = TextAreaField(_l("Complaints it concerns (their references, one per line)"), filters=TRIMMED,
                          validators=[Length(max=5000)])
    agency = DirectorySelectField(_l("Agency inspected"), validators=[Optional()])
    desk = StringField(_l("One-stop-shop desk (for a check of one desk)"), filters=TRIMMED,
                       validators=[Length(max=200)])
    official_name = StringField(_l("Official concerned"), filters=TRIMMED, validators=[Length(max=200)])
    official_position = StringField(_l("Their position"), filters=TRIMMED, validators=[Length(max=200)])
    party_member = BooleanField(_l("The official is a party member"))
    unannounced = BooleanField(_l("Unannounced public-service check"))
    allegations = TextAreaField(_l("Allegations, or what the check is about"), filters=TRIMMED,
                                validators=[InputRequired(_l("Please write what is alleged or what the check is "
                                                             "about.")), Length(max=10000)])
    plan = TextAreaField(_l("Plan"), filters=TRIMMED, validators=[Length(max=10000)])
    # The date picker sends 2026-12-31; a browser without one shows a text box, where people type 31/12/2026.
    due = DateField(_l("Deadline (Hanoi date)"), format=["%Y-%m-%d", "%d/%m/%Y"],
                    validators=[InputRequired(_l("Please set the deadline as a date, such as 31/12/2026."))])
    members = SelectMultipleField(_l("Team members"), coerce=str, validators=[Optional()])


class StartForm(CaseForm):
    pass


class FindingForm(PortalForm):
    text = TextAreaField(_l("Finding"), filters=TRIMMED,
                         validators=[InputRequired(_l("Please describe the finding.")), Length(max=10000)])
    substantiated = BooleanField(_l("The allegation is substantiated"))
    files = MultipleFileField(_l("Evidence: documents or photos"))


class EstablishForm(CaseForm):
    pass


class ReopenForm(CaseForm):
    reason = TextAreaField(_l("What must still be verified"), filters=TRIMMED, validators=[Length(max=5000)])


class RecommendForm(CaseForm):
    recommendation = SelectField(_l("Recommendation"), choices=[
        SelectChoice("", _l("— Choose —"))] + [SelectChoice(m.value, m.label) for m in Recommendation])
    reason = TextAreaField(_l("Reasoning"), filters=TRIMMED, validators=[Length(max=10000)])


class PartyNoticeForm(PortalForm):
    note = StringField(_l("Notice sent to the party organisation (number and date)"), filters=TRIMMED,
                       validators=[Length(max=300)])


class CloseForm(CaseForm):
    pass
