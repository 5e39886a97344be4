"""Outbox rows and the worker's heartbeat."""
from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow

PENDING, DONE, FAILED, DISCARDED = "pending", "done", "failed", "discarded"


class OutboxMessage(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(30))
    payload: Mapped[dict] = mapped_column(JSON)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    available_at = mapped_column(UTCDateTime, default=utcnow, index=True)
    locked_until = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at = mapped_column(UTCDateTime, default=utcnow)
    done_at = mapped_column(UTCDateTime)


class WorkerBeat(db.Model):
    """When the worker last went round, for /healthz."""

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_run_at = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
