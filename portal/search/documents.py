"""A complaint as an index document.

Only what every reader of the index may see goes in: for a tố cáo, the redacted subject and text that intake
writes for the agency (nothing until then), never the text as filed; for every kind, nothing from the Filer
table. Whoever may search sees the same text, so the index needs no per-role copies."""
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.cases.visibility import agency_details, is_secret_identity
from portal.complaints.models import Complaint
from portal.domain.enums import Status
from portal.domain.text import fold, official_key, procedure_key
from portal.search.analysis import nfc, phrase_text


def visible_text(complaint):
    """(title, description) as the index holds them."""
    if is_secret_identity(complaint):
        return nfc(complaint.redacted_title or ""), nfc(complaint.redacted_description or "")
    return nfc(complaint.title), nfc(complaint.description)


def document(complaint):
    """The fields `writer.update_document` takes for `complaint` (relations loaded: see `load`)."""
    title, body = visible_text(complaint)
    shown = agency_details(complaint)
    details = " ".join(filter(None, (
        *shown, _dossier(complaint),
        complaint.ward.name_vi if complaint.ward else "", complaint.agency.name_vi if complaint.agency else "",
    )))
    is_open = Status(complaint.status).is_open
    due = complaint.current_deadline if is_open else None
    fields = {
        "id": str(complaint.id), "code": complaint.code, "version": complaint.version,
        "agency_code": complaint.agency.code if complaint.agency else "",
        "title": title, "body": body,
        "text": f"{title}\n{title}\n{details}\n{body}", "exact": f"{title}\n{body}",
        "phrase": phrase_text(title, details, body),
        "kind": complaint.kind.encode(), "status": complaint.status.encode(),
        "agency": _code(complaint.agency), "category": _code(complaint.category),
        "problem_type": _code(complaint.problem_type), "ward": _code(complaint.ward),
        **keys(complaint, shown),
        "accepted": int(complaint.accepted_at is not None), "open": int(is_open),
        "created": seconds(complaint.created_at), "due": seconds(due),
    }
    return {name: value for name, value in fields.items() if value not in ("", b"", None)}


def keys(complaint, shown=None):
    """The official, procedure and dossier a complaint names, keyed as the patterns group them (the stored keys
    follow merges of officials made by staff). A tố cáo's are keyed as the agency sees them (`shown`, from
    agency_details): a key of what the machine redacted would let a search filter confirm a guess of the
    denouncer's name."""
    official, _, procedure = shown or agency_details(complaint)
    return {"official": _key(complaint.official_key, complaint.official_name, official, official_key),
            "procedure": _key(complaint.procedure_key, complaint.procedure_name, procedure, procedure_key),
            "dossier": fold(_dossier(complaint))}


def _key(stored, written, shown, make):
    """The stored key while what is shown is what was written; otherwise the key of what is shown."""
    return stored if stored and shown == (written or "") else make(shown)


def _dossier(complaint):
    """A dossier belongs to whoever filed it: a tố cáo's would lead from the denunciation to its filer's other
    complaints, so it is not indexed."""
    return "" if is_secret_identity(complaint) else complaint.dossier_code


def _code(row):
    return row.code.lower().encode() if row is not None else b""


def seconds(moment):
    """A moment as whole seconds since the epoch (the date columns); 0 for none."""
    return int(moment.timestamp()) if moment else 0


def load(ids=None):
    """A query for complaints with what their documents need, in one round trip each batch."""
    query = select(Complaint).options(joinedload(Complaint.agency), joinedload(Complaint.category),
                                      joinedload(Complaint.problem_type), joinedload(Complaint.ward))
    if ids is not None:
        query = query.where(Complaint.id.in_(ids))
    return query.order_by(Complaint.id)
