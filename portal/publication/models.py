"""The public version of a consented complaint: its question and the agency's answer as a reviewer approved them.

The only text of a complaint the public pages, the public index and Open311 reads show. One row per complaint,
replaced when a new answer is approved; each approval is an event in the case's history."""
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow


class PublicVersion(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), unique=True)
    subject: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    reply: Mapped[str] = mapped_column(Text)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    approved_at = mapped_column(UTCDateTime, default=utcnow)

    complaint = relationship("Complaint", back_populates="public_version")
