"""The base of every form: WTForms' and Flask-WTF's own messages ("Not a valid choice.", a missing CSRF token)
in the visitor's language, from the portal's catalog. The libraries ship no Vietnamese catalog, so without this a
Vietnamese resident would be told what to fix in English."""
from flask_babel import gettext, ngettext
from flask_wtf import FlaskForm


def N_(message):
    """Marks a library's message for `make extract`; translated when shown."""
    return message


LIBRARY_MESSAGES = (
    N_("Not a valid choice."), N_("This field is required."), N_("Invalid input."), N_("Not a valid integer value."),
    N_("Invalid email address."), N_("The CSRF token is missing."), N_("The CSRF token has expired."),
    N_("The CSRF token is invalid."), N_("The CSRF tokens do not match."), N_("The CSRF session token is missing."),
)


class _CatalogTranslations:
    def gettext(self, string):
        return gettext(string)

    def ngettext(self, singular, plural, n):
        return ngettext(singular, plural, n)


class PortalForm(FlaskForm):
    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _CatalogTranslations()
