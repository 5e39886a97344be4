"""Extension requests and residents' ratings of answers."""
from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow

PENDING, APPROVED, REFUSED = "pending", "approved", "refused"


class ExtensionRequest(db.Model):
    """An officer asks for more time; the agency head decides, within the kind's legal limit."""

    # The follow-up page lists the pending requests oldest first, a page of them from this index.
    __table_args__ = (Index("ix_extension_request_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    decision_note: Mapped[str] = mapped_column(Text, default="")
    created_at = mapped_column(UTCDateTime, default=utcnow)
    decided_at = mapped_column(UTCDateTime, index=True)

    complaint = relationship("Complaint")
    requested_by = relationship(User, foreign_keys=[requested_by_id])
    decided_by = relationship(User, foreign_keys=[decided_by_id])


class Rating(db.Model):
    """A resident's rating of an answer, on the five SIPAS aspects (1 very dissatisfied … 5 very satisfied)."""

    ASPECTS = ("access", "procedure", "conduct", "result", "handling")
    # A complaint's ratings, and its latest (a reopened case is rated again) read from the index alone: with
    # complaint_id only, PostgreSQL walked the whole table backwards for each answered case of a report day.
    __table_args__ = (Index("ix_rating_complaint_id_id", "complaint_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"))
    access: Mapped[int] = mapped_column(Integer)
    procedure: Mapped[int] = mapped_column(Integer)
    conduct: Mapped[int] = mapped_column(Integer)
    result: Mapped[int] = mapped_column(Integer)
    handling: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)  # the mean of the five, for averages per agency
    satisfied: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at = mapped_column(UTCDateTime, default=utcnow)

    complaint = relationship("Complaint", backref="ratings")
