"""Figures for following up the agencies: overdue and near-due cases, escalations, extension requests, on-time
rates, and how often intake keeps the agency routing suggested.

Per-agency counts and rates are read from the figures the worker keeps (portal/figures), so the page costs the
same at any number of cases; lists are pages of an indexed query and select only the columns they show, so that
nothing identifying a filer (name, contact, title, text) is ever loaded here. The figures are city-wide: the
follow-up page is for roles that see every case (`portal.figures.city_wide`)."""
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import func, select

from portal.accounts.models import User
from portal.cases.models import PENDING, ExtensionRequest
from portal.complaints.models import Complaint
from portal.directory.models import Agency, Category
from portal.domain.enums import Kind, Status
from portal.extensions import db
from portal.figures.models import AgencyDay, AgencyNow, RoutingDay
from portal.figures.upkeep import near_due_horizon
from portal.history import CaseEvent
from portal.i18n import localized
from portal.paging import count_up_to, page_of
from portal.timeutil import local_date

MIN_CASES = 5  # an agency is ranked only with this many answered cases: one fast case must not top a ranking
RECENT = timedelta(days=30)
PER_PAGE = 50  # late or nearly late cases per page
RECENT_SHOWN = 20  # escalations and extension requests shown: the latest, with how many there are in all


@dataclass(frozen=True)
class DueCase:
    reference: str  # staff name cases by their reference, never the resident's tracking code
    kind: Kind
    status: Status
    category: str
    agency: Agency | None
    due: datetime
    late: timedelta | None  # how long past the deadline; None when not yet due
    hours_left: float | None  # working hours until the deadline; None when overdue


def due_cases(now, calendar, page=1, agency_id=None, per_page=PER_PAGE):
    """One page of the open cases overdue or due within two working days, soonest deadline first (the most
    overdue lead); working hours are counted only for the rows shown."""
    due = Complaint.current_due_at <= near_due_horizon(now, calendar)
    if agency_id is not None:
        due &= Complaint.agency_id == agency_id
    total = _due_total(agency_id)
    query = select(Complaint.reference, Complaint.kind, Complaint.status, Complaint.current_due_at, Category.name_vi,
                   Category.name_en, Agency) \
        .join(Category, Category.id == Complaint.category_id) \
        .outerjoin(Agency, Agency.id == Complaint.agency_id) \
        .where(due).order_by(Complaint.current_due_at, Complaint.id)
    result = page_of(query, page, per_page, total)
    return replace(result, items=[_due_case(row, now, calendar) for row in result.items])


def _due_total(agency_id=None):
    """How many open cases are overdue or near-due, as the worker last counted them: counting them on every
    request read each of them (117 ms at 1,000,000 complaints on PostgreSQL)."""
    query = select(func.coalesce(func.sum(AgencyNow.overdue + AgencyNow.near_due), 0))
    if agency_id is not None:
        query = query.where(AgencyNow.agency_id == agency_id)
    return int(db.session.scalar(query))


def _due_case(row, now, calendar):
    due = row.current_due_at
    late = now - due if due < now else None
    return DueCase(reference=row.reference, kind=Kind(row.kind), status=Status(row.status),
                   category=localized(row.name_vi, row.name_en), agency=row.Agency,
                   due=due, late=late, hours_left=None if late else calendar.working_hours_between(now, due))


@dataclass(frozen=True)
class Escalation:
    reference: str
    agency: Agency | None
    agency_code: str | None
    deadline: str  # "accept" or "resolve"
    due: datetime | None
    at: datetime


def recent_escalations(now, limit=None):
    """(The most recent escalations to the Department of Home Affairs in the last 30 days, newest first, at most
    `limit`; how many there were in all, up to a thousand). Both through the index on (action, created_at).

    The agency is the one recorded in the event: the case may have been transferred since."""
    limit = limit or RECENT_SHOWN
    recent = (CaseEvent.action == "escalated") & (CaseEvent.created_at >= now - RECENT)
    total = count_up_to(CaseEvent, recent)
    rows = db.session.execute(
        select(CaseEvent.created_at, CaseEvent.data, Complaint.reference)
        .join(Complaint, Complaint.id == CaseEvent.complaint_id)
        .where(recent).order_by(CaseEvent.created_at.desc(), CaseEvent.id.desc()).limit(limit)
    ).all()
    codes = {(row.data or {}).get("agency") for row in rows} - {None}
    agencies = {a.code: a for a in db.session.scalars(select(Agency).where(Agency.code.in_(codes)))} if codes else {}
    return [_escalation(row, agencies) for row in rows], total


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


def extension_requests(now, limit=RECENT_SHOWN):
    """(Pending requests, oldest first; requests decided in the last 30 days, newest first), each at most
    `limit` long, and (how many are pending, how many were decided) in all, up to a thousand."""
    pending = ExtensionRequest.status == PENDING
    decided = (ExtensionRequest.status != PENDING) & (ExtensionRequest.decided_at >= now - RECENT)
    counts = tuple(count_up_to(ExtensionRequest, which) for which in (pending, decided))
    return (_extension_rows(pending, (ExtensionRequest.created_at, ExtensionRequest.id), limit),
            _extension_rows(decided, (ExtensionRequest.decided_at.desc(), ExtensionRequest.id.desc()), limit),
            counts)


def _extension_rows(condition, order, limit):
    rows = db.session.execute(
        select(ExtensionRequest.status, ExtensionRequest.created_at, ExtensionRequest.decided_at,
               Complaint.reference, Complaint.kind, Complaint.extensions_used, Agency)
        .join(Complaint, Complaint.id == ExtensionRequest.complaint_id)
        .outerjoin(Agency, Agency.id == Complaint.agency_id)
        .where(condition).order_by(*order).limit(limit))
    return [ExtensionRow(reference=r.reference, kind=Kind(r.kind), agency=r.Agency, status=r.status,
                         requested_at=r.created_at, decided_at=r.decided_at, extensions_used=r.extensions_used)
            for r in rows]


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


