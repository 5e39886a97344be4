"""Complaints grouped by official, procedure, agency, ward, category or problem type over a window, with their
overdue rate and average satisfaction. Groups below a minimum count are left out, so one case never tops a
ranking. Everything is aggregated in SQL."""
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, literal, select, true

from portal.cases.models import Rating
from portal.cases.visibility import visible_cases_clause
from portal.complaints.models import Complaint
from portal.directory.models import Agency, Category, ProblemType, Ward
from portal.domain.enums import Status
from portal.extensions import db

WINDOWS = (30, 90, 365)
LABELS = {
    "official": _l("Official"), "procedure": _l("Procedure"), "agency": _l("Agency"), "ward": _l("Ward or commune"),
    "category": _l("Field"), "problem_type": _l("Problem"),
}
MIN_COUNT = 3
HANDLING = (Status.ACCEPTED.value, Status.ASSIGNED.value, Status.IN_PROGRESS.value)


@dataclass(frozen=True)
class Dimension:
    name: str
    key: object  # the column grouped on
    label: object  # an expression naming the group
    join: tuple = ()  # (table, on-clause) to reach the label


DIMENSIONS = {
    "official": Dimension("official", Complaint.official_key, func.max(Complaint.official_name)),
    "procedure": Dimension("procedure", Complaint.procedure_key, func.max(Complaint.procedure_name)),
    "agency": Dimension("agency", Agency.code, func.max(Agency.name_vi), (Agency, Agency.id == Complaint.agency_id)),
    "ward": Dimension("ward", Ward.code, func.max(Ward.name_vi), (Ward, Ward.id == Complaint.ward_id)),
    "category": Dimension("category", Category.code, func.max(Category.name_vi),
                          (Category, Category.id == Complaint.category_id)),
    "problem_type": Dimension("problem_type", ProblemType.code, func.max(ProblemType.name_vi),
                              (ProblemType, ProblemType.id == Complaint.problem_type_id)),
}


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    count: int
    overdue: int
    satisfaction: float | None  # mean rating score, 1-5
    rated: int

    @property
    def overdue_rate(self):
        return self.overdue / self.count if self.count else 0.0


def was_overdue(now):
    """1 for a case that is past its deadline now, or was answered after it."""
    return case(
        (and_(Complaint.status == Status.RECEIVED.value, Complaint.accept_due_at < now), 1),
        (and_(Complaint.status.in_(HANDLING), Complaint.resolve_due_at < now), 1),
        (Complaint.answered_at > Complaint.resolve_due_at, 1),
        else_=0,
    )


def _visible(user):
    """What `user` may see; None is the system itself (alert checks), which sees everything."""
    return visible_cases_clause(user) if user is not None else true()


def _ratings():
    return select(Rating.complaint_id, func.avg(Rating.score).label("score")).group_by(Rating.complaint_id).subquery()


def grouped(user, dimension, days, now, min_count=MIN_COUNT, limit=50, keys=None):
    """The groups of `dimension` with at least `min_count` complaints filed in the last `days` days."""
    dim = DIMENSIONS[dimension]
    ratings = _ratings()
    query = select(dim.key.label("key"), dim.label.label("label"), func.count().label("count"),
                   func.sum(was_overdue(now)).label("overdue"), func.avg(ratings.c.score).label("satisfaction"),
                   func.count(ratings.c.score).label("rated")).select_from(Complaint)
    if dim.join:
        query = query.join(*dim.join)
    query = query.outerjoin(ratings, ratings.c.complaint_id == Complaint.id).where(
        _visible(user), Complaint.created_at >= now - timedelta(days=days),
        dim.key.is_not(None), dim.key != literal(""))
    if keys is not None:
        query = query.where(dim.key.in_(keys))
    query = query.group_by(dim.key).having(func.count() >= min_count).order_by(func.count().desc(), dim.key)
    return [Group(row.key, row.label or row.key, row.count, int(row.overdue or 0),
                  float(row.satisfaction) if row.satisfaction is not None else None, row.rated)
            for row in db.session.execute(query.limit(limit))]


def weekly_counts(user, dimension, keys, days, now):
    """{key: [count per week, oldest first]} for the given groups over the window."""
    dim = DIMENSIONS[dimension]
    since = now - timedelta(days=days)
    week = _week_index(Complaint.created_at, since)
    query = select(dim.key, week.label("week"), func.count()).select_from(Complaint)
    if dim.join:
        query = query.join(*dim.join)
    query = query.where(_visible(user), Complaint.created_at >= since, dim.key.in_(keys)) \
        .group_by(dim.key, week)
    weeks = days // 7 + 1
    series = {key: [0] * weeks for key in keys}
    for key, index, count in db.session.execute(query):
        if key in series and 0 <= int(index) < weeks:
            series[key][int(index)] = count
    return series


def _week_index(column, since):
    """Whole weeks between `since` and `column`, in SQL that both databases understand."""
    if db.session.get_bind().dialect.name == "sqlite":
        return func.cast((func.julianday(column) - func.julianday(since.replace(tzinfo=None))) / 7, db.Integer)
    return func.floor(func.extract("epoch", column - since) / 604800)


def complaints_in_group(user, dimension, key, days, now, limit=200):
    """The complaints behind one group, newest first (for the drill-down)."""
    dim = DIMENSIONS[dimension]
    query = select(Complaint).select_from(Complaint)
    if dim.join:
        query = query.join(*dim.join)
    query = query.where(_visible(user), Complaint.created_at >= now - timedelta(days=days),
                        dim.key == key).order_by(Complaint.created_at.desc())
    return db.session.scalars(query.limit(limit)).all()


def dimension_label(dimension):
    return LABELS.get(dimension, dimension)


def sparkline(series, width=120, height=28):
    """SVG polyline points for a weekly series (drawn server-side: no JavaScript, no chart library)."""
    if not series:
        return ""
    top = max(series) or 1
    step = width / max(1, len(series) - 1)
    return " ".join(f"{i * step:.1f},{height - 2 - (value / top) * (height - 4):.1f}" for i, value in enumerate(series))
