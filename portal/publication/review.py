"""Publication by a person. A consented answer waits in the reviewers' queue (intake and Sở Nội vụ) with its
public version pre-filled by the machine's redaction; the reviewer reads it against the original, edits it, and
approves it or declines it with a reason. Only an approved version is public (portal/publication/rule.py), and
the server refuses to approve a text in which the detection still finds personal data, naming what is left: the
same refusal that guards a tố cáo's text for the agency."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, literal, select, tuple_
from sqlalchemy.orm import joinedload

from portal.cases.operations import actor
from portal.cases.redaction import MARKER, PUBLIC, identity_left, redact
from portal.cases.workflow import CaseError, check_version
from portal.complaints.models import Complaint
from portal.extensions import db
from portal.history import CaseEvent, record_event
from portal.publication.models import PublicVersion
from portal.publication.rule import APPROVED, DECLINED, SHOWN_STATUSES, WAITING, awaits_review
from portal.timeutil import UTCDateTime

FIELDS = {"subject": _l("The public subject"), "text": _l("The public question"), "reply": _l("The public answer")}
# The SQL face of rule.awaits_review (a reopened case waits again once answered again).
WAITING_CLAUSE = (Complaint.publication_review == WAITING) & Complaint.status.in_(SHOWN_STATUSES)


def machine_version(complaint):
    """{field: text} as the machine suggests it: the question and the latest answer with personal data removed.
    A case approved before keeps its approved subject and question."""
    earlier = complaint.public_version
    return {"subject": earlier.subject if earlier else public_redaction(complaint, complaint.title),
            "text": earlier.text if earlier else public_redaction(complaint, complaint.description),
            "reply": public_redaction(complaint, latest_answer(complaint))}


def public_redaction(complaint, text):
    return redact(text, complaint.filer, complaint.official_name, complaint.dossier_code, scope=PUBLIC,
                  codes=(complaint.code, complaint.reference))


def latest_answer(complaint):
    """The text of the agency's latest public answer to `complaint`."""
    return db.session.scalar(select(CaseEvent.note).where(
        CaseEvent.complaint_id == complaint.id, CaseEvent.action == "answered", CaseEvent.public.is_(True))
        .order_by(CaseEvent.seq.desc()).limit(1)) or ""


def approve_publication(complaint, user, *, version, subject, text, reply):
    """Publish `complaint`'s question and answer as the reviewer wrote them."""
    _check_waiting(complaint, version)
    written = {"subject": subject, "text": text, "reply": reply}
    for name, value in written.items():
        if not value:
            raise CaseError(_l("Please fill in %(field)s.", field=FIELDS[name]))
        _refuse_personal_data(complaint, FIELDS[name], value)
    public = complaint.public_version or PublicVersion(complaint=complaint)
    public.subject, public.text, public.reply, public.approved_by_id = subject, text, reply, user.id
    db.session.add(public)
    complaint.publication_review, complaint.publication_queued_at = APPROVED, None
    record_event(complaint, "publication_approved", actor=actor(user))


def decline_publication(complaint, user, *, version, reason):
    """Keep `complaint`'s answer off the public pages, with the reason in its history."""
    _check_waiting(complaint, version)
    if not reason:
        raise CaseError(_l("Please say why this answer is not published."))
    complaint.publication_review, complaint.publication_queued_at = DECLINED, None
    record_event(complaint, "publication_declined", actor=actor(user), note=reason)


def _check_waiting(complaint, version):
    check_version(complaint, version)
    if not awaits_review(complaint):
        raise CaseError(_l("This answer is not waiting for review any more."))


def _refuse_personal_data(complaint, field, text):
    left = identity_left(text, complaint.filer, complaint.official_name, complaint.dossier_code, scope=PUBLIC,
                         codes=(complaint.code, complaint.reference))
    if left:
        raise CaseError(_l("%(field)s still contains %(items)s. Please remove it (the suggested text replaces it "
                           "with “%(marker)s”) before publishing.", field=field,
                           items=", ".join(str(item) for item in left), marker=MARKER))


def queue_size():
    """(how many answers wait for a reviewer, since when the oldest has waited)."""
    return db.session.execute(select(func.count(), func.min(Complaint.publication_queued_at))
                              .where(WAITING_CLAUSE)).one()



def waiting_page(after=None, limit=50):
    """The complaints waiting for a reviewer, longest waiting first, after the Key `after` (queued_at, id)."""
    query = select(Complaint).where(WAITING_CLAUSE)
    if after is not None and after.due is not None:
        query = query.where(tuple_(Complaint.publication_queued_at, Complaint.id)
                            > tuple_(literal(after.due, UTCDateTime), literal(after.id)))
    return db.session.scalars(query.options(joinedload(Complaint.category), joinedload(Complaint.agency))
                              .order_by(Complaint.publication_queued_at, Complaint.id).limit(limit)).all()
