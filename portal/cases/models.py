"""Extension requests."""
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow

PENDING, APPROVED, REFUSED = "pending", "approved", "refused"


class ExtensionRequest(db.Model):
    """An officer asks for more time; the agency head decides, within the kind's legal limit."""

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=PENDING, index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    decision_note: Mapped[str] = mapped_column(Text, default="")
    created_at = mapped_column(UTCDateTime, default=utcnow)
    decided_at = mapped_column(UTCDateTime)

    complaint = relationship("Complaint")
    requested_by = relationship(User, foreign_keys=[requested_by_id])
    decided_by = relationship(User, foreign_keys=[decided_by_id])
