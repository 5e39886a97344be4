"""The case history: append-only events, each carrying the hash of the one before it.

The chain runs per complaint, so two cases never wait on each other; changing or removing any past event breaks
every hash after it, which `flask audit verify` reports."""
import hashlib
import json

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, inspect, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow

GENESIS = "0" * 64


class CaseEvent(db.Model):
    __table_args__ = (UniqueConstraint("complaint_id", "seq"),
                      Index("ix_case_event_action_created_at", "action", "created_at"))  # recent escalations

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"))
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
        }
        canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def record_event(complaint, action, *, actor="system", public=False, note="", data=None):
    """Append an event to the complaint's history (the caller's transaction commits it)."""
    created_now = inspect(complaint).pending  # a complaint not yet written has no history to chain to
    db.session.flush()  # the complaint needs its id
    last = None if created_now else db.session.execute(
        select(CaseEvent.seq, CaseEvent.hash)
        .where(CaseEvent.complaint_id == complaint.id)
        .order_by(CaseEvent.seq.desc())
        .limit(1)
    ).first()
    event = CaseEvent(
        complaint_id=complaint.id,
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
    """Walk every case's chain; return (case code, event seq, what is wrong) for the first break, or None."""
    from portal.complaints.models import Complaint

    rows = db.session.execute(select(CaseEvent, Complaint.code).join(Complaint, Complaint.id == CaseEvent.complaint_id)
                              .order_by(CaseEvent.complaint_id, CaseEvent.seq))
    previous_case, previous_hash, expected_seq = None, GENESIS, 1
    for event, code in rows:
        if event.complaint_id != previous_case:
            previous_case, previous_hash, expected_seq = event.complaint_id, GENESIS, 1
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
