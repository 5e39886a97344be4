"""The weekly digest: residents who chose it get no email per update (portal.cases.notify asks wants_digest)
but one email a week listing the public updates of all their complaints. The acknowledgment at filing and the
sign-in codes are never held back. The digest goes through the outbox, written with the account's new
`digest_since` in one transaction: a mail server down delays it, and it is neither lost nor sent twice."""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.complaints.models import Complaint, Filer
from portal.extensions import db
from portal.history import CaseEvent
from portal.notifications import queue_email
from portal.residents.models import Notifications, ResidentAccount, account_email, filed_with
from portal.timeutil import utcnow
from portal.tracking_links import tracking_url

WEEK = timedelta(days=7)


def wants_digest(email):
    """Whether the filer who gave `email` chose the weekly digest over an email per update."""
    address = account_email(email)
    return address is not None and db.session.scalar(
        select(ResidentAccount.id).where(ResidentAccount.email == address,
                                         ResidentAccount.notifications == Notifications.WEEKLY.value)) is not None


def send_weekly_digests(now=None):
    """The worker's weekly round: one digest for every account whose week is over. Returns how many were sent."""
    now = now or utcnow()
    due = db.session.scalars(select(ResidentAccount).where(
        ResidentAccount.notifications == Notifications.WEEKLY.value, ResidentAccount.digest_since <= now - WEEK))
    sent = sum(send_digest(account, now) for account in due.all())
    db.session.commit()
    return sent


def send_digest(account, now):
    """Queue the digest of the public updates since the last one (none: no email); True when one was queued."""
    since, account.digest_since = account.digest_since or now, now
    rows = db.session.execute(
        select(CaseEvent, Complaint).join(Complaint, CaseEvent.complaint_id == Complaint.id)
        .join(Filer, Complaint.filer_id == Filer.id)
        .where(filed_with(account.email), CaseEvent.public, CaseEvent.created_at > since, CaseEvent.created_at <= now)
        .order_by(Complaint.created_at.desc(), Complaint.id, CaseEvent.seq)).all()
    if not rows:
        return False
    cases = {}
    for event, complaint in rows:
        cases.setdefault(complaint, []).append(event)
    queue_email("resident_weekly_digest", account.email, locale=account.locale,
                subject=_l("Your submissions: what changed this week"),
                cases=[(complaint, events, tracking_url(complaint)) for complaint, events in cases.items()])
    return True
