"""Complaints grouped by official, procedure, agency, ward, category or problem type over a window, with their
overdue rate and average satisfaction. Groups below a minimum count are left out, so one case never tops a
ranking. The pages sum the per-day figures the worker keeps (portal/figures); the expressions below are how
those figures are computed from the complaints."""
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import joinedload

from portal.complaints.models import Complaint
from portal.directory.models import Agency, Category, ProblemType, Ward
from portal.extensions import db
from portal.figures import city_wide
from portal.figures.models import GroupDay
from portal.paging import page_of
from portal.timeutil import day_start, local_date

WINDOWS = (30, 90, 365)
LABELS = {
    "official": _l("Official"), "procedure": _l("Procedure"), "agency": _l("Agency"), "ward": _l("Ward or commune"),
    "category": _l("Field"), "problem_type": _l("Problem"),
}
MIN_COUNT = 3


@dataclass(frozen=True)
class Dimension:
    name: str
    key: object  # the column grouped on
    label: object  # an expression naming the group
    join: tuple = ()  # (table, on-clause) to reach the label
    column: object = None  # the complaint's own column naming the joined row (its foreign key)

    def holds(self, key):
        """SQL condition: the complaint belongs to the group `key`, on the complaint's own (indexed) column."""
        if not self.join:
            return self.key == key
        table = self.join[0]
        return self.column == select(table.id).where(self.key == key).scalar_subquery()


DIMENSIONS = {
    "official": Dimension("official", Complaint.official_key, func.max(Complaint.official_name)),
    "procedure": Dimension("procedure", Complaint.procedure_key, func.max(Complaint.procedure_name)),
    "agency": Dimension("agency", Agency.code, func.max(Agency.name_vi), (Agency, Agency.id == Complaint.agency_id),
                        Complaint.agency_id),
    "ward": Dimension("ward", Ward.code, func.max(Ward.name_vi), (Ward, Ward.id == Complaint.ward_id),
                      Complaint.ward_id),
    "category": Dimension("category", Category.code, func.max(Category.name_vi),
                          (Category, Category.id == Complaint.category_id), Complaint.category_id),
    "problem_type": Dimension("problem_type", ProblemType.code, func.max(ProblemType.name_vi),
                              (ProblemType, ProblemType.id == Complaint.problem_type_id), Complaint.problem_type_id),
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
    """1 for a case that is past its current deadline now, or was answered after it."""
    return case((Complaint.current_due_at < now, 1), (Complaint.answered_at > Complaint.resolve_due_at, 1), else_=0)


def first_day(now, days):
    """The first Hanoi date of a window of `days` days ending today (today included)."""
    return local_date(now) - timedelta(days=days - 1)


def grouped(user, dimension, days, now, min_count=MIN_COUNT, limit=50, keys=None):
    """The groups of `dimension` with at least `min_count` complaints filed in the last `days` days, summed from
    the per-day figures (overdue as of the figures' last update)."""
    city_wide(user)
    filed = func.sum(GroupDay.filed)
    query = select(GroupDay.key, func.max(GroupDay.label).label("label"), filed.label("count"),
                   func.sum(GroupDay.overdue).label("overdue"), func.sum(GroupDay.rated).label("rated"),
                   func.sum(GroupDay.score_sum).label("score_sum")) \
        .where(GroupDay.dimension == dimension, GroupDay.day >= first_day(now, days))
    if keys is not None:
        query = query.where(GroupDay.key.in_(keys))
    query = query.group_by(GroupDay.key).having(filed >= min_count).order_by(filed.desc(), GroupDay.key)
    return [Group(row.key, row.label or row.key, int(row.count), int(row.overdue or 0),
                  float(row.score_sum) / int(row.rated) if row.rated else None, int(row.rated or 0))
            for row in db.session.execute(query.limit(limit))]


def weekly_counts(user, dimension, keys, days, now):
    """{key: [count per week, oldest first]} for the given groups over the window (weeks from its first day)."""
    city_wide(user)
    first = first_day(now, days)
    week = _week_index(GroupDay.day, first)
    query = select(GroupDay.key, week.label("week"), func.sum(GroupDay.filed)) \
        .where(GroupDay.dimension == dimension, GroupDay.day >= first, GroupDay.key.in_(keys)) \
        .group_by(GroupDay.key, week)
    weeks = days // 7 + 1
    series = {key: [0] * weeks for key in keys}
    for key, index, count in db.session.execute(query):
        if key in series and 0 <= int(index) < weeks:
            series[key][int(index)] = int(count)
    return series


def _week_index(day, first):
    """Whole weeks between the date `first` and the date column `day`, in SQL that both databases understand."""
    if db.session.get_bind().dialect.name == "sqlite":
        return func.cast((func.julianday(day) - func.julianday(first.isoformat())) / 7, db.Integer)
    return (day - first) / literal(7, db.Integer)


def group_size(dimension, key, days, now):
    """How many complaints one group has in the window, from the figures."""
    return int(db.session.scalar(select(func.coalesce(func.sum(GroupDay.filed), 0)).where(
        GroupDay.dimension == dimension, GroupDay.key == key, GroupDay.day >= first_day(now, days))))


def complaints_in_group(user, dimension, key, days, now, page=1, per_page=50):
    """One page of the complaints behind a group, newest first (the drill-down); the total from the figures."""
    city_wide(user)
    dim = DIMENSIONS[dimension]
    query = select(Complaint).options(joinedload(Complaint.agency)) \
        .where(dim.holds(key), Complaint.created_at >= day_start(first_day(now, days))) \
        .order_by(Complaint.created_at.desc(), Complaint.id.desc())
    return page_of(query, page, per_page, group_size(dimension, key, days, now), scalars=True)


def dimension_label(dimension):
    return LABELS.get(dimension, dimension)


def sparkline(series, width=120, height=28):
    """SVG polyline points for a weekly series (drawn server-side: no JavaScript, no chart library)."""
    if not series:
        return ""
    top = max(series) or 1
    step = width / max(1, len(series) - 1)
    return " ".join(f"{i * step:.1f},{height - 2 - (value / top) * (height - 4):.1f}" for i, value in enumerate(series))
