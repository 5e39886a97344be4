"""Legal deadlines in Vietnam: working days, office hours and public holidays of Hanoi's administration.

Pure module (no Flask, no database) so that deadlines can be computed and tested anywhere. Instants come
in and go out as timezone-aware UTC datetimes (as stored in the database); every rule about days and
hours is applied in local time, because the law counts Hanoi's office days, not UTC ones.
"""
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

import holidays

# No real calendar has a year without working days; beyond this the configuration is broken.
_MAX_DAYS_SEARCHED = 366


class ClockUnit(StrEnum):
    """How a legal time limit is counted."""

    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"
    DAYS = "days"


@cache
def _official_days(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """Vietnam's public holidays of one year (incl. Tết, observed and swapped days off) and the weekend
    days worked in exchange for the swaps, so that a swap never costs a working day.

    Cached: the holidays package rebuilds the year on every lookup, and deadlines are computed for many
    complaints.
    """
    official = holidays.country_holidays("VN", years=year)
    return frozenset(official), frozenset(day for day in official.weekend_workdays if day.year == year)


@dataclass(frozen=True)
class WorkCalendar:
    """Working days and office hours of Hanoi's administration.

    extra_days_off: days off announced by the government on top of the law (e.g. bridge days).
    make_up_days: days worked in exchange for them (usually a Saturday); they are working days even if
        they fall on a weekend or a public holiday, because the announcement is the final word.
    office_hours: local opening intervals of one working day, in order.
    """

    extra_days_off: frozenset[date] = frozenset()
    make_up_days: frozenset[date] = frozenset()
    office_hours: tuple[tuple[time, time], ...] = ((time(8), time(12)), (time(13), time(17)))
    timezone: str = "Asia/Ho_Chi_Minh"

    def __post_init__(self):
        """Accept any iterables (e.g. lists from a config file) but keep the calendar hashable and sane."""
        object.__setattr__(self, "extra_days_off", frozenset(self.extra_days_off))
        object.__setattr__(self, "make_up_days", frozenset(self.make_up_days))
        object.__setattr__(self, "office_hours", tuple(tuple(interval) for interval in self.office_hours))
        if not self.office_hours:
            raise ValueError("office_hours must not be empty: no working-hours limit could ever run out")

    def is_working_day(self, day: date) -> bool:
        """Mon–Fri that is not a public holiday, or an officially worked weekend day. The configured
        days, announced later by the government, overrule the package: make-up days first, then days off."""
        if day in self.make_up_days:
            return True
        if day in self.extra_days_off:
            return False
        public_holidays, worked_weekend_days = _official_days(day.year)
        if day in worked_weekend_days:
            return True
        return day.weekday() < 5 and day not in public_holidays

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day` (the day after a filing is where counting starts)."""
        for offset in range(1, _MAX_DAYS_SEARCHED + 1):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"no working day within {_MAX_DAYS_SEARCHED} days after {day}")

    def deadline(self, start: datetime, amount: int, unit: ClockUnit | str) -> datetime:
        """The instant a time limit of `amount` `unit`s that starts at `start` runs out, as aware UTC.

        `start` must be timezone-aware (naive → ValueError: its zone would be a guess); `amount` must be
        positive. Counting happens in local time:
        - WORKING_HOURS: office time is counted forward from `start` (from the next opening if `start` is
          outside office hours or on a day off); the deadline is the instant the amount is used up.
        - WORKING_DAYS: the day of `start` does not count; the deadline is the close of office hours on
          the N-th working day after the local date of `start`.
        - DAYS: calendar days; local date + N, moved to the next working day if it is a day off; the
          deadline is the close of office hours that day.
        """
        unit = ClockUnit(unit)
        if amount <= 0:
            raise ValueError(f"a time limit must be positive, got {amount}")
        local = self._to_local(start)
        if unit is ClockUnit.WORKING_HOURS:
            result = self._add_working_hours(local, timedelta(hours=amount))
        elif unit is ClockUnit.WORKING_DAYS:
            result = self._closing_time(self._add_working_days(local.date(), amount))
        else:
            result = self._closing_time(self._on_or_after(local.date() + timedelta(days=amount)))
        return result.astimezone(UTC)

    def working_hours_between(self, start: datetime, end: datetime) -> float:
        """Office hours elapsed from `start` to `end` (for countdowns); negative if `end` < `start`.

        Both must be timezone-aware. Nights, lunch breaks and days off do not count, so this is the
        inverse of `deadline(start, n, WORKING_HOURS)` whenever that deadline falls inside office hours.
        """
        start, end = self._to_local(start), self._to_local(end)
        if end < start:
            return -self.working_hours_between(end, start)
        elapsed = timedelta()
        day = start.date()
        while day <= end.date():
            for opens, closes in self._office_intervals(day):
                elapsed += max(timedelta(), min(closes, end) - max(opens, start))
            day += timedelta(days=1)
        return elapsed / timedelta(hours=1)

    def office_resumes(self, moment: datetime) -> datetime:
        """The first instant at or after `moment` when office time runs: `moment` itself during office hours, else
        the next opening. Every instant from `moment` to it lies the same office time away from any earlier one."""
        local = self._to_local(moment)
        day = local.date()
        while True:
            for opens, closes in self._office_intervals(day):
                if closes > local:
                    return max(opens, local).astimezone(UTC)
            day = self.next_working_day(day)

    def _to_local(self, moment: datetime) -> datetime:
        """Convert an aware instant to local time; refuse naive ones instead of guessing their zone."""
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"a timezone-aware datetime is required, got naive {moment!r}")
        return moment.astimezone(ZoneInfo(self.timezone))

    def _office_intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The local opening intervals of `day`; none on a day off."""
        if not self.is_working_day(day):
            return []
        zone = ZoneInfo(self.timezone)
        return [(datetime.combine(day, opens, zone), datetime.combine(day, closes, zone))
                for opens, closes in self.office_hours]

    def _closing_time(self, day: date) -> datetime:
        """Close of office hours (end of the last interval) on `day`: day-based limits run out then."""
        return datetime.combine(day, self.office_hours[-1][1], ZoneInfo(self.timezone))

    def _on_or_after(self, day: date) -> date:
        """`day` itself if it is a working day, else the next one (a limit never ends on a day off)."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    def _add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day`; `day` itself never counts."""
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def _add_working_hours(self, start: datetime, amount: timedelta) -> datetime:
        """Consume `amount` of office time from `start`; ending exactly at a closing returns that closing."""
        remaining = amount
        day = start.date()
        while True:
            for opens, closes in self._office_intervals(day):
                opens = max(opens, start)
                if opens >= closes:
                    continue
                if opens + remaining <= closes:
                    return opens + remaining
                remaining -= closes - opens
            day = self.next_working_day(day)
