"""Filing a complaint: one transaction stores it, its first history event and its acknowledgment email."""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.cases.leadership import impartial_agency
from portal.complaints.codes import new_code, new_reference
from portal.complaints.models import Complaint, Filer
from portal.directory.cache import code_ids
from portal.directory.models import Agency, Category, ProblemType, Ward
from portal.directory.routing import routed
from portal.domain.deadlines import initial_deadlines
from portal.domain.enums import FilerType, Kind, Status
from portal.extensions import db
from portal.history import record_event
from portal.notifications import queue_email
from portal.patterns.officials import set_grouping_keys
from portal.timeutil import to_local, utcnow
from portal.tracking_links import tracking_url


@dataclass
class FilerDetails:
    filer_type: str = FilerType.INDIVIDUAL.value
    full_name: str = ""
    organisation: str = ""
    tax_code: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    contact_preference: str = "email"


@dataclass
class Submission:
    """What a resident submits, already checked by the form (or by the API)."""

    kind: str
    category: str
    problem_type: str
    title: str
    description: str
    ward: str = ""
    concerned_agency: str = ""
    official_name: str = ""
    official_position: str = ""
    procedure_name: str = ""
    dossier_code: str = ""
    filer: FilerDetails | None = None  # None: anonymous
    attachments: list = field(default_factory=list)
    locale: str = "vi"
    channel: str = "web"  # the web form, or "api" (Open311)
    publish: bool = False  # the filer agrees to publication (reports and recommendations only)


def file_complaint(submission):
    """Store a new complaint with its routing, deadlines, first event and acknowledgment (not committed)."""
    kind = Kind(submission.kind)
    if submission.filer is None and not kind.allows_anonymous:
        raise ValueError(f"{kind.value} cannot be anonymous")
    if submission.publish and not kind.may_be_published:
        raise ValueError(f"{kind.value} is never published")
    complaint = Complaint(
        code=_unique(Complaint.code, new_code),
        reference=_unique(Complaint.reference, new_reference),
        kind=kind.value,
        status=Status.RECEIVED.value,
        locale=submission.locale,
        channel=submission.channel,
        anonymous=submission.filer is None,
        publish_consent=submission.publish,
        filer=Filer(**vars(submission.filer)) if submission.filer else None,
        category_id=_id_of(Category, submission.category),
        problem_type_id=_id_of(ProblemType, submission.problem_type),
        ward_id=_id_of(Ward, submission.ward),
        concerned_agency_id=_id_of(Agency, submission.concerned_agency),
        title=submission.title,
        description=submission.description,
        official_name=submission.official_name,
        official_position=submission.official_position,
        procedure_name=submission.procedure_name,
        dossier_code=submission.dossier_code,
        created_at=utcnow(),
    )
    set_grouping_keys(complaint)
    agency_id, agency_code, complaint.routing_rule_id = _route(complaint)
    complaint.agency_id = complaint.suggested_agency_id = agency_id
    complaint.accept_due_at, complaint.resolve_due_at = initial_deadlines(kind, complaint.created_at)
    complaint.attachments = list(submission.attachments)
    for attachment in complaint.attachments:  # a denouncer's files reach the agency only once intake allows
        attachment.shared_with_agency = kind is not Kind.TO_CAO
    db.session.add(complaint)
    record_event(complaint, "filed", actor="resident", public=True,
                 data={"agency": agency_code, "rule": complaint.routing_rule_id,
                       "attachments": len(complaint.attachments)})
    _acknowledge(complaint)
    return complaint


def _id_of(model, code):
    """The id of the directory row with this code (any row, active or not: the form decides what is offered),
    from the directory cache."""
    if not code:
        return None
    row_id = code_ids(model).get(code)
    if row_id is None:
        raise LookupError(f"unknown {model.__tablename__} {code!r}")
    return row_id


def _route(complaint):
    """(agency id, agency code, rule id): the routing rules' choice, or the body above the agency the named
    official leads (rows are loaded only then)."""
    decision = routed(complaint.category_id, complaint.problem_type_id, complaint.ward_id)
    if not complaint.official_name or decision.agency_id is None:
        return decision.agency_id, decision.agency_code, decision.rule_id
    agency = impartial_agency(complaint, db.session.get(Agency, decision.agency_id))
    return agency.id, agency.code, decision.rule_id


def _unique(column, draw):
    """A new value of `column` (the tracking code or the staff reference) drawn by `draw(year)`, not yet used."""
    year = to_local(utcnow()).year
    while True:
        value = draw(year)
        if db.session.scalars(select(Complaint.id).where(column == value)).first() is None:
            return value


def _acknowledge(complaint):
    if complaint.filer is None or not complaint.filer.email:
        return
    queue_email(
        "acknowledgment",
        complaint.filer.email,
        locale=complaint.locale,
        subject=_l("We have received your submission %(code)s", code=complaint.code),
        complaint=complaint,
        c=complaint,
        link=tracking_url(complaint),
    )
