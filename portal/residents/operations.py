"""What a signed-in resident does: find their own complaints, withdraw one not yet accepted, choose how updates
are emailed. Operations change the models and record the event; the request commits."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.cases.workflow import CaseError, move
from portal.complaints.codes import normalise
from portal.complaints.models import Complaint, Filer
from portal.domain.enums import Status
from portal.extensions import db
from portal.history import record_event
from portal.residents.digest import send_digest
from portal.residents.models import Notifications, filed_with
from portal.timeutil import utcnow


def own_complaints(account):
    """The complaints filed with the account's email (before or after it existed), newest first."""
    return (select(Complaint).join(Filer, Complaint.filer_id == Filer.id).where(filed_with(account.email))
            .order_by(Complaint.created_at.desc(), Complaint.id.desc()))


def own_complaint(account, code):
    """The account's complaint with this tracking code, or None (also for anybody else's)."""
    code = normalise(code)
    return db.session.scalars(own_complaints(account).where(Complaint.code == code)).first() if code else None


def withdraw(complaint):
    """The filer takes back a complaint the intake desk has not accepted yet; it is not handled."""
    if complaint.status != Status.RECEIVED.value or _others_merged_into(complaint):
        # Once intake has handled other people's complaints with it, they would be dropped with it.
        raise CaseError(_l("This submission can no longer be withdrawn: the intake desk has already decided on "
                           "it. You can still follow it and rate the answer."))
    move(complaint, Status.WITHDRAWN)
    complaint.closed_at = utcnow()
    record_event(complaint, "withdrawn", actor="resident", public=True)


def _others_merged_into(complaint):
    return db.session.scalar(select(Complaint.id).where(Complaint.merged_into_id == complaint.id).limit(1)) is not None


def choose_notifications(account, choice):
    """Each update by email, or one weekly digest. Leaving the digest sends what it held so far at once."""
    choice = Notifications(choice)
    if choice.value == account.notifications:
        return
    now = utcnow()
    if choice is Notifications.WEEKLY:
        account.digest_since = now
    else:
        send_digest(account, now)
    account.notifications = choice.value
