"""The staff case list, a page at a time: cases with a deadline first, the earliest (so the overdue) first, then
those without one; ties by id.

A page costs what it shows, not how many cases exist: the list is a merge of streams, one per status (and, for
the open ones, one for the cases with a deadline and one without), each read in the order of an index and cut
at a page's length (migration 0009 adds the indexes). Pages are named by the key of the case they start after
or end before (keyset pagination), so page 1,000 costs what page 1 does, and nothing counts every case."""
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import cast, literal, null, select, tuple_, union_all
from sqlalchemy.orm import joinedload

from portal.cases.visibility import tracking_code_clause, visible_cases_clause
from portal.complaints.codes import LENGTH, REFERENCE_LENGTH
from portal.complaints.models import Complaint
from portal.directory.models import Agency, Category
from portal.domain.enums import Kind, Status
from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow

PER_PAGE = 50
FILTERS = ("status", "kind", "category", "agency", "overdue", "code", "assignee")
ASSIGNEE = {"me": lambda user: Complaint.assignee_id == user.id,  # "mine"
            "none": lambda user: Complaint.assignee_id.is_(None)}  # with the agency, no officer named yet
S = Status
# The deadline that counts in each open status (Complaint.current_deadline, as columns)
DUE = {S.RECEIVED.value: Complaint.accept_due_at, S.ACCEPTED.value: Complaint.resolve_due_at,
       S.ASSIGNED.value: Complaint.resolve_due_at, S.IN_PROGRESS.value: Complaint.resolve_due_at}
FULL_CODE = re.compile(rf"^(HN-\d{{4}}-[0-9A-Z]{{{LENGTH}}}|VV-\d{{4}}-[0-9A-Z]{{{REFERENCE_LENGTH}}})$")
KEY = re.compile(r"^(?:(\d{20})|-)\.(\d{1,10})$")
STAMP = "%Y%m%d%H%M%S%f"


@dataclass(frozen=True)
class Key:
    """Where a case stands in the list: its deadline (None: none, listed after every dated case) and id."""

    due: datetime | None
    id: int

    def token(self):
        return f"{self.due.astimezone(UTC).strftime(STAMP) if self.due else '-'}.{self.id}"

    @classmethod
    def parse(cls, text):
        """The key an address names, or None when it names none (then the list starts at the top)."""
        found = KEY.match(text or "")
        if found is None:
            return None
        try:
            due = datetime.strptime(found[1], STAMP).replace(tzinfo=UTC) if found[1] else None
        except ValueError:
            return None
        return cls(due, int(found[2]))


@dataclass
class CasePage:
    items: list
    next_key: Key | None  # the "next" link starts after this case, when there are more
    prev_key: Key | None  # the "previous" link ends before this case, when there are earlier ones


def case_list_page(user, args):
    """(CasePage, filters): the page of the cases `user` may see that the request's arguments ask for."""
    filters = {name: args.get(name, "") for name in FILTERS}
    after, before = Key.parse(args.get("after")), Key.parse(args.get("before"))
    streams = [stream.where(*conditions(user, filters)) for stream in _streams(filters)]
    backwards = before is not None and after is None
    rows = _read(streams, before if backwards else after, backwards)
    if not rows and (after or before):  # a link past either end (the list moved, or a typed address): the top
        return case_list_page(user, {name: value for name, value in args.items() if name not in ("after", "before")})
    more = len(rows) > PER_PAGE
    rows = rows[:PER_PAGE]
    if backwards:
        rows.reverse()
    keys = [Key(row.due, row.id) for row in rows]
    earlier = more if backwards else after is not None  # going back, more rows means an earlier page
    later = True if backwards else more
    return CasePage(items=_complaints([key.id for key in keys]), next_key=keys[-1] if keys and later else None,
                    prev_key=keys[0] if keys and earlier else None), filters


