"""Time in one place: stored as UTC, shown in Hanoi time, and replaceable in tests (a frozen clock)."""
from contextlib import contextmanager
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


_frozen = None  # set by freeze() in tests: the clock every module reads


def utcnow():
    return _frozen or datetime.now(UTC)


@contextmanager
def freeze(moment):
    """Stop the clock at `moment` (aware) for everything that asks portal.timeutil for the time."""
    global _frozen
    previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = previous


def to_local(moment):
    return moment.astimezone(HANOI) if moment else None


def local_date(moment):
    """The Hanoi calendar date of an aware instant."""
    return moment.astimezone(HANOI).date()


def hanoi_today():
    """Today's date in Hanoi (the server's own clock runs on UTC: its date turns at 07:00 Hanoi time)."""
    return local_date(utcnow())


def day_start(day):
    """The UTC instant the Hanoi calendar date `day` begins."""
    return datetime.combine(day, time(), HANOI).astimezone(UTC)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every database (SQLite forgets the zone; this puts it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
