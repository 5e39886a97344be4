"""The permission check at the view edge."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def requires(permission):
    """Only signed-in staff whose role holds `permission` get through; others get 403 (or the login page)."""
    def decorate(view):
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if not current_user.can(permission):
                abort(403)
            return view(*args, **kwargs)
        return guarded
    return decorate
