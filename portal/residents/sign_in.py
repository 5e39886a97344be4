"""Signing in with a code sent by email: no password to remember.

The answer to "send me a code" is the same for every email, whether or not anybody filed with it: a denouncer's
email must not be confirmable by typing it here. So a code is sent to whatever valid email is typed (asking is
limited per email and per address), and the account is made only when its code comes back.

A stranger who asks for codes for somebody's email, or types wrong ones, uses up the tries of that email from
unknown browsers only: a browser that signed in with the email before holds a device cookie (OWASP's defence
against lockout) and counts its tries apart, so the resident still gets in."""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from portal import one_time_codes as codes
from portal.extensions import db
from portal.notifications import queue_email
from portal.residents.models import ResidentAccount, ResidentSignInCode
from portal.timeutil import utcnow

LIMIT, SCOPE = "RESIDENT_EMAIL_RATE_LIMIT", "resident-email"


class TooManyTries(Exception):
    """The email has had its share of code requests and wrong codes for now, from whatever addresses."""


def ask_for_code(email, locale, known_device=False):
    """Email a new sign-in code to `email` (an account_email), replacing any earlier one; sent after commit.
    `known_device`: the browser signed in with this email before."""
    _refuse_when_exhausted(email, known_device)
    _count_try(email, known_device)
    _send_code(email, locale)


def sign_in_with(email, typed, locale, known_device=False):
    """The account of `email` (made now on its first sign-in) when `typed` is its current code; else None, and
    the wrong try counts against the email as well as against the code."""
    _refuse_when_exhausted(email, known_device)
    account = _redeem_code(email, typed, locale)
    if account is None:
        _count_try(email, known_device)
    return account


def email_key(email):
    return codes.keyed_digest(f"resident-email:{email}")


def _tries_key(email, known_device):
    return email_key(email) + (":known-device" if known_device else "")


def _refuse_when_exhausted(email, known_device):
    if codes.tries_exhausted(LIMIT, SCOPE, _tries_key(email, known_device)):
        raise TooManyTries


def _count_try(email, known_device):
    codes.count_try(LIMIT, SCOPE, _tries_key(email, known_device))


def _send_code(email, locale):
    row = db.session.get(ResidentSignInCode, email_key(email)) or ResidentSignInCode(email_key=email_key(email))
    db.session.add(row)
    code, row.requested_at = codes.new_code(), utcnow()
    codes.arm(row, _digest(email, code), row.requested_at)
    queue_email("resident_sign_in_code", email, locale=locale, one_time_code=code, minutes=codes.CODE_MINUTES,
                subject=_l("Your sign-in code for the Hanoi feedback portal"))


def _redeem_code(email, typed, locale):
    row = db.session.get(ResidentSignInCode, email_key(email))
    if not codes.redeem(row, _digest(email, codes.typed_code(typed)), utcnow()):
        return None
    account = db.session.scalars(select(ResidentAccount).where(ResidentAccount.email == email)).first()
    if account is None:
        account = ResidentAccount(email=email, created_at=utcnow())
        db.session.add(account)
    account.locale = locale
    return account


def _digest(email, code):
    return codes.keyed_digest(f"resident-sign-in:{email}:{code}")


def forget_old_codes(now=None):
    """A code past its time serves nobody: its row goes a day later (the worker, hourly). Returns how many."""
    cutoff = (now or utcnow()) - timedelta(days=1)
    removed = db.session.execute(delete(ResidentSignInCode).where(ResidentSignInCode.expires_at < cutoff)).rowcount
    db.session.commit()
    return removed
