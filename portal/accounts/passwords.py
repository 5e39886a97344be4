"""Password hashing (argon2) and the rules a new password must meet.

The argon2 cost is a setting, PASSWORD_HASHING, naming one of argon2-cffi's profiles: RFC 9106's low-memory
profile in production (its default), the library's cheapest one in the tests, where each hash would otherwise
cost a fifth of a second. A hash carries its own parameters, so either hasher verifies the other's hashes."""
from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12


def hash_password(password):
    return _hasher().hash(password)


def check_password(password_hash, password):
    try:
        return bool(password_hash) and _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_against_nothing(password):
    """Verify `password` against a stand-in hash, for a refusal that must take as long as checking a real
    account (its timing must not tell whether the account exists)."""
    check_password(_stand_in_hash(current_app.config["PASSWORD_HASHING"]), password)


def _hasher():
    return _hasher_for(current_app.config["PASSWORD_HASHING"])


@cache
def _hasher_for(profile):
    return PasswordHasher.from_parameters(getattr(profiles, profile))


@cache
def _stand_in_hash(profile):
    # Made once per process with the cost every real account's hash has.
    return _hasher_for(profile).hash("no account has this password")


def password_problem(password):
    """A message saying what is wrong with a proposed password, or None."""
    if len(password or "") < MIN_LENGTH:
        return _l("Use at least %(n)d characters; a short sentence is easy to remember.", n=MIN_LENGTH)
    return None
