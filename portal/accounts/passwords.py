"""Password hashing (argon2) and the rules a new password must meet."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

_hasher = PasswordHasher()
MIN_LENGTH = 12


def hash_password(password):
    return _hasher.hash(password)


def check_password(password_hash, password):
    try:
        return bool(password_hash) and _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password):
    """A message saying what is wrong with a proposed password, or None."""
    if len(password or "") < MIN_LENGTH:
        return _l("Use at least %(n)d characters; a short sentence is easy to remember.", n=MIN_LENGTH)
    return None
