"""A complaint as an index document.

Only what every reader of the index may see goes in: for a tố cáo, the redacted subject and text that intake
writes for the agency (nothing until then), never the text as filed; for every kind, nothing from the Filer
table. Whoever may search sees the same text, so the index needs no per-role copies."""
from datetime import UTC

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.cases.visibility import is_secret_identity
from portal.complaints.models import Complaint
from portal.domain.enums import Status
from portal.domain.text import fold, official_key, procedure_key
from portal.search.analysis import nfc


def visible_text(complaint):
    """(title, description) as the index holds them."""
    if is_secret_identity(complaint):
        return nfc(complaint.redacted_title or ""), nfc(complaint.redacted_description or "")
    return nfc(complaint.title), nfc(complaint.description)


def document(complaint):
    """The fields `writer.update_document` takes for `complaint` (relations loaded: see `load`)."""
    title, body = visible_text(complaint)
    details = " ".join(filter(None, (
        complaint.official_name, complaint.official_position, complaint.procedure_name, complaint.dossier_code,
        complaint.ward.name_vi if complaint.ward else "", complaint.agency.name_vi if complaint.agency else "",
    )))
    fields = {
        "id": str(complaint.id), "code": complaint.code, "version": complaint.version,
        "agency_code": complaint.agency.code if complaint.agency else "",
        "title": title, "body": body, "details": details, "exact": f"{title}\n{body}",
        "kind": complaint.kind, "status": complaint.status,
        "agency": _code(complaint.agency), "category": _code(complaint.category),
        "problem_type": _code(complaint.problem_type), "ward": _code(complaint.ward),
        **keys(complaint),
        "accepted": complaint.accepted_at is not None, "open": Status(complaint.status).is_open,
        "created": naive_utc(complaint.created_at),
    }
    due = complaint.current_deadline
    if due is not None and fields["open"]:
        fields["due"] = naive_utc(due)
    return {name: value for name, value in fields.items() if value not in ("", None)}


def keys(complaint):
    """The official, procedure and dossier a complaint names, keyed as the patterns group them (the stored keys
    follow merges of officials made by staff)."""
    return {"official": complaint.official_key or official_key(complaint.official_name),
            "procedure": complaint.procedure_key or procedure_key(complaint.procedure_name),
            "dossier": fold(complaint.dossier_code)}


def _code(row):
    return row.code.lower() if row is not None else ""


def naive_utc(moment):
    """Whoosh's DATETIME takes naive datetimes: ours are UTC."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment else None


def load(ids=None):
    """A query for complaints with what their documents need, in one round trip each batch."""
    query = select(Complaint).options(joinedload(Complaint.agency), joinedload(Complaint.category),
                                      joinedload(Complaint.problem_type), joinedload(Complaint.ward))
    if ids is not None:
        query = query.where(Complaint.id.in_(ids))
    return query.order_by(Complaint.id)
