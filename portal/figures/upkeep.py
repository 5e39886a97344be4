"""Keeping the figures right, incrementally.

Every change that can move a figure appends the Hanoi days it touches (the filing day, and the answer day before
and after) to the StaleDay queue in the change's own transaction: ORM changes through the session hooks below,
Core bulk updates by calling `refigure_later`. The worker (`refresh_figures`, every minute) computes those days
again from their complaints alone (bounded work), adds the days of cases whose deadline passed since its last run
(an indexed range on current_due_at: a case turns overdue at 14:03 with no event), and counts each agency's open
cases again with one grouped query over the open cases' partial index."""
from datetime import timedelta

from flask import current_app
from sqlalchemy import case, delete, event, func, insert, inspect, literal, select
from sqlalchemy.orm import Session

from portal.cases.deadline_checks import REMIND_WITHIN_HOURS
from portal.cases.models import Rating
from portal.complaints.models import Complaint
from portal.domain.deadlines import work_calendar
from portal.extensions import db
from portal.figures.models import AgencyDay, AgencyNow, FigureState, GroupDay, RoutingDay, StaleDay
from portal.patterns.groups import DIMENSIONS, was_overdue
from portal.reports.figures import recompute_report_day
from portal.reports.models import AnswerTime, ReportDay
from portal.timeutil import day_start, local_date, utcnow

STATE = "figures"
_rounds_here = 0  # rounds run by this process (the command line, a test): seen at once, even on a frozen clock
BATCH = 5000  # queue rows taken per round
NEAR_DUE_HOURS = REMIND_WITHIN_HOURS  # near-due: within two working days, as for the reminders
DAYS_KEY, IDS_KEY = "figure_days", "figure_complaints"
# A change to any of these moves a figure; other changes (reminder stamps, texts) do not.
FIGURE_FIELDS = ("status", "agency_id", "answered_at", "accept_due_at", "resolve_due_at", "created_at",
                 "official_key", "official_name", "procedure_key", "procedure_name", "ward_id", "category_id",
                 "problem_type_id", "routing_rule_id", "routing_kept", "assignee_id", "accepted_at", "kind",
                 "channel", "extensions_used")


def day_bounds(day):
    """The UTC instants where the Hanoi day `day` begins and ends."""
    return day_start(day), day_start(day + timedelta(days=1))


# ---------------------------------------------------------------------------------------------------------------
# Marking days stale, in the transaction of the change
# ---------------------------------------------------------------------------------------------------------------

def _changed_days(complaint):
    state = inspect(complaint)
    if not (state.deleted or state.was_deleted or state.pending or state.transient) and not any(
            state.attrs[name].history.has_changes() for name in FIGURE_FIELDS):
        return set()
    filed, answered = state.attrs.created_at.history, state.attrs.answered_at.history
    moments = [complaint.created_at, *filed.deleted, *answered.added, *answered.unchanged, *answered.deleted]
    return {local_date(moment) for moment in moments if moment is not None}


@event.listens_for(Session, "after_flush")
def _note_changes(session, _flush_context):
    days, ids = session.info.setdefault(DAYS_KEY, set()), session.info.setdefault(IDS_KEY, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Complaint):
            days.update(_changed_days(obj))
        elif isinstance(obj, Rating):
            ids.add(obj.complaint_id)


def refigure_later(session, complaint_ids):
    """For Core bulk updates the session hook cannot see: the figures of these complaints' days are redone."""
    session.info.setdefault(IDS_KEY, set()).update(complaint_ids)


@event.listens_for(Session, "before_commit")
def _queue_stale_days(session):
    session.flush()  # changes not flushed yet would be noted by the commit's own flush, after this hook: too late
    if not (session.info.get(DAYS_KEY) or session.info.get(IDS_KEY)):
        return
    days, ids = session.info.pop(DAYS_KEY, set()), sorted(session.info.pop(IDS_KEY, set()))
    for chunk in range(0, len(ids), 1000):
        rows = session.execute(select(Complaint.created_at, Complaint.answered_at)
                               .where(Complaint.id.in_(ids[chunk:chunk + 1000])))
        days.update(local_date(moment) for row in rows for moment in row if moment is not None)
    if days:
        session.execute(insert(StaleDay), [{"day": day} for day in sorted(days)])


