"""What the public transparency pages show: for the city and each agency, over the last twelve months, how many
submissions came in and were answered, the share answered on time, the median days to an answer, residents'
satisfaction and reopened cases, with a monthly trend; and the agencies ranked, only those with enough answered
cases (MIN_ANSWERED) for a rate to mean something. Small cells are suppressed, as statistical offices do: a count
of 1 to 4 could point at the few people behind it, a median or a rate over a handful of cases says nothing and
names the cases; they are shown as "too few to show".

Only counts and rates: no case, no name, no kind of submission (a count of denunciations per agency and month is
not for the public). Everything is summed from the report figures, and kept per process until the worker's next
round (`until_refreshed`), so a page costs the same with 200,000 complaints as with 2,000."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from portal.extensions import db
from portal.reports.models import AnswerTime, ReportDay
from portal.timeutil import local_date, utcnow

MIN_COUNT = 5  # a count of 1 to 4 is not shown
MIN_ANSWERED = 20  # an agency is ranked, and its rates and median shown, only with this many answered cases
MIN_RATED = 20  # satisfaction is shown only over this many ratings, with their number
MONTHS = 12


def shown_count(count):
    """`count`, or None when it is too few to show (1 to MIN_COUNT - 1; none at all is no one)."""
    return count if count == 0 or count >= MIN_COUNT else None


def shown_rate(part, whole, minimum):
    """`part` of `whole` in percent to a tenth, or None with fewer than `minimum` in `whole`."""
    return round(100 * part / whole, 1) if whole >= minimum and whole else None


class Counted:
    """What the pages show of a period's (or a month's) received and answered counts, and its on-time rate."""

    @property
    def received_shown(self):
        return shown_count(self.received)

    @property
    def answered_shown(self):
        return shown_count(self.answered)

    @property
    def on_time_rate(self):
        return shown_rate(self.on_time, self.answered, MIN_ANSWERED)


@dataclass(frozen=True)
class Figures(Counted):
    received: int
    answered: int
    on_time: int
    rated: int
    satisfied: int
    reopened: int
    median_days: int | None

    @property
    def enough(self):
        return self.answered >= MIN_ANSWERED

    @property
    def satisfied_rate(self):
        return shown_rate(self.satisfied, self.rated, MIN_RATED)

    @property
    def median_days_shown(self):
        return self.median_days if self.enough else None

    @property
    def reopened_shown(self):
        return shown_count(self.reopened)


@dataclass(frozen=True)
class Month(Counted):
    first: date
    received: int
    answered: int
    on_time: int

    @property
    def label(self):
        return f"{self.first.month:02d}/{self.first.year}"


def window(today=None):
    """The first and last Hanoi day of the last MONTHS months, this month (so far) included."""
    today = today or local_date(utcnow())
    year, month = today.year, today.month - (MONTHS - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1), today


def _scope(model, first, last, agency_id):
    condition = (model.day >= first) & (model.day <= last)
    return condition & (model.agency_id == agency_id) if agency_id is not None else condition


COUNTED = ("received", "answered", "on_time", "rated", "satisfied", "reopened")


def figures(first, last, agency_id=None):
    sums = db.session.execute(select(*[func.coalesce(func.sum(getattr(ReportDay, c)), 0) for c in COUNTED])
                              .where(_scope(ReportDay, first, last, agency_id))).one()
    waits = db.session.execute(select(AnswerTime.days, func.sum(AnswerTime.count))
                               .where(_scope(AnswerTime, first, last, agency_id))
                               .group_by(AnswerTime.days).order_by(AnswerTime.days)).all()
    return Figures(*map(int, sums), median_days=_median(waits))


def _median(waits):
    total, seen = sum(int(count) for _, count in waits), 0
    for days, count in waits:
        seen += int(count)
        if total and seen * 2 >= total:
            return int(days)
    return None


def monthly(first, last, agency_id=None):
    """[Month] from `first` to `last`, every month listed (an empty one with zeros)."""
    rows = db.session.execute(select(ReportDay.day, ReportDay.received, ReportDay.answered, ReportDay.on_time)
                              .where(_scope(ReportDay, first, last, agency_id))
                              if agency_id is not None else
                              select(ReportDay.day, func.sum(ReportDay.received), func.sum(ReportDay.answered),
                                     func.sum(ReportDay.on_time)).where(_scope(ReportDay, first, last, None))
                              .group_by(ReportDay.day))
    months, start = {}, first
    while start <= last:
        months[start] = [0, 0, 0]
        start = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    for day, *counts in rows:
        totals = months[date(day.year, day.month, 1)]
        for index, count in enumerate(counts):
            totals[index] += int(count or 0)
    return [Month(month, *totals) for month, totals in months.items()]


@dataclass(frozen=True)
class Ranked:
    agency_id: int
    figures: Figures


def ranking(first, last):
    """(ranked: agencies with at least MIN_ANSWERED answered cases, best on-time rate first; the others' ids)."""
    rows = db.session.execute(
        select(ReportDay.agency_id, *[func.sum(getattr(ReportDay, c)) for c in COUNTED])
        .where(_scope(ReportDay, first, last, None), ReportDay.agency_id.is_not(None))
        .group_by(ReportDay.agency_id)).all()
    waits = {}
    for agency_id, days, count in db.session.execute(
            select(AnswerTime.agency_id, AnswerTime.days, func.sum(AnswerTime.count))
            .where(_scope(AnswerTime, first, last, None), AnswerTime.agency_id.is_not(None))
            .group_by(AnswerTime.agency_id, AnswerTime.days).order_by(AnswerTime.agency_id, AnswerTime.days)):
        waits.setdefault(agency_id, []).append((days, count))
    every = [Ranked(agency_id, Figures(*map(int, counts), median_days=_median(waits.get(agency_id, []))))
             for agency_id, *counts in rows]
    ranked = sorted((r for r in every if r.figures.enough),
                    key=lambda r: (-r.figures.on_time_rate, -(r.figures.satisfied_rate or 0), r.agency_id))
    return ranked, sorted(r.agency_id for r in every if not r.figures.enough)
