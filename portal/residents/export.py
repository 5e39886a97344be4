"""A resident's own data, to download: the account, and every complaint filed with its email as its filer may see
it on the tracking page (what they wrote, their own details and files, the status and dates, the public history
with the agency's public replies, their ratings). Never internal notes, staff names the agency did not choose to
show, nor the redacted text the agency works from."""
from sqlalchemy import select

from portal.cases.operations import REJECTION_REASONS
from portal.cases.visibility import main_case_code
from portal.directory.cache import directory_names
from portal.events import event_label
from portal.extensions import db
from portal.history import CaseEvent
from portal.residents.operations import own_complaints
from portal.timeutil import to_local, utcnow

FILER_FIELDS = ("filer_type", "full_name", "organisation", "tax_code", "phone", "email", "address",
                "contact_preference")
WRITTEN_FIELDS = ("title", "description", "official_name", "official_position", "procedure_name", "dossier_code")


def own_data(account):
    names = directory_names()
    complaints = db.session.scalars(own_complaints(account)).all()
    return {
        "exported_at": _time(utcnow()),
        "account": {"email": account.email, "notifications": account.notifications,
                    "created_at": _time(account.created_at)},
        "complaints": [_complaint(complaint, names) for complaint in complaints],
    }


def _complaint(complaint, names):
    return {
        "code": complaint.code, "kind": complaint.kind, "kind_label": str(complaint.kind_enum.label),
        "status": complaint.status, "status_label": str(complaint.status_enum.label),
        "filed_at": _time(complaint.created_at), "accepted_at": _time(complaint.accepted_at),
        "answered_at": _time(complaint.answered_at), "closed_at": _time(complaint.closed_at),
        **{field: getattr(complaint, field) or "" for field in WRITTEN_FIELDS},
        "category": names["category"].get(complaint.category_id, ""),
        "problem_type": names["problem_type"].get(complaint.problem_type_id, ""),
        "ward": names["ward"].get(complaint.ward_id, ""),
        "agency": names["agency"].get(complaint.agency_id, ""),
        "officer_in_charge": complaint.assignee.name if complaint.assignee_public and complaint.assignee else "",
        "handled_with_case": main_case_code(complaint),
        "filer": {field: getattr(complaint.filer, field) for field in FILER_FIELDS},
        "files": [{"name": f.original_name, "type": f.mime, "size": f.size}
                  for f in complaint.attachments if f.event_id is None],
        "history": [_event(event) for event in _public_events(complaint)],
        "ratings": [{"at": _time(r.created_at), "comment": r.comment,
                     **{aspect: getattr(r, aspect) for aspect in r.ASPECTS}} for r in complaint.ratings],
    }


def _public_events(complaint):
    return db.session.scalars(select(CaseEvent).where(CaseEvent.complaint_id == complaint.id, CaseEvent.public)
                              .order_by(CaseEvent.seq)).all()


def _event(event):
    reason = REJECTION_REASONS.get((event.data or {}).get("reason")) if event.action == "rejected" else None
    return {"at": _time(event.created_at), "what": str(event_label(event.action)), "by_you": event.actor == "resident",
            "note": event.note, **({"reason": str(reason)} if reason else {})}


def _time(moment):
    return to_local(moment).isoformat() if moment else None
