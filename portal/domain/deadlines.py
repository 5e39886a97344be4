"""The legal clocks applied to a submission: configured per kind, counted on Hanoi's working calendar."""
from dataclasses import dataclass, fields

from flask import g, has_app_context
from sqlalchemy import select

from portal.directory.cache import cached
from portal.directory.models import CalendarDay, KindClock
from portal.domain.calendar import WorkCalendar
from portal.extensions import db


def work_calendar():
    """The holiday calendar with the configured extra days off and make-up working days, looked up once per
    request (a list page shows a countdown on every row) and read again only when the directory changed."""
    if not has_app_context():
        return _read_calendar()
    if "work_calendar" not in g:
        g.work_calendar = cached("work calendar", _read_calendar, by_language=False)
    return g.work_calendar


def forget_calendar():
    """Read the calendar again next time (the worker's application context outlives a round)."""
    g.pop("work_calendar", None)


def _read_calendar():
    days = db.session.scalars(select(CalendarDay)).all()
    return WorkCalendar(
        extra_days_off=frozenset(d.day for d in days if not d.is_working),
        make_up_days=frozenset(d.day for d in days if d.is_working),
    )


@dataclass(frozen=True)
class Clock:
    """A kind's legal clock as configured (a KindClock row's values, kept between requests)."""

    accept_amount: int
    accept_unit: str
    resolve_amount: int
    resolve_unit: str
    resolve_complex_amount: int | None
    resolve_complex_unit: str | None
    extension_amount: int
    extension_unit: str
    max_extensions: int


def _read_clocks():
    names = [field.name for field in fields(Clock)]
    return {row.kind: Clock(**{name: getattr(row, name) for name in names})
            for row in db.session.scalars(select(KindClock))}


def clock_for(kind):
    clock = cached("legal clocks", _read_clocks, by_language=False).get(str(kind))
    if clock is None:
        raise LookupError(f"no legal clock configured for {kind}: run `flask --app portal directory load`")
    return clock


def initial_deadlines(kind, received_at):
    """(accept by, resolve by) for a submission received at `received_at`.

    The resolution clock is counted from receipt until the intake desk accepts the case, when it restarts."""
    clock, calendar = clock_for(kind), work_calendar()
    accept_by = calendar.deadline(received_at, clock.accept_amount, clock.accept_unit)
    resolve_by = calendar.deadline(received_at, clock.resolve_amount, clock.resolve_unit)
    return accept_by, resolve_by
