"""Password hashing (argon2) and the rules a new password must meet."""
from functools import cache

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


def check_against_nothing(password):
    """Verify `password` against a stand-in hash, for a refusal that must take as long as checking a real
    account (its timing must not tell whether the account exists)."""
    check_password(_stand_in_hash(), password)


@cache
def _stand_in_hash():
    # Made once per process with the hasher's current cost, like every real account's hash.
    return _hasher.hash("no account has this password")


def password_problem(password):
    """A message saying what is wrong with a proposed password, or None."""
    if len(password or "") < MIN_LENGTH:
        return _l("Use at least %(n)d characters; a short sentence is easy to remember.", n=MIN_LENGTH)
    return None
