"""Figures for following up the agencies: overdue and near-due cases, escalations, extension requests, on-time
rates, and how often intake keeps the agency routing suggested.

Aggregates are computed in SQL (GROUP BY); lists select only the columns they show, so that nothing identifying
a filer (name, contact, title, text) is ever loaded here. Every function takes `visible`, the SQL condition of
the cases the viewer may see (`portal.cases.visibility.visible_cases_clause`)."""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, func, or_, select, true

from portal.cases.deadline_checks import HANDLING, REMIND_WITHIN_HOURS
from portal.cases.models import PENDING, ExtensionRequest
from portal.complaints.models import Complaint
from portal.directory.models import Agency, Category
from portal.domain.enums import Kind, Status
from portal.extensions import db
from portal.history import CaseEvent

MIN_CASES = 5  # an agency is ranked only with this many answered cases: one fast case must not top a ranking
NEAR_DUE_HOURS = REMIND_WITHIN_HOURS  # two working days, as for the reminders
RECENT = timedelta(days=30)
# Two working days never span more than this, even across the Tết holiday: the SQL pre-filter before the
# working-hours count.
NEAR_DUE_LOOKAHEAD = timedelta(days=21)


def due_before(moment):
    """SQL condition: the case is open and its current deadline falls before `moment`."""
    waiting = (Complaint.status == Status.RECEIVED.value) & (Complaint.accept_due_at < moment)
    handling = Complaint.status.in_(HANDLING) & (Complaint.resolve_due_at < moment)
    return or_(waiting, handling)


@dataclass(frozen=True)
class DueCase:
    reference: str  # staff name cases by their reference, never the resident's tracking code
    kind: Kind
    status: Status
    category: str
    due: datetime
    late: timedelta | None  # how long past the deadline; None when not yet due
    hours_left: float | None  # working hours until the deadline; None when overdue


@dataclass
class AgencyDue:
    agency: Agency | None  # None: no agency assigned yet
    cases: list = field(default_factory=list)

    @property
    def overdue(self):
        return sum(case.late is not None for case in self.cases)

    @property
    def near_due(self):
        return len(self.cases) - self.overdue


def due_cases_by_agency(now, calendar, visible=None):
    """Open cases overdue or due within two working days, grouped by agency (most overdue first)."""
    rows = db.session.execute(
        select(Complaint.reference, Complaint.kind, Complaint.status, Complaint.accept_due_at, Complaint.resolve_due_at,
               Category, Agency)
        .join(Category, Category.id == Complaint.category_id)
        .outerjoin(Agency, Agency.id == Complaint.agency_id)
        .where(_visible(visible), due_before(now + NEAR_DUE_LOOKAHEAD))
    )
    groups = {}
    for row in rows:
        due_case = _due_case(row, now, calendar)
        if due_case is not None:
            groups.setdefault(row.Agency, AgencyDue(row.Agency)).cases.append(due_case)
    for group in groups.values():
        group.cases.sort(key=lambda c: c.due)
    return sorted(groups.values(), key=lambda g: (-g.overdue, -len(g.cases), _agency_name(g.agency)))


def _due_case(row, now, calendar):
    due = row.accept_due_at if row.status == Status.RECEIVED.value else row.resolve_due_at
    late = now - due if due < now else None
    hours_left = None if late else calendar.working_hours_between(now, due)
    if late is None and hours_left > NEAR_DUE_HOURS:
        return None
    return DueCase(reference=row.reference, kind=Kind(row.kind), status=Status(row.status), category=row.Category.name,
                   due=due, late=late, hours_left=hours_left)


@dataclass(frozen=True)
class Escalation:
    reference: str
    agency: Agency | None
    agency_code: str | None
    deadline: str  # "accept" or "resolve"
    due: datetime | None
    at: datetime


def recent_escalations(now, visible=None, limit=200):
    """Escalations to the Department of Home Affairs in the last 30 days, newest first.

    The agency is the one recorded in the event: the case may have been transferred since."""
    rows = db.session.execute(
        select(CaseEvent.created_at, CaseEvent.data, Complaint.reference)
        .join(Complaint, Complaint.id == CaseEvent.complaint_id)
        .where(_visible(visible), CaseEvent.action == "escalated", CaseEvent.created_at >= now - RECENT)
        .order_by(CaseEvent.created_at.desc(), CaseEvent.id.desc())
        .limit(limit)
    ).all()
    codes = {(row.data or {}).get("agency") for row in rows} - {None}
    agencies = {a.code: a for a in db.session.scalars(select(Agency).where(Agency.code.in_(codes)))} if codes else {}
    return [_escalation(row, agencies) for row in rows]


