"""Friendly error pages in the visitor's language; never a stack trace."""
from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from portal.extensions import db
from portal.open311.formats import errors, requested_format

API_PREFIX = "/open311/v2/"

PAGES = {
    400: (_l("Something in the request was wrong"),
          _l("Please go back, check what you entered and try again.")),
    403: (_l("Not allowed"), _l("You do not have permission to see this page.")),
    404: (_l("Page not found"), _l("Please check the address, or start again from the home page.")),
    413: (_l("Files too large"),
          _l("Together your files exceed 25 MB. Please go back and attach smaller photos or fewer files.")),
    429: (_l("Too many requests"), _l("Please wait a few minutes and try again.")),
    500: (_l("Something went wrong on our side"),
          _l("Please try again in a few minutes. If you were sending a form, go back: "
             "your browser still holds what you typed.")),
}


def _own_page(error):
    """A response the view prepared for its error (the filing form re-shown when over the rate limit)."""
    return getattr(error, "response", None)


def render_error(code, message=None):
    title, default_message = PAGES[code]
    return render_template("errors/error.html", code=code, title=title, message=message or default_message), code


def _answer(code, error):
    """The view's own answer, the Open311 error list for the API's addresses, or the page in the visitor's
    language."""
    if _own_page(error):
        return _own_page(error)
    if request.path.startswith(API_PREFIX):
        return errors(requested_format(), code, PAGES[code][0])
    return render_error(code)


def register(app):
    for code in PAGES:
        app.register_error_handler(code, lambda error, code=code: _answer(code, error))
    app.register_error_handler(405, lambda error: errors(requested_format(), 405, error.description)
                               if request.path.startswith(API_PREFIX) else error.get_response())
    app.register_error_handler(CSRFError, lambda error: render_error(
        400, _l("This form has expired. Please go back, reload the page and send it again.")))

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return _answer(500, error)
