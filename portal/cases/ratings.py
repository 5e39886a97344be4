"""The resident rates the answer. Satisfied closes the case; dissatisfied within the window reopens it and flags
it to the Department of Home Affairs. An answer nobody rates closes by itself when the window ends."""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.cases import notify
from portal.cases.models import Rating
from portal.cases.operations import resolution_deadline
from portal.cases.visibility import is_secret_identity
from portal.cases.workflow import CaseError, move
from portal.complaints.models import Complaint
from portal.domain.enums import Status
from portal.events import event_label
from portal.extensions import db
from portal.history import record_event
from portal.timeutil import utcnow

RATING_WINDOW = timedelta(days=10)
LEVELS = {
    1: _l("Very dissatisfied"), 2: _l("Dissatisfied"), 3: _l("Neither"), 4: _l("Satisfied"), 5: _l("Very satisfied"),
}
ASPECT_LABELS = {
    "access": _l("Ease of submitting and following it"),
    "procedure": _l("Clarity of the procedure and time taken"),
    "conduct": _l("Officials' conduct and attitude"),
    "result": _l("The result"),
    "handling": _l("How your feedback was handled"),
}


def can_rate(complaint, now=None):
    now = now or utcnow()
    return complaint.status == Status.ANSWERED.value and complaint.answered_at is not None \
        and now - complaint.answered_at <= RATING_WINDOW


def rate(complaint, scores, comment=""):
    """Record the resident's rating and close or reopen the case accordingly."""
    if not can_rate(complaint):
        raise CaseError(_l("This answer can no longer be rated."))
    values = {aspect: int(scores[aspect]) for aspect in Rating.ASPECTS}
    if not all(1 <= value <= 5 for value in values.values()):
        raise CaseError(_l("Please choose a level from 1 to 5 for each question."))
    score = sum(values.values()) / len(values)
    satisfied = score >= 3 and values["result"] >= 3
    rating = Rating(complaint_id=complaint.id, score=score, satisfied=satisfied, comment=comment, **values)
    db.session.add(rating)
    if satisfied:
        move(complaint, Status.CLOSED)
        complaint.closed_at = utcnow()
        record_event(complaint, "closed", actor="resident", public=True, data={"score": score})
    else:
        move(complaint, Status.IN_PROGRESS)
        complaint.resolve_due_at = resolution_deadline(complaint, utcnow())  # a new legal period for the agency
        complaint.resolve_reminded_at = complaint.resolve_escalated_at = None
        # The agency reads the resident's words, except a denouncer's: free text may name them (the rating keeps it).
        note = "" if is_secret_identity(complaint) else comment
        record_event(complaint, "reopened", actor="resident", public=True, note=note, data={"score": score})
        record_event(complaint, "escalated", data={"deadline": "dissatisfied", "score": score,
                                                   "agency": complaint.agency.code if complaint.agency else None})
        if complaint.agency is not None:  # the case is back with the agency, with a new deadline
            notify.tell_staff(notify.agency_staff(complaint.agency), "assigned", event_label("reopened"),
                              c=complaint)
    return rating


def close_unrated_answers():
    """Close answered cases whose rating window has passed (the worker runs this)."""
    cutoff = utcnow() - RATING_WINDOW
    stale = db.session.scalars(select(Complaint).where(Complaint.status == Status.ANSWERED.value,
                                                       Complaint.answered_at < cutoff)).all()
    for complaint in stale:
        move(complaint, Status.CLOSED)
        complaint.closed_at = utcnow()
        record_event(complaint, "closed", public=True, data={"unrated": True})
    db.session.commit()
    return len(stale)