def conditions(user, filters):
    """The SQL conditions every stream shares: the visibility rule, then the filters."""
    found = [visible_cases_clause(user)]
    if filters["kind"] in Kind._value2member_map_:
        found.append(Complaint.kind == filters["kind"])
    if filters["category"]:
        found.append(Complaint.category_id == _id_of(Category, filters["category"]))
    if filters["agency"]:
        found.append(Complaint.agency_id == _id_of(Agency, filters["agency"]))
    if filters["assignee"] in ASSIGNEE:
        found.append(ASSIGNEE[filters["assignee"]](user))
    if filters["code"]:  # the staff reference; the resident's code only where the viewer may see it
        typed = filters["code"].strip().upper()
        if FULL_CODE.match(typed):  # a whole code: read from the unique indexes, not by a scan
            found.append((Complaint.reference == typed) | ((Complaint.code == typed) & tracking_code_clause(user)))
        else:
            found.append(Complaint.reference.contains(typed)
                         | (Complaint.code.contains(typed) & tracking_code_clause(user)))
    return found


def _id_of(model, code):
    return select(model.id).where(model.code == code).scalar_subquery()


@dataclass
class _Stream:
    """The cases of one status, with a deadline (`due` its column) or without one (`due` None)."""

    status: str
    due: object
    extra: tuple = ()

    def where(self, *conditions):
        return _Stream(self.status, self.due, self.extra + conditions)

    def select(self, key, backwards, limit):
        """Up to `limit` of this stream's rows (undated, due, id) after `key` (before it, nearest first, when
        `backwards`); None when no row of the stream can be there."""
        dated = self.due is not None
        due = self.due if dated else cast(null(), UTCDateTime)
        query = select(literal(0 if dated else 1).label("undated"), due.label("due"), Complaint.id.label("id"))
        query = query.where(Complaint.status == self.status, *self.extra)
        if self.status in DUE:
            query = query.where(self.due.is_not(None) if dated else DUE[self.status].is_(None))
        beyond = True if key is None else self.beyond(key, backwards)
        if beyond is False:
            return None
        if beyond is not True:
            query = query.where(beyond)
        order = [self.due, Complaint.id] if dated else [Complaint.id]
        return query.order_by(*[column.desc() if backwards else column for column in order]).limit(limit)

    def beyond(self, key, backwards):
        """The condition for this stream's rows after `key` (before it, when `backwards`): True for all of them,
        False for none. Every dated case comes before every undated one."""
        if self.due is not None and key.due is not None:
            here, there = tuple_(self.due, Complaint.id), tuple_(literal(key.due, UTCDateTime), literal(key.id))
            return here < there if backwards else here > there
        if self.due is not None:
            return backwards
        if key.due is not None:
            return not backwards
        return Complaint.id < key.id if backwards else Complaint.id > key.id


def _read(streams, key, backwards):
    """[(undated, due, id)]: the first PER_PAGE + 1 rows of the merged streams beyond `key`, in list order (the
    nearest first when `backwards`). One statement; each stream stops at the page's length."""
    parts = [stream.select(key, backwards, PER_PAGE + 1) for stream in streams]
    parts = [select(part.subquery()) for part in parts if part is not None]
    if not parts:
        return []
    merged = union_all(*parts).subquery()
    order = [merged.c.undated, merged.c.due, merged.c.id]
    query = select(merged).order_by(*[column.desc() if backwards else column for column in order])
    return list(db.session.execute(query.limit(PER_PAGE + 1)))


def _complaints(ids):
    """The complaints with `ids`, in that order, with their agencies and officers (one statement)."""
    if not ids:
        return []
    found = {c.id: c for c in db.session.scalars(
        select(Complaint).where(Complaint.id.in_(ids)).options(joinedload(Complaint.agency),
                                                               joinedload(Complaint.assignee)))}
    return [found[number] for number in ids if number in found]


def _streams(filters):
    status, overdue = filters["status"], bool(filters["overdue"])
    if status in S._value2member_map_:
        statuses = [status]
    elif status == "all":
        statuses = list(S._value2member_map_)
    else:
        statuses = list(DUE)
    streams = []
    for name in statuses:
        if name in DUE:
            streams.append(_Stream(name, DUE[name], (DUE[name] < utcnow(),) if overdue else ()))
        if not overdue:  # a case without a deadline is never overdue
            streams.append(_Stream(name, None))
    return streams
