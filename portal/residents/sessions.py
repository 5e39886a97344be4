"""Which resident a browser is signed in as: the account, the generation it was signed in under (signing out
ends every session of the account) and when, kept in the signed session cookie, apart from staff sessions."""
from datetime import datetime, timedelta

from flask import current_app, request, session
from itsdangerous import BadSignature, URLSafeSerializer

from portal.extensions import db
from portal.residents.models import ResidentAccount
from portal.timeutil import utcnow
from portal.tracking import VERIFIED

SIGNED_IN = "resident"
PENDING = "resident_pending"  # the email a code was asked for, until the code is typed


def begin(account):
    """Sign `account` in; cases opened in this browser before (by somebody else, perhaps) are closed again."""
    for key in (PENDING, VERIFIED):
        session.pop(key, None)
    session[SIGNED_IN] = [account.id, account.session_generation, utcnow().isoformat()]


def current_account():
    """The signed-in resident's account, or None (never signed in, signed out, or signed in too long ago)."""
    try:
        account_id, generation, since = session.get(SIGNED_IN) or (None, None, None)
        started = datetime.fromisoformat(since) if since else None
    except (TypeError, ValueError):
        return None
    if started is None or utcnow() - started > timedelta(seconds=current_app.config["PERMANENT_SESSION_LIFETIME"]):
        return None
    account = db.session.get(ResidentAccount, account_id) if isinstance(account_id, int) else None
    return account if account is not None and account.session_generation == generation else None


def end(account):
    """Sign out here and everywhere else the account is signed in; close the cases it opened in this browser."""
    if account is not None:
        account.session_generation += 1
    for key in (SIGNED_IN, PENDING, VERIFIED):
        session.pop(key, None)


# A browser that signed in with an email keeps, for a year, a signed cookie naming the email's key (an HMAC, not the
# email): its sign-in tries count apart from strangers' (portal/residents/sign_in.py).
DEVICE_COOKIE = "resident_device"
DEVICE_DAYS = 365


def _device_serializer():
    return URLSafeSerializer(current_app.secret_key, salt="resident-device")


def is_known_device(email_key):
    try:
        return _device_serializer().loads(request.cookies.get(DEVICE_COOKIE, "")) == email_key
    except BadSignature:
        return False


def remember_device(response, email_key):
    response.set_cookie(DEVICE_COOKIE, _device_serializer().dumps(email_key), max_age=DEVICE_DAYS * 86400,
                        httponly=True, samesite="Lax", secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
                        path="/account/")
    return response
