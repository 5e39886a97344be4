"""The legal clocks applied to a submission: configured per kind, counted on Hanoi's working calendar."""
from flask import g, has_app_context
from sqlalchemy import select

from portal.directory.models import CalendarDay, KindClock
from portal.domain.calendar import WorkCalendar
from portal.extensions import db


def work_calendar():
    """The holiday calendar with the configured extra days off and make-up working days, read once per request
    (a list page shows a countdown on every row)."""
    if not has_app_context():
        return _read_calendar()
    if "work_calendar" not in g:
        g.work_calendar = _read_calendar()
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


def clock_for(kind):
    clock = db.session.get(KindClock, str(kind))
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
