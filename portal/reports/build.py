"""A periodic report for the city or one agency, with the indicators the government scores agencies by (QĐ
766/QĐ-TTg style), summed from the report figures (portal/reports/models.py), the inspections and the pattern
groups of the period. The same rows feed the page, the PDF, the XLSX and the CSV, so the four show the same
numbers; built twice from the same data, a report gives the same figures."""
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.domain.enums import Kind
from portal.extensions import db
from portal.figures.models import GroupDay
from portal.figures.upkeep import figures_as_of
from portal.oversight.models import InspectionCase
from portal.oversight.states import Recommendation
from portal.patterns.groups import DIMENSIONS, MIN_COUNT, dimension_label
from portal.reports.models import ASPECTS, AnswerTime, ReportDay
from portal.timeutil import day_start

CHANNELS = {"web": _l("Web portal"), "api": _l("Other software (Open311)")}
ASPECT_LABELS = {"access": _l("Access to information"), "procedure": _l("Procedure"),
                 "conduct": _l("Officials' conduct"), "result": _l("Result"), "handling": _l("Handling of feedback")}


@dataclass(frozen=True)
class Row:
    section: str
    key: str  # stable, for the CSV and the tests: received.kind.to_cao, answered.median_days...
    label: object
    value: int | float | None  # a count, a percentage (one decimal) or a number of days; None: not enough data
    percent: bool = False


@dataclass(frozen=True)
class Chart:
    title: object
    labels: list  # one per bucket: a day, a week or a month
    series: list  # [(name, [value per bucket])]
    percent: bool = False


@dataclass
class Report:
    period: object
    agency: object
    rows: list = field(default_factory=list)
    charts: list = field(default_factory=list)
    as_of: object = None

    def value(self, key):
        return next(row.value for row in self.rows if row.key == key)

    def sections(self):
        """[(section, [rows])] in order."""
        found = {}
        for row in self.rows:
            found.setdefault(row.section, []).append(row)
        return list(found.items())


SECTIONS = {"received": _l("Received"), "answered": _l("Answered"), "satisfaction": _l("Satisfaction"),
            "inspections": _l("Inspections"), "patterns": _l("Repeated problems")}


def build_report(period, agency=None):
    """The report of `period` for the city (agency None) or for `agency`."""
    report = Report(period=period, agency=agency, as_of=figures_as_of())
    sums = _sums(period, agency)
    add = lambda section, key, label, value, percent=False: report.rows.append(  # noqa: E731
        Row(SECTIONS[section], key, label, value, percent))
    _received(add, sums, period, agency)
    _answered(add, sums, period, agency)
    _satisfaction(add, sums)
    _inspections(add, period, agency)
    if agency is None:
        _patterns(add, period)
    report.charts = _charts(period, agency)
    return report


def _where(model, period, agency):
    condition = (model.day >= period.first) & (model.day <= period.last)
    return condition & (model.agency_id == agency.id) if agency is not None else condition


COLUMNS = ("received", "accepted", "extended", "named", "open_overdue", "answered", "on_time", "reopened", "rated",
           "satisfied", *(f"{a}_satisfied" for a in ASPECTS))


def _sums(period, agency):
    """{column: total} and {("kind", kind) / ("channel", channel): received} over the period."""
    totals = db.session.execute(select(*[func.coalesce(func.sum(getattr(ReportDay, c)), 0) for c in COLUMNS])
                                .where(_where(ReportDay, period, agency))).one()
    sums = dict(zip(COLUMNS, map(int, totals), strict=True))
    for dimension in ("kind", "channel"):
        column = getattr(ReportDay, dimension)
        for value, received in db.session.execute(select(column, func.sum(ReportDay.received))
                                                  .where(_where(ReportDay, period, agency)).group_by(column)):
            sums[(dimension, value)] = int(received)
    return sums


