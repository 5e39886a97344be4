"""Who may open a case's details on the public tracking page, and how they prove it.

- Every kind: the signed private link from the confirmation page or an email.
- Phản ánh, kiến nghị, khiếu nại: the tracking code plus the phone or email given when filing. Failed checks are
  counted per case (not only per address), so a guess cannot be retried from many addresses.
- Tố cáo: the code plus a contact opens nothing, because the agency accused may hold the code and a suspect's
  phone: any answer that differs between a right and a wrong guess would confirm who the denouncer is. Instead
  the filer asks for a one-time code, which is sent to the email given when filing only when the typed contact
  matches it; the answer is the same either way. A one-time code is short-lived, single use, stored only as an
  HMAC keyed with the application's secret, and allows a few tries."""
import hmac

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.complaints.validators import canonical_email, canonical_phone
from portal.domain.enums import Kind
from portal.extensions import db
from portal.notifications import render_email
from portal.one_time_codes import (
    CODE_LIFETIME,
    arm,
    count_try,
    keyed_digest,
    new_code,
    redeem,
    tries_exhausted,
    typed_code,
)
from portal.outbox import enqueue
from portal.timeutil import UTCDateTime, utcnow


class OneTimeCode(db.Model):
    """The one-time code last sent for a case (one row per case; a new request replaces the code)."""

    __tablename__ = "one_time_code"
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), primary_key=True)
    digest: Mapped[str | None] = mapped_column(String(64))  # None once used, expired by tries, or never sent
    tries_left: Mapped[int] = mapped_column(Integer, default=0)
    expires_at = mapped_column(UTCDateTime)
    requested_at = mapped_column(UTCDateTime)


def needs_one_time_code(complaint):
    """A tố cáo is never opened by its code plus a contact."""
    return complaint.kind == Kind.TO_CAO.value


def contact_matches(complaint, typed):
    """Whether `typed` is the phone or the email given when filing (in any spelling the form accepts)."""
    filer = complaint.filer
    if filer is None:
        return False
    candidates = [(canonical_phone(typed), filer.phone), (canonical_email(typed), filer.email)]
    return any(given and stored and hmac.compare_digest(given.casefold().encode(), stored.casefold().encode())
               for given, stored in candidates)


def attempts_exhausted(complaint):
    """Whether the case has had its share of attempts (failed contact checks, code requests, wrong one-time
    codes) for now, from whatever addresses they came."""
    return tries_exhausted("TRACK_CASE_RATE_LIMIT", "track-case", complaint.code)


def count_attempt(complaint):
    count_try("TRACK_CASE_RATE_LIMIT", "track-case", complaint.code)


def request_code(complaint, typed_contact):
    """Send a one-time code to the filer's own email when `typed_contact` is theirs; otherwise do nothing that
    the requester could tell apart (the same row is written, the email leaves later through the outbox)."""
    row = db.session.get(OneTimeCode, complaint.id) or OneTimeCode(complaint_id=complaint.id)
    db.session.add(row)
    row.requested_at = utcnow()
    code = new_code()
    email = complaint.filer.email if complaint.filer is not None else ""
    message = render_email("one_time_code", email, locale=complaint.locale, c=complaint, one_time_code=code,
                           minutes=int(CODE_LIFETIME.total_seconds() // 60),
                           subject=_l("Your one-time code for case %(code)s", code=complaint.code))
    if not email or not contact_matches(complaint, typed_contact):
        return  # the same work was done (the email rendered, the row written), only nothing is sent
    arm(row, _digest(complaint, code), row.requested_at)
    enqueue("email", message, complaint=complaint)


def redeem_code(complaint, typed):
    """True, once, for the right code before it expires; each wrong try uses up one of the code's tries."""
    return redeem(db.session.get(OneTimeCode, complaint.id), _digest(complaint, typed_code(typed)), utcnow())


def _digest(complaint, code):
    return keyed_digest(f"one-time:{complaint.id}:{code}")