@dataclass(frozen=True)
class AgencySummary:
    agency: Agency | None  # None: not yet with an agency
    open: int
    overdue: int
    near_due: int
    answered: int
    on_time: int

    @property
    def rate(self):
        return self.on_time / self.answered if self.answered else None


def _answered_since(now, days):
    """{agency id: (answered, on time)} over the last `days` Hanoi days (today included), from the figures."""
    rows = db.session.execute(
        select(AgencyDay.agency_id, func.sum(AgencyDay.answered), func.sum(AgencyDay.on_time))
        .where(AgencyDay.day > local_date(now) - timedelta(days=days)).group_by(AgencyDay.agency_id))
    return {agency_id: (int(answered), int(on_time)) for agency_id, answered, on_time in rows}


def _open_now():
    """{agency id: (open, overdue, near-due)} as the worker last counted them."""
    rows = db.session.execute(select(AgencyNow.agency_id, func.sum(AgencyNow.open), func.sum(AgencyNow.overdue),
                                     func.sum(AgencyNow.near_due)).group_by(AgencyNow.agency_id))
    return {agency_id: (int(open_), int(overdue), int(near)) for agency_id, open_, overdue, near in rows}


def agency_summary(now, days):
    """Per agency with open or recently answered cases: open, overdue and near-due cases now, and the on-time
    figures of the last `days` days; most overdue first."""
    answered, current = _answered_since(now, days), _open_now()
    agencies = _agencies(set(answered) | set(current))
    summary = [AgencySummary(agencies.get(agency_id), *current.get(agency_id, (0, 0, 0)),
                             *answered.get(agency_id, (0, 0))) for agency_id in set(answered) | set(current)]
    return sorted(summary, key=lambda s: (-s.overdue, -s.near_due, -s.open, _agency_name(s.agency)))


def officer_load(agency_id):
    """{officer id: open cases they own} in the agency, as the worker last counted them."""
    return dict(db.session.execute(select(AgencyNow.assignee_id, func.sum(AgencyNow.open)).where(
        AgencyNow.agency_id == agency_id, AgencyNow.assignee_id.is_not(None)).group_by(AgencyNow.assignee_id)).all())


@dataclass(frozen=True)
class OfficerSummary:
    officer: object  # the staff member, or None for the agency's cases that no officer owns yet
    open: int
    overdue: int
    answered: int
    on_time: int

    @property
    def rate(self):
        """The on-time rate, only with MIN_CASES answered cases: a rate of one or two cases says nothing."""
        return self.on_time / self.answered if self.answered >= MIN_CASES else None


def officer_summary(agency_id, now, days):
    """Per officer of the agency ("5 rõ": a named person, a measured result): the open and overdue cases they own
    now, and the cases they answered in the last `days` days, how many on time; from the figures. The officers
    with the most overdue cases first; the cases no officer owns last."""
    current = {officer: (int(open_), int(overdue)) for officer, open_, overdue in db.session.execute(
        select(AgencyNow.assignee_id, func.sum(AgencyNow.open), func.sum(AgencyNow.overdue))
        .where(AgencyNow.agency_id == agency_id).group_by(AgencyNow.assignee_id))}
    answered = {officer: (int(answered), int(on_time)) for officer, answered, on_time in db.session.execute(
        select(AgencyDay.assignee_id, func.sum(AgencyDay.answered), func.sum(AgencyDay.on_time))
        .where(AgencyDay.agency_id == agency_id, AgencyDay.day > local_date(now) - timedelta(days=days))
        .group_by(AgencyDay.assignee_id))}
    ids = set(current) | set(answered)
    staff = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids - {None})))} if ids else {}
    rows = [OfficerSummary(staff.get(i), *current.get(i, (0, 0)), *answered.get(i, (0, 0))) for i in ids]
    return sorted(rows, key=lambda r: (r.officer is None, -r.overdue, -r.open, r.officer.name if r.officer else ""))


def on_time_report(summary, days):
    """The summary as a ranking: agencies with at least MIN_CASES cases answered in the period, best first; the
    others apart, by name. Among the cases answered in the period (by the Hanoi day of the answer), how many by
    their (possibly extended) resolution deadline; and how many of the agency's open cases are overdue now."""
    rates = [AgencyRate(s.agency, s.answered, s.on_time, s.overdue) for s in summary if s.answered or s.overdue]
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
    """How often intake kept the suggested agency when accepting: (overall, {routing rule id: Accuracy}), from the
    figures the worker keeps per filing day (`portal.figures`).

    The key None collects accepted complaints that had no routing rule."""
    rows = db.session.execute(
        select(RoutingDay.rule_id, func.sum(RoutingDay.kept).label("kept"), func.sum(RoutingDay.total).label("total"))
        .group_by(RoutingDay.rule_id)
    ).all()
    per_rule = {row.rule_id: Accuracy(int(row.kept or 0), int(row.total)) for row in rows}
    overall = Accuracy(sum(a.kept for a in per_rule.values()), sum(a.total for a in per_rule.values()))
    return overall, per_rule


def _agencies(ids):
    ids = {i for i in ids if i is not None}
    return {a.id: a for a in db.session.scalars(select(Agency).where(Agency.id.in_(ids)))} if ids else {}


def _agency_name(agency):
    return agency.name if agency is not None else ""
