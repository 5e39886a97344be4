"""Small guards used at the edges: redirects that stay on this site."""
from urllib.parse import urlsplit

from flask import url_for


def safe_next(target, fallback="public.home"):
    """Return `target` only if it is a path on this site (no scheme, no host, no `//`), else the fallback."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for(fallback)