@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop(DAYS_KEY, None)
    session.info.pop(IDS_KEY, None)


# ---------------------------------------------------------------------------------------------------------------
# Computing one day's figures
# ---------------------------------------------------------------------------------------------------------------

def _mean_score():
    """Per complaint, the mean of its ratings (through the rating's complaint_id index)."""
    return select(func.avg(Rating.score)).where(Rating.complaint_id == Complaint.id).scalar_subquery()


def _group_rows(dimension, start, end, now):
    dim = DIMENSIONS[dimension]
    score = _mean_score()
    query = select(dim.key.label("key"), dim.label.label("label"), func.count().label("filed"),
                   func.sum(was_overdue(now)).label("overdue"), func.count(score).label("rated"),
                   func.sum(score).label("score_sum")).select_from(Complaint)
    if dim.join:
        query = query.join(*dim.join)
    query = query.where(Complaint.created_at >= start, Complaint.created_at < end,
                        dim.key.is_not(None), dim.key != literal("")).group_by(dim.key)
    return db.session.execute(query)


def _answered_rows(start, end):
    on_time = func.sum(case((Complaint.answered_at <= Complaint.resolve_due_at, 1), else_=0))
    return db.session.execute(
        select(Complaint.agency_id, Complaint.assignee_id, func.count().label("answered"), on_time.label("on_time"))
        .where(Complaint.answered_at >= start, Complaint.answered_at < end)
        .group_by(Complaint.agency_id, Complaint.assignee_id))


def _routing_rows(start, end):
    kept = func.sum(case((Complaint.routing_kept.is_(True), 1), else_=0))
    return db.session.execute(
        select(Complaint.routing_rule_id, kept.label("kept"), func.count().label("total"))
        .where(Complaint.created_at >= start, Complaint.created_at < end, Complaint.routing_kept.is_not(None))
        .group_by(Complaint.routing_rule_id))


def recompute_day(day, now):
    """Replace the figures of the Hanoi day `day`: groups of what was filed then, agencies' answers given then, and
    the periodic reports' figures of both."""
    start, end = day_bounds(day)
    db.session.execute(delete(GroupDay).where(GroupDay.day == day))
    db.session.execute(delete(AgencyDay).where(AgencyDay.day == day))
    db.session.execute(delete(RoutingDay).where(RoutingDay.day == day))
    groups = [{"dimension": dimension, "key": row.key, "day": day, "label": (row.label or row.key)[:300],
               "filed": row.filed, "overdue": int(row.overdue or 0), "rated": row.rated,
               "score_sum": float(row.score_sum or 0)}
              for dimension in DIMENSIONS for row in _group_rows(dimension, start, end, now)]
    if groups:
        db.session.execute(insert(GroupDay), groups)
    answered = [{"agency_id": row.agency_id, "assignee_id": row.assignee_id, "day": day, "answered": row.answered,
                 "on_time": int(row.on_time or 0)} for row in _answered_rows(start, end)]
    if answered:
        db.session.execute(insert(AgencyDay), answered)
    routed = [{"rule_id": row.routing_rule_id, "day": day, "kept": int(row.kept or 0), "total": row.total}
              for row in _routing_rows(start, end)]
    if routed:
        db.session.execute(insert(RoutingDay), routed)
    recompute_report_day(day, start, end, now)


# ---------------------------------------------------------------------------------------------------------------
# The current figures of each agency
# ---------------------------------------------------------------------------------------------------------------

def near_due_horizon(now, calendar=None):
    """The last instant with at most two working days of office time from `now`: an open case due by then
    is overdue or near-due (a deadline at 17:00 and one at 8:00 the next working day are both 16 hours away)."""
    calendar = calendar or work_calendar()
    return calendar.office_resumes(calendar.deadline(now, NEAR_DUE_HOURS, "working_hours"))