def _escalation(row, agencies):
    data = row.data or {}
    due = data.get("due")
    return Escalation(reference=row.reference, agency=agencies.get(data.get("agency")), agency_code=data.get("agency"),
                      deadline=data.get("deadline", ""), due=datetime.fromisoformat(due) if due else None,
                      at=row.created_at)


@dataclass(frozen=True)
class ExtensionRow:
    reference: str
    kind: Kind
    agency: Agency | None
    status: str
    requested_at: datetime
    decided_at: datetime | None
    extensions_used: int


def extension_requests(now, visible=None):
    """(pending requests, oldest first; requests decided in the last 30 days, newest first)."""
    rows = db.session.execute(
        select(ExtensionRequest.status, ExtensionRequest.created_at, ExtensionRequest.decided_at,
               Complaint.reference, Complaint.kind, Complaint.extensions_used, Agency)
        .join(Complaint, Complaint.id == ExtensionRequest.complaint_id)
        .outerjoin(Agency, Agency.id == Complaint.agency_id)
        .where(_visible(visible),
               or_(ExtensionRequest.status == PENDING, ExtensionRequest.decided_at >= now - RECENT))
        .order_by(ExtensionRequest.created_at, ExtensionRequest.id)
    )
    requests = [ExtensionRow(reference=r.reference, kind=Kind(r.kind), agency=r.Agency, status=r.status,
                             requested_at=r.created_at, decided_at=r.decided_at, extensions_used=r.extensions_used)
                for r in rows]
    pending = [r for r in requests if r.status == PENDING]
    decided = sorted((r for r in requests if r.status != PENDING), key=lambda r: r.decided_at, reverse=True)
    return pending, decided


@dataclass(frozen=True)
class AgencyRate:
    agency: Agency | None
    answered: int
    on_time: int
    overdue: int

    @property
    def rate(self):
        return self.on_time / self.answered if self.answered else None


@dataclass(frozen=True)
class OnTimeReport:
    days: int
    ranked: list  # agencies with at least MIN_CASES answered cases, best first
    too_few: list  # the others, by name


def on_time_report(now, days, visible=None):
    """Per agency, among the cases answered in the last `days` days, how many were answered by their
    (possibly extended) resolution deadline; and how many of its open cases are overdue now."""
    on_time = func.sum(case((Complaint.answered_at <= Complaint.resolve_due_at, 1), else_=0))
    rows = db.session.execute(
        select(Complaint.agency_id, func.count(Complaint.id).label("total"), on_time.label("on_time"))
        .where(_visible(visible), Complaint.answered_at.is_not(None),
               Complaint.answered_at >= now - timedelta(days=days))
        .group_by(Complaint.agency_id))
    answered = {row.agency_id: (int(row.total), int(row.on_time or 0)) for row in rows}
    overdue = dict(db.session.execute(
        select(Complaint.agency_id, func.count(Complaint.id))
        .where(_visible(visible), due_before(now))
        .group_by(Complaint.agency_id)).all())
    agencies = _agencies(set(answered) | set(overdue))
    rates = [AgencyRate(agencies.get(agency_id), *answered.get(agency_id, (0, 0)), overdue.get(agency_id, 0))
             for agency_id in set(answered) | set(overdue)]
    ranked = sorted((r for r in rates if r.answered >= MIN_CASES),
                    key=lambda r: (-r.rate, -r.answered, _agency_name(r.agency)))
    too_few = sorted((r for r in rates if r.answered < MIN_CASES), key=lambda r: _agency_name(r.agency))
    return OnTimeReport(days=days, ranked=ranked, too_few=too_few)


@dataclass(frozen=True)
class Accuracy:
    kept: int
    total: int

    @property
    def rate(self):
        return self.kept / self.total if self.total else None


def routing_accuracy():
    """How often intake kept the suggested agency when accepting: (overall, {routing rule id: Accuracy}).

    The key None collects accepted complaints that had no routing rule."""
    kept = func.sum(case((Complaint.routing_kept.is_(True), 1), else_=0))
    rows = db.session.execute(
        select(Complaint.routing_rule_id, kept.label("kept"), func.count(Complaint.id).label("total"))
        .where(Complaint.routing_kept.is_not(None))
        .group_by(Complaint.routing_rule_id)
    ).all()
    per_rule = {row.routing_rule_id: Accuracy(int(row.kept or 0), row.total) for row in rows}
    overall = Accuracy(sum(a.kept for a in per_rule.values()), sum(a.total for a in per_rule.values()))
    return overall, per_rule


def _agencies(ids):
    ids = {i for i in ids if i is not None}
    return {a.id: a for a in db.session.scalars(select(Agency).where(Agency.id.in_(ids)))} if ids else {}


def _agency_name(agency):
    return agency.name if agency is not None else ""


def _visible(clause):
    return true() if clause is None else clause