def percent(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _received(add, sums, period, agency):
    add("received", "received.total", _l("Received"), sums["received"])
    for kind in Kind:
        add("received", f"received.kind.{kind.value}", kind.label, sums.get(("kind", kind.value), 0))
    for channel, label in CHANNELS.items():
        add("received", f"received.channel.{channel}", _l("Through: %(channel)s", channel=label),
            sums.get(("channel", channel), 0))
    add("received", "received.accepted", _l("Accepted"), sums["accepted"])
    add("received", "received.extended", _l("Given more time (extension)"), sums["extended"])
    add("received", "received.named", _l("With a named officer (“5 rõ”)"), sums["named"])
    add("received", "received.named_share", _l("“5 rõ” coverage: accepted cases with a named officer"),
        percent(sums["named"], sums["accepted"]), True)
    add("received", "received.open_overdue", _l("Still open past the deadline"), sums["open_overdue"])


def _answered(add, sums, period, agency):
    answered = sums["answered"]
    add("answered", "answered.total", _l("Answered"), answered)
    add("answered", "answered.on_time", _l("Answered on time"), sums["on_time"])
    add("answered", "answered.on_time_share", _l("Answered on time (%)"), percent(sums["on_time"], answered), True)
    add("answered", "answered.late", _l("Answered late"), answered - sums["on_time"])
    median, p90 = _answer_days(period, agency)
    add("answered", "answered.median_days", _l("Median days from filing to answer"), median)
    add("answered", "answered.p90_days", _l("Days within which 90% were answered"), p90)
    add("answered", "answered.reopened", _l("Reopened by a dissatisfied resident"), sums["reopened"])


def _answer_days(period, agency):
    """The median and the 90th percentile (nearest rank) of the days from filing to answer."""
    rows = db.session.execute(select(AnswerTime.days, func.sum(AnswerTime.count)).where(
        _where(AnswerTime, period, agency)).group_by(AnswerTime.days).order_by(AnswerTime.days)).all()
    total = sum(int(count) for _, count in rows)
    return tuple(_rank(rows, total, share) for share in (0.5, 0.9))


def _rank(rows, total, share):
    if not total:
        return None
    wanted, seen = -(-total * share // 1), 0  # the ceiling of total × share: the nearest rank
    for days, count in rows:
        seen += int(count)
        if seen >= wanted:
            return int(days)
    return None


def _satisfaction(add, sums):
    rated = sums["rated"]
    add("satisfaction", "satisfaction.rated", _l("Answers rated by the resident"), rated)
    add("satisfaction", "satisfaction.satisfied", _l("Satisfied (%)"), percent(sums["satisfied"], rated), True)
    for aspect in ASPECTS:
        add("satisfaction", f"satisfaction.{aspect}", _l("Satisfied with: %(aspect)s (%%)",
                                                          aspect=ASPECT_LABELS[aspect]),
            percent(sums[f"{aspect}_satisfied"], rated), True)


def _inspections(add, period, agency):
    start, end = day_start(period.first), day_start(period.last + timedelta(days=1))
    scope = [InspectionCase.agency_id == agency.id] if agency is not None else []
    opened = db.session.execute(select(func.count(), func.coalesce(func.sum(InspectionCase.unannounced.cast(
        db.Integer)), 0)).where(InspectionCase.created_at >= start, InspectionCase.created_at < end, *scope)).one()
    add("inspections", "inspections.opened", _l("Inspections opened"), int(opened[0]))
    add("inspections", "inspections.unannounced", _l("of which unannounced checks"), int(opened[1]))
    closed = dict(db.session.execute(select(InspectionCase.recommendation, func.count()).where(
        InspectionCase.closed_at >= start, InspectionCase.closed_at < end, *scope)
        .group_by(InspectionCase.recommendation)).all())
    add("inspections", "inspections.closed", _l("Inspections closed"), sum(closed.values()))
    for measure in Recommendation:
        add("inspections", f"inspections.outcome.{measure.value}", _l("closed with: %(measure)s",
                                                                      measure=measure.label),
            int(closed.get(measure.value, 0)))


def _patterns(add, period):
    """Groups of at least MIN_COUNT complaints filed in the period, per dimension (the city's report)."""
    for dimension in DIMENSIONS:
        sizes = select(GroupDay.key).where(GroupDay.dimension == dimension, GroupDay.day >= period.first,
                                           GroupDay.day <= period.last).group_by(GroupDay.key) \
            .having(func.sum(GroupDay.filed) >= MIN_COUNT).subquery()
        count = db.session.scalar(select(func.count()).select_from(sizes))
        add("patterns", f"patterns.{dimension}", _l("Repeated-problem groups by %(dimension)s (%(n)d or more "
                                                    "complaints)", dimension=dimension_label(dimension),
                                                    n=MIN_COUNT), int(count))


def _buckets(period):
    """[(label, first day, last day)]: days in a month's report, weeks in a quarter's, months in a year's."""
    if period.kind == "monthly":
        return [(f"{d.day:02d}", d, d) for d in period.each_day()]
    if period.kind == "quarterly":
        buckets, first = [], period.first
        while first <= period.last:
            last = min(first + timedelta(days=6), period.last)
            buckets.append((f"{first.day:02d}/{first.month:02d}", first, last))
            first = last + timedelta(days=1)
        return buckets
    months = sorted({(d.year, d.month) for d in period.each_day()})
    return [(f"{month:02d}", *_month_bounds(year, month, period)) for year, month in months]


def _month_bounds(year, month, period):
    days = [d for d in period.each_day() if (d.year, d.month) == (year, month)]
    return days[0], days[-1]


def _charts(period, agency):
    per_day = {row.day: row for row in db.session.execute(
        select(ReportDay.day, func.sum(ReportDay.received).label("received"),
               func.sum(ReportDay.answered).label("answered"), func.sum(ReportDay.on_time).label("on_time"))
        .where(_where(ReportDay, period, agency)).group_by(ReportDay.day))}
    buckets = _buckets(period)

    def total(column, first, last):
        return sum(int(getattr(per_day[d], column) or 0) for d in per_day if first <= d <= last)
    labels = [label for label, _, _ in buckets]
    received = [total("received", first, last) for _, first, last in buckets]
    answered = [total("answered", first, last) for _, first, last in buckets]
    on_time = [percent(total("on_time", first, last), a) for (_, first, last), a in zip(buckets, answered,
                                                                                      strict=True)]
    return [Chart(_l("Received and answered"), labels, [(_l("Received"), received), (_l("Answered"), answered)]),
            Chart(_l("Answered on time (%)"), labels, [(_l("Answered on time (%)"), on_time)], percent=True)]
