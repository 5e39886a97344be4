"""Numbers read from addresses: page numbers and record ids.

Whatever is typed into the address bar (a huge number, a negative one, zero, words) gives a page that exists
or a 404, never an error: a number too large for the database would otherwise reach it and fail there."""
from dataclasses import dataclass

from sqlalchemy import func, literal, select
from werkzeug.routing import IntegerConverter

from portal.extensions import db

MAX_ID = 2**31 - 1  # ids are INTEGER columns (32 bits on PostgreSQL): a larger number names no row
MAX_PAGE = 100_000  # far past any list; keeps the offset a sane number


class RecordId(IntegerConverter):
    """`<int:...>` in every route: a number above MAX_ID matches no route, so it is a 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def init_app(app):
    """Bound every `<int:>` in the routes; call before the blueprints are registered."""
    app.url_map.converters["int"] = RecordId


def page_number(value, default=1):
    """A page number from a query string, from 1 to MAX_PAGE; anything unreadable is `default`.
    Use as `request.args.get("page", 1, type=page_number)`."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit():
        return default
    return min(max(int(text[:7]), 1), MAX_PAGE)


def record_id(value):
    """The id a form or address names, or None when it cannot name a row (not a number, out of range)."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 10 or not 0 < int(text) <= MAX_ID:
        return None
    return int(text)


COUNT_CAP = 1000  # beyond this a list's size is shown as "more than 1,000": nobody reads further, and it costs


def count_up_to(table, condition, cap=None):
    """How many rows of `table` meet `condition`, counting no further than `cap + 1` (COUNT_CAP by default): a
    count that stops early costs the same at any size of the table (`Bounded`, below, says it in a page)."""
    cap = COUNT_CAP if cap is None else cap
    matching = select(literal(1)).select_from(table).where(condition).limit(cap + 1).subquery()
    return Bounded(db.session.scalar(select(func.count()).select_from(matching)), cap)


@dataclass(frozen=True)
class Bounded:
    """A count that stopped at `cap + 1`: exact up to the cap, otherwise "more than cap"."""

    counted: int
    cap: int

    @property
    def more(self):
        return self.counted > self.cap

    def __gt__(self, other):
        return self.counted > other


def paginate(query, page, per_page):
    """One page of `query`; a page past the end shows the last one."""
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    if page > 1 and page > pagination.pages:
        pagination = db.paginate(query, page=max(pagination.pages, 1), per_page=per_page, error_out=False)
    return pagination


@dataclass(frozen=True)
class Page:
    """One page of a list whose total is known beforehand (from stored figures or a cheap count)."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages

    @property
    def prev_num(self):
        return self.page - 1

    @property
    def next_num(self):
        return self.page + 1


def page_of(query, page, per_page, total, scalars=False):
    """Page `page` of `query` (LIMIT/OFFSET on an indexed order); a page past the end shows the last one."""
    page = min(page, Page([], page, per_page, total).pages)
    limited = query.limit(per_page).offset((page - 1) * per_page)
    result = db.session.scalars(limited) if scalars else db.session.execute(limited)
    return Page(result.all(), page, per_page, total)
