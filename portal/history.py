"""The case history: append-only events, each carrying the hash of the one before it.

The chain runs per complaint, and per inspection case (portal/oversight) in the same table, so two cases never
wait on each other; changing or removing any past event breaks every hash after it, which `flask audit verify`
reports."""
import hashlib
import json

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow

GENESIS = "0" * 64


class CaseEvent(db.Model):
    __table_args__ = (UniqueConstraint("complaint_id", "seq"), UniqueConstraint("inspection_id", "seq"),
                      CheckConstraint("(complaint_id IS NULL) <> (inspection_id IS NULL)", name="one_case"),
                      Index("ix_case_event_action_created_at", "action", "created_at"))  # recent escalations

    id: Mapped[int] = mapped_column(primary_key=True)
    # Exactly one of the two: the complaint's or the inspection case's history.
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"))
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_case.id"))
    seq: Mapped[int] = mapped_column(Integer)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))  # "resident", "system" or a staff user's id
    action: Mapped[str] = mapped_column(String(40))
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    complaint = relationship("Complaint", back_populates="events")

    def compute_hash(self):
        inspection = getattr(self, "inspection_id", None)
        body = {
            "complaint": self.complaint_id,
            "seq": self.seq,
            "at": self.created_at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "public": self.public,
            "note": self.note,
            "data": self.data,
            "prev": self.prev_hash,
        } | ({"inspection": inspection} if inspection is not None else {})  # complaints' hashes stay as they were
        canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def record_event(complaint, action, *, actor="system", public=False, note="", data=None):
    """Append an event to the complaint's history (the caller's transaction commits it)."""
    return _append(CaseEvent.complaint_id, complaint, action, actor=actor, public=public, note=note, data=data)


def record_inspection_event(inspection, action, *, actor="system", note="", data=None):
    """Append an event to an inspection case's history: never public (the inspection's internals stay inside)."""
    return _append(CaseEvent.inspection_id, inspection, action, actor=actor, public=False, note=note, data=data)


def _append(column, subject, action, *, actor, public, note, data):
    created_now = inspect(subject).pending  # a case not yet written has no history to chain to
    db.session.flush()  # the case needs its id
    last = None if created_now else db.session.execute(
        select(CaseEvent.seq, CaseEvent.hash)
        .where(column == subject.id)
        .order_by(CaseEvent.seq.desc())
        .limit(1)
    ).first()
    event = CaseEvent(
        **{column.key: subject.id},
        seq=(last.seq + 1) if last else 1,
        created_at=utcnow(),
        actor=actor,
        action=action,
        public=public,
        note=note,
        data=data or {},
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = event.compute_hash()
    db.session.add(event)
    return event


def first_broken_link():
    """Walk every complaint's and every inspection case's chain; return (the complaint's code or the inspection's
    reference, event seq, what is wrong) for the first break, or None."""
    from portal.complaints.models import Complaint
    from portal.oversight.models import InspectionCase

    for column, case in ((CaseEvent.complaint_id, Complaint.code), (CaseEvent.inspection_id, InspectionCase.reference)):
        rows = db.session.execute(select(CaseEvent, case).join(case.class_, case.class_.id == column)
                                  .order_by(column, CaseEvent.seq))
        broken = _first_break(rows, column.key)
        if broken:
            return broken
    return None


def _first_break(rows, chain):
    previous_case, previous_hash, expected_seq = None, GENESIS, 1
    for event, code in rows:
        if getattr(event, chain) != previous_case:
            previous_case, previous_hash, expected_seq = getattr(event, chain), GENESIS, 1
        problem = _link_problem(event, previous_hash, expected_seq)
        if problem:
            return code, event.seq, problem
        previous_hash, expected_seq = event.hash, event.seq + 1
    return None


def _link_problem(event, previous_hash, expected_seq):
    if event.seq != expected_seq:
        return f"event {expected_seq} is missing"
    if event.prev_hash != previous_hash:
        return "it does not point to the event before it"
    if event.compute_hash() != event.hash:
        return "its content was changed after it was written"
    return None
