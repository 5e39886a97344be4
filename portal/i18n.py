"""Language choice: Vietnamese first, English second, switchable on every page without JavaScript."""
from flask import Blueprint, current_app, has_request_context, redirect, request, session
from flask_babel import get_locale

from portal.safety import safe_next

bp = Blueprint("i18n", __name__)


def select_locale():
    """The visitor's choice if they made one; otherwise Vietnamese."""
    chosen = session.get("lang") if has_request_context() else None
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
