"""Report periods: a month (2026-10), a quarter (2026-Q3) or a year (2026), as Hanoi dates."""
import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

KINDS = {"monthly": re.compile(r"^(\d{4})-(\d{2})$"), "quarterly": re.compile(r"^(\d{4})-Q([1-4])$"),
         "yearly": re.compile(r"^(\d{4})$")}
EXAMPLES = {"monthly": "2026-10", "quarterly": "2026-Q3", "yearly": "2026"}


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    kind: str  # monthly, quarterly or yearly
    value: str  # as typed: 2026-10, 2026-Q3, 2026
    first: date
    last: date

    @property
    def days(self):
        return (self.last - self.first).days + 1

    def each_day(self):
        return [self.first + timedelta(days=n) for n in range(self.days)]

    @property
    def label(self):
        if self.kind == "monthly":
            return _l("Month %(month)d/%(year)d", month=self.first.month, year=self.first.year)
        if self.kind == "quarterly":
            return _l("Quarter %(quarter)d/%(year)d", quarter=(self.first.month - 1) // 3 + 1, year=self.first.year)
        return _l("Year %(year)d", year=self.first.year)


def parse_period(kind, value):
    """The period `value` of `kind`; PeriodError says what to type when it is not one."""
    pattern = KINDS.get(kind)
    found = pattern.match((value or "").strip().upper()) if pattern else None
    if found is None:
        raise PeriodError(_l("Please give the period as %(example)s.", example=EXAMPLES.get(kind, "2026-10")))
    year = int(found[1])
    if not 2000 <= year <= 2100:
        raise PeriodError(_l("Please give a year between 2000 and 2100."))
    if kind == "yearly":
        first, last = date(year, 1, 1), date(year, 12, 31)
    else:
        month = int(found[2]) if kind == "monthly" else (int(found[2]) - 1) * 3 + 1
        if not 1 <= month <= 12:
            raise PeriodError(_l("Please give a month from 01 to 12."))
        months = 1 if kind == "monthly" else 3
        first = date(year, month, 1)
        after = date(year + (month + months - 1) // 12, (month + months - 1) % 12 + 1, 1)
        last = after - timedelta(days=1)
    return Period(kind=kind, value=found[0], first=first, last=last)
