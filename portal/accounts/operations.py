"""Account operations: create, disable, sign-in with lockout, password reset by email."""
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.accounts.passwords import check_against_nothing, check_password, hash_password, password_problem
from portal.accounts.roles import Role
from portal.database import read_only
from portal.directory.models import Agency
from portal.extensions import db
from portal.notifications import queue_email
from portal.timeutil import utcnow

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
RESET_SALT = "password-reset"
RESET_MAX_AGE = 3600


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message says why."""


def find_user(email):
    return db.session.scalars(select(User).where(func.lower(User.email) == (email or "").strip().lower())).first()


def create_user(email, name, role, password, agency_code=None):
    role = Role(role)
    if find_user(email):
        raise AccountError(f"a user with the email {email} already exists")
    agency = None
    if agency_code:
        agency = db.session.scalars(select(Agency).where(Agency.code == agency_code)).first()
        if agency is None:
            raise AccountError(f"no agency has the code {agency_code}")
    if role.belongs_to_agency and agency is None:
        raise AccountError(f"a user with the role {role.value} needs an agency (--agency CODE)")
    problem = password_problem(password)
    if problem:
        raise AccountError(str(problem))
    user = User(email=email.strip().lower(), name=name.strip(), role=role.value, agency=agency,
                password_hash=hash_password(password))
    db.session.add(user)
    return user


def authenticate(email, password):
    """The user if the password is right and the account open; None otherwise. Failures count towards a
    temporary lock. Every refusal costs one password check, whether the email is unknown, the account disabled
    or locked, so that neither the answer nor its timing tells them apart. The slow check runs between two
    transactions, so on SQLite no writer waits for it. Call it with no transaction open."""
    with read_only():
        user = find_user(email)
        account = (user.id, user.password_hash) if user is not None and user.active else None
    if account is None:
        check_against_nothing(password or "")
        return None
    right = check_password(account[1], password or "")
    user, now = db.session.get(User, account[0]), utcnow()
    if user.locked_until and user.locked_until > now:
        return None
    if not right:
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILURES:
            user.locked_until, user.failed_logins = now + LOCK_FOR, 0
        return None
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    return user


def disable_user(user):
    user.active = False


def end_sessions(user):
    """Sign out every session of the account, on every device and every copy of its cookie: sign-out and a
    password change do this (a single device cannot be signed out alone; one person rarely needs that)."""
    user.session_generation += 1


def _reset_serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def reset_token(user):
    """Valid for an hour and only until the password changes (it carries a piece of the current hash)."""
    return _reset_serializer().dumps([user.id, user.password_hash[-12:]])


def user_for_reset(token):
    try:
        user_id, fingerprint = _reset_serializer().loads(token, max_age=RESET_MAX_AGE)
    except (BadSignature, ValueError):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.password_hash[-12:] != fingerprint:
        return None
    return user


def send_password_reset(email, locale):
    """Email a reset link if the account exists; say nothing either way (no account discovery)."""
    user = find_user(email)
    if user is None or not user.active:
        return
    link = f"{current_app.config['PUBLIC_URL'].rstrip('/')}/staff/password/reset/{reset_token(user)}"
    queue_email("password_reset", user.email, locale=locale, subject=_l("Reset your password"),
                user=user, link=link)


def set_password(user, password):
    problem = password_problem(password)
    if problem:
        raise AccountError(str(problem))
    user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until = 0, None
    end_sessions(user)
