"""The base of every form: WTForms' and Flask-WTF's own messages ("Not a valid choice.", a missing CSRF token)
in the visitor's language, from the portal's catalog. The libraries ship no Vietnamese catalog, so without this a
Vietnamese resident would be told what to fix in English."""
import re

from flask_babel import get_translations
from flask_wtf import FlaskForm


def N_(message):
    """Marks a library's message for `make extract`; translated when shown."""
    return message


LIBRARY_MESSAGES = (
    N_("Not a valid choice."), N_("This field is required."), N_("Invalid input."), N_("Not a valid integer value."),
    N_("Invalid email address."), N_("The CSRF token is missing."), N_("The CSRF token has expired."),
    N_("The CSRF token is invalid."), N_("The CSRF tokens do not match."), N_("The CSRF session token is missing."),
)


def _library_plurals(ngettext):
    """Never called: marks the library's plural messages for `make extract` (Babel reads `ngettext(...)` calls)."""
    return (ngettext("Field must be at least %(min)d character long.",
                     "Field must be at least %(min)d characters long.", 1),
            ngettext("Field cannot be longer than %(max)d character.",
                     "Field cannot be longer than %(max)d characters.", 1),
            ngettext("Field must be exactly %(max)d character long.",
                     "Field must be exactly %(max)d characters long.", 1),
            N_("Field must be between %(min)d and %(max)d characters long."))


CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # no form means them; PostgreSQL refuses NUL


def clean_text(value):
    """Typed text without surrounding spaces nor control characters (tabs and line breaks stay)."""
    return CONTROL_CHARACTERS.sub("", value).strip() if isinstance(value, str) else value


TRIMMED = [clean_text]


class _CatalogTranslations:
    """The catalog's raw strings: WTForms fills in %(min)d and %(max)d itself (Flask-Babel's own gettext would
    format them first, with nothing to fill them with)."""

    def gettext(self, string):
        return get_translations().ugettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ungettext(singular, plural, n)


class PortalForm(FlaskForm):
    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _CatalogTranslations()