def refresh_current(now):
    horizon = near_due_horizon(now)
    due = Complaint.current_due_at
    rows = db.session.execute(
        select(Complaint.agency_id, Complaint.assignee_id, func.count().label("open"),
               func.sum(case((due < now, 1), else_=0)).label("overdue"),
               func.sum(case(((due >= now) & (due <= horizon), 1), else_=0)).label("near_due"))
        .where(due.is_not(None)).group_by(Complaint.agency_id, Complaint.assignee_id)).all()
    db.session.execute(delete(AgencyNow))
    if rows:
        db.session.execute(insert(AgencyNow), [
            {"agency_id": row.agency_id, "assignee_id": row.assignee_id, "open": row.open,
             "overdue": int(row.overdue or 0), "near_due": int(row.near_due or 0)} for row in rows])


# ---------------------------------------------------------------------------------------------------------------
# The worker's job and the rebuild
# ---------------------------------------------------------------------------------------------------------------

def _deadlines_passed(since, now):
    """Filing days of the open cases whose deadline passed in (since, now]: their overdue counts moved."""
    moments = db.session.scalars(select(Complaint.created_at).where(
        Complaint.current_due_at > since, Complaint.current_due_at <= now))
    return {local_date(moment) for moment in moments}


def _take_stale():
    """Some queued rows: (their ids, their days)."""
    rows = db.session.execute(select(StaleDay.id, StaleDay.day).order_by(StaleDay.id).limit(BATCH)).all()
    return [row.id for row in rows], {row.day for row in rows}


def _locked_state():
    """The state row, locked on PostgreSQL so that two workers never redo the same day at once."""
    return db.session.scalars(select(FigureState).where(FigureState.name == STATE).with_for_update()).first()


def refresh_figures():
    """Bring the figures up to date (the worker, every minute); the first run builds them all. Each batch of
    days is its own short transaction, so filings on SQLite never wait long for the write lock."""
    now = utcnow()
    state = _locked_state()
    if state is None:
        return rebuild_figures()
    days = _deadlines_passed(state.as_of, now)
    while True:
        ids, stale = _take_stale()
        for day in sorted(days | stale):
            recompute_day(day, now)
        for chunk in range(0, len(ids), 1000):
            db.session.execute(delete(StaleDay).where(StaleDay.id.in_(ids[chunk:chunk + 1000])))
        if len(ids) < BATCH:
            break
        db.session.commit()
        days, state = set(), _locked_state()
    refresh_current(now)
    _brought_up_to_date(state, now)
    db.session.commit()
    return now


def rebuild_figures():
    """Every day's figures from the complaints (after a bulk load, or the first time), a day per transaction;
    returns the time they are as of.

    Queued rows seen at the start are dropped: their changes are committed, so the days computed after see them.
    Rows queued meanwhile stay for the next run."""
    now = utcnow()
    seen = db.session.scalar(select(func.max(StaleDay.id)))
    if seen is not None:
        db.session.execute(delete(StaleDay).where(StaleDay.id <= seen))
    firsts = [db.session.scalar(select(func.min(column))) for column in (Complaint.created_at, Complaint.answered_at)]
    day = min((local_date(moment) for moment in firsts if moment is not None), default=local_date(now))
    today = local_date(now)
    for table in (GroupDay, AgencyDay, RoutingDay, ReportDay, AnswerTime):  # days no complaint reaches any more
        db.session.execute(delete(table).where((table.day < day) | (table.day > today)))
    db.session.commit()
    while day <= today:
        recompute_day(day, now)
        db.session.commit()
        day += timedelta(days=1)
    refresh_current(now)
    state = _locked_state() or FigureState(name=STATE)
    _brought_up_to_date(state, now)
    db.session.add(state)
    db.session.commit()
    return now


def _brought_up_to_date(state, now):
    global _rounds_here
    state.as_of = now
    _rounds_here += 1


def figures_as_of():
    """When the figures were last brought up to date, or None before the first run."""
    return db.session.scalar(select(FigureState.as_of).where(FigureState.name == STATE))


def until_refreshed(name, build, as_of):
    """`build()`, or the value it returned in this process for the same figures (`as_of`, their time) and Hanoi
    day. For sums over many figure rows that only the worker's next round can change: a page then sums them
    once a round per process instead of once a request. The caller checks permissions first."""
    entries = current_app.extensions.setdefault("figures_cache", {})
    key = (as_of, local_date(utcnow()), _rounds_here)
    entry = entries.get(name)
    if entry is None or entry[0] != key:
        entry = entries[name] = (key, build())
    return entry[1]
