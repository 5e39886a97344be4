"""Inspection cases (kiểm tra công vụ, thanh tra) and what they find, and the log of who looked at an official's
record.

An inspection is about an agency (or one of its one-stop-shop desks) and, often, a named official; it may group
complaints, come from a pattern group, or be opened on the inspectors' own initiative. Its history is kept in the
same hash-chained table as the complaints' (portal/history.py)."""
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.complaints.models import Complaint
from portal.directory.models import Agency
from portal.extensions import db
from portal.oversight.states import InspectionStatus
from portal.timeutil import UTCDateTime, utcnow

inspection_complaint = Table(
    "inspection_complaint", db.metadata,
    Column("inspection_id", ForeignKey("inspection_case.id"), primary_key=True),
    Column("complaint_id", ForeignKey("complaint.id"), primary_key=True, index=True))

inspection_member = Table(
    "inspection_member", db.metadata,
    Column("inspection_id", ForeignKey("inspection_case.id"), primary_key=True),
    Column("user_id", ForeignKey("staff_user.id"), primary_key=True, index=True))


class InspectionCase(db.Model):
    __tablename__ = "inspection_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)  # TT-2026-XXXXXX
    status: Mapped[str] = mapped_column(String(20), default=InspectionStatus.OPENED.value, index=True)
    origin: Mapped[str] = mapped_column(String(20))  # complaints, pattern or own initiative (see states.Origin)
    unannounced: Mapped[bool] = mapped_column(Boolean, default=False)  # an unannounced public-service check
    pattern_dimension: Mapped[str] = mapped_column(String(20), default="")  # the pattern group it came from
    pattern_key: Mapped[str] = mapped_column(String(300), default="")

    # The subject: an agency (or one of its desks) and, often, an official of it.
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), index=True)
    desk: Mapped[str] = mapped_column(String(200), default="")  # a one-stop-shop desk, for a check of one
    official_name: Mapped[str] = mapped_column(String(200), default="")
    official_position: Mapped[str] = mapped_column(String(200), default="")
    official_key: Mapped[str | None] = mapped_column(String(200), index=True)  # as the complaints' patterns group
    party_member: Mapped[bool] = mapped_column(Boolean, default=False)

    allegations: Mapped[str] = mapped_column(Text)
    plan: Mapped[str] = mapped_column(Text, default="")
    due_at = mapped_column(UTCDateTime, nullable=False)  # the inspection's own deadline

    recommendation: Mapped[str] = mapped_column(String(30), default="")  # states.Recommendation
    recommendation_reason: Mapped[str] = mapped_column(Text, default="")
    # A party member disciplined: their party organisation must be told within five working days.
    party_notice_due_at = mapped_column(UTCDateTime, index=True)
    party_notified_at = mapped_column(UTCDateTime)
    party_notice_escalated_at = mapped_column(UTCDateTime)

    opened_by_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow, index=True)
    closed_at = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    agency = relationship(Agency)
    opened_by = relationship(User, foreign_keys=[opened_by_id])
    complaints = relationship(Complaint, secondary=inspection_complaint, order_by=Complaint.id)
    members = relationship(User, secondary=inspection_member, order_by=User.name)
    findings = relationship("Finding", back_populates="inspection", order_by="Finding.id")

    @property
    def status_enum(self):
        return InspectionStatus(self.status)


class Finding(db.Model):
    """What the inspection found on one allegation, with its evidence (Attachment.finding_id)."""

    __tablename__ = "inspection_finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection_case.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    substantiated: Mapped[bool] = mapped_column(Boolean)  # the allegation is borne out (có cơ sở)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow)

    inspection = relationship(InspectionCase, back_populates="findings")
    created_by = relationship(User)
    files = relationship("Attachment", order_by="Attachment.id")


class RecordView(db.Model):
    """Somebody opened a named official's record: every view is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    official_key: Mapped[str] = mapped_column(String(200), index=True)
    created_at = mapped_column(UTCDateTime, default=utcnow)

    user = relationship(User)
