"""Language choice: Vietnamese first, English second, switchable on every page without JavaScript."""
from functools import cached_property

from flask import Blueprint, current_app, g, has_app_context, has_request_context, redirect, request, session
from flask_babel import Babel, Domain, get_locale

from portal.safety import safe_next

bp = Blueprint("i18n", __name__)
_CATALOG = "_portal_catalog"


class CatalogOncePerContext(Domain):
    """Flask-Babel's message domain, with the catalog looked up once per request (and per forced language)
    instead of once per string: that lookup was most of the 12 µs each string cost, and a staff page translates a
    few hundred."""

    def get_translations(self):
        if not has_app_context():
            return super().get_translations()
        locale = get_locale()  # force_locale (emails) swaps in another Locale object, and back afterwards
        memo = g.get(_CATALOG)
        if memo is None or memo[0] is not locale:
            memo = (locale, super().get_translations())
            setattr(g, _CATALOG, memo)
        return memo[1]


class PortalBabel(Babel):
    """Flask-Babel with the domain above as every gettext's (Flask-Babel builds its default domain here)."""

    @cached_property
    def domain_instance(self):
        return CatalogOncePerContext(domain=self.domain)


def select_locale():
    """The language a request asked for (an API client's `locale`), the visitor's choice if they made one;
    otherwise Vietnamese."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = g.get("language") or session.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language():
    return str(get_locale() or "vi")


def localized(vietnamese, english):
    """Pick the text in the visitor's language (Vietnamese outside a request)."""
    language = current_language() if has_request_context() else "vi"
    return english if language == "en" and english else vietnamese


@bp.route("/lang/<language>")
def switch(language):
    if language in current_app.config["LANGUAGES"]:
        session["lang"] = language
    return redirect(safe_next(request.args.get("next")))


def N_(message):
    """Mark a message for the catalog where it is translated later (with its parameters)."""
    return message
