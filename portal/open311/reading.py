"""GET requests and GET requests/<id>: the complaints an Open311 client may read, as the specification's
service requests.

A client reads what it filed (portal.cases.visibility.open311_clause): its state, the location it gave, and of
what people typed only what a reviewer approved for the public (portal/publication/review.py) as `description`
and `status_notes`, since a partner may show its requests publicly. Nothing about the filer ever goes out: not
the name, nor the contact, nor the address, and never the staff's reference or notes."""
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.cases.operations import REJECTION_REASONS
from portal.cases.visibility import open311_clause, open311_frozen
from portal.complaints.models import HANDLING, Complaint
from portal.directory.cache import code_ids, directory_names
from portal.directory.models import Category, Ward
from portal.domain.enums import Status
from portal.extensions import db
from portal.open311.formats import w3c
from portal.timeutil import HANOI, utcnow

DEFAULT_DAYS = MAX_DAYS = 90
LIMIT = 1000
YEARS = (2000, 2100)
OPEN = (Status.RECEIVED.value, *HANDLING)  # Open311 has two states: open until the agency answers


@dataclass
class Query:
    ids: list
    service_codes: list
    start: datetime
    end: datetime
    statuses: list


class BadQuery(Exception):
    """A parameter that cannot be read: the message says what to send instead."""


def parse_query(args, service_codes):
    """The GET requests parameters, checked: unknown services and states, unreadable dates, a range over 90 days."""
    ids = _list(args.get("service_request_id"))
    codes = _list(args.get("service_code"))
    unknown = [code for code in codes if code not in service_codes]
    if unknown:
        raise BadQuery(_l("service_code: unknown service %(code)s (see services.xml).", code=unknown[0]))
    statuses = [status.lower() for status in _list(args.get("status"))]
    if any(status not in ("open", "closed") for status in statuses):
        raise BadQuery(_l("status: use open, closed, or both separated by a comma."))
    start, end = _range(_date(args, "start_date"), _date(args, "end_date"))
    if start > end:
        raise BadQuery(_l("start_date: the start must come before end_date."))
    if end - start > timedelta(days=MAX_DAYS):
        raise BadQuery(_l("start_date, end_date: at most %(days)d days at a time.", days=MAX_DAYS))
    return Query(ids=ids, service_codes=codes, start=start, end=end, statuses=statuses)


def _range(start, end):
    """(start, end): by default the 90 days up to the end, or from the start; the end by default now."""
    if start and not end:
        end = min(start + timedelta(days=DEFAULT_DAYS), utcnow())
    end = end or utcnow()
    return start or end - timedelta(days=DEFAULT_DAYS), end


def find(query, key):
    """The service requests the query names, newest first, at most 1,000. Ids are looked up whatever their date
    (the specification: the other parameters are ignored when ids are given)."""
    statement = select(Complaint).where(open311_clause(key))
    if query.ids:
        statement = statement.where(Complaint.code.in_(query.ids[:LIMIT]))
    else:
        statement = statement.where(Complaint.created_at >= query.start, Complaint.created_at <= query.end)
        if query.service_codes:
            ids = code_ids(Category)
            statement = statement.where(Complaint.category_id.in_([ids[code] for code in query.service_codes]))
        if len(query.statuses) == 1:
            opened = Complaint.status.in_(OPEN)
            statement = statement.where(opened if query.statuses == ["open"] else ~opened)
    complaints = db.session.scalars(statement.options(joinedload(Complaint.public_version))
                                    .order_by(Complaint.created_at.desc(), Complaint.id.desc()).limit(LIMIT)).all()
    return described(complaints)


def find_one(code, key):
    complaint = db.session.scalars(select(Complaint).where(open311_clause(key), Complaint.code == code)
                                   .options(joinedload(Complaint.public_version))).first()
    return described([complaint]) if complaint is not None else None


def find_token(token, key):
    complaint = db.session.scalars(select(Complaint).where(open311_clause(key), Complaint.api_token == token)).first()
    return [{"service_request_id": complaint.code, "token": token}] if complaint is not None else None


def described(complaints):
    names = directory_names()
    codes = {model: {row_id: code for code, row_id in code_ids(model).items()} for model in (Category, Ward)}
    return [_request(complaint, names, codes) for complaint in complaints]


def _request(complaint, names, codes):
    """The request as its client may see it: texts only as approved for the public, and a request intake found to
    be a denunciation frozen as it was filed."""
    ward = names["ward"].get(complaint.ward_id, "") if complaint.ward_id else ""
    frozen = open311_frozen(complaint)
    public = complaint.public_version if complaint.published_at and not frozen else None
    return {
        "service_request_id": complaint.code,
        "status": "open" if frozen or complaint.status in OPEN else "closed",
        "status_notes": public.reply if public else _notes(complaint, frozen),
        "service_name": names["category"][complaint.category_id],
        "service_code": codes[Category][complaint.category_id],
        "description": public.text if public else "",
        "agency_responsible": names["agency"].get(complaint.agency_id, "") if complaint.accepted_at and not frozen
        else "",
        "service_notice": "",
        "requested_datetime": w3c(complaint.created_at),
        "updated_datetime": w3c(complaint.created_at if frozen else complaint.updated_at),
        "expected_datetime": w3c(complaint.accept_due_at if frozen else complaint.current_deadline),
        "address": complaint.location_text or ward,
        "address_id": codes[Ward].get(complaint.ward_id, ""),
        "zipcode": "",
        "lat": complaint.latitude,
        "long": complaint.longitude,
        "media_url": "",
    }


def _notes(complaint, frozen):
    """What the state means, or the reason when intake declined (the platform's words, never a person's)."""
    if frozen:
        return str(Status.RECEIVED.description)
    if complaint.status == Status.REJECTED.value:
        return str(REJECTION_REASONS.get(complaint.rejection_reason, complaint.status_enum.description))
    return str(complaint.status_enum.description)


def _list(value):
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def _date(args, name):
    text = (args.get(name) or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace(" ", "+"))  # a "+" left unencoded in a query reads as a space
    except ValueError:
        raise BadQuery(_l("%(name)s: not a W3C date; use e.g. 2026-12-01T00:00:00+07:00.", name=name)) from None
    if not YEARS[0] <= moment.year <= YEARS[1]:  # also keeps the arithmetic below within datetime's range
        raise BadQuery(_l("%(name)s: please give a date between the years %(first)d and %(last)d.", name=name,
                          first=YEARS[0], last=YEARS[1]))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=HANOI)
    return moment.astimezone(UTC)
