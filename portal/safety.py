"""Small guards used at the edges: redirects that stay on this site."""
from urllib.parse import urlsplit

from flask import url_for
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup


def safe_next(target, fallback="public.home"):
    """Return `target` only if it is a path on this site (no scheme, no host, no `//`), else the fallback."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for(fallback)


def csrf_token_field():
    """The hidden CSRF input for a small form that has no FlaskForm (a sign-out button)."""
    return Markup('<input name="csrf_token" type="hidden" value="{}">').format(generate_csrf())
