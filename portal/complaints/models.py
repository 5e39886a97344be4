"""A complaint, the person who filed it, and its attachments.

The filer's personal data lives in its own table so that one function can decide who may see it: for a
tố cáo it is a legal secret (Luật Tố cáo 2018, Art. 9 and 47)."""
from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, event, false, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.directory.models import Agency, Category, ProblemType, RoutingRule, Ward
from portal.domain.enums import Kind, Status
from portal.extensions import db
from portal.publication.rule import answer_will_be_public, published_since
from portal.timeutil import UTCDateTime, utcnow


class Filer(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    filer_type: Mapped[str] = mapped_column(String(20))
    full_name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(300), default="")
    tax_code: Mapped[str] = mapped_column(String(20), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")  # E.164
    email: Mapped[str] = mapped_column(String(254), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    contact_preference: Mapped[str] = mapped_column(String(10), default="email")


# A resident's account lists the complaints filed with its email, in any letter case (portal/residents).
Index("ix_filer_email_lower", func.lower(Filer.email))


# The staff case list reads each status's cases in deadline order (or by id), overall, per agency and per kind
# (inspections/case_listing.py), and the intake queue oldest first (inspections/triage.py; migration 0009).
LIST_INDEXES = {
    "ix_complaint_list_status_accept": ("status", "accept_due_at", "id"),
    "ix_complaint_list_status_resolve": ("status", "resolve_due_at", "id"),
    "ix_complaint_list_status_id": ("status", "id"),
    "ix_complaint_list_agency_accept": ("agency_id", "status", "accept_due_at", "id"),
    "ix_complaint_list_agency_resolve": ("agency_id", "status", "resolve_due_at", "id"),
    "ix_complaint_list_agency_id": ("agency_id", "status", "id"),
    "ix_complaint_list_kind_accept": ("kind", "status", "accept_due_at", "id"),
    "ix_complaint_list_kind_resolve": ("kind", "status", "resolve_due_at", "id"),
    "ix_complaint_list_kind_id": ("kind", "status", "id"),
    "ix_complaint_list_status_created": ("status", "created_at", "id"),  # the intake desk's queue
    # "Mine" and "my agency's unassigned" (an officer's lists: always within their agency; migration 0014).
    "ix_complaint_list_assignee_resolve": ("agency_id", "assignee_id", "status", "resolve_due_at", "id"),
    "ix_complaint_list_assignee_id": ("agency_id", "assignee_id", "status", "id"),
}


HANDLING = (Status.ACCEPTED.value, Status.ASSIGNED.value, Status.IN_PROGRESS.value)


def current_deadline(status, accept_due_at, resolve_due_at):
    """The deadline that counts now: acceptance before triage, resolution after; none once answered."""
    if status == Status.RECEIVED.value:
        return accept_due_at
    if status in HANDLING:
        return resolve_due_at
    return None


OPEN_ONLY = text("current_due_at IS NOT NULL")
PUBLISHED_ONLY = text("published_at IS NOT NULL")
AWAITING_REVIEW = text("publication_review = 'waiting'")


class Complaint(db.Model):
    __table_args__ = tuple(Index(name, *columns) for name, columns in LIST_INDEXES.items()) + (
        # Open cases by deadline (overdue and near-due lists, the deadline sweep of the figures): partial indexes.
        Index("ix_complaint_current_due", "current_due_at", postgresql_where=OPEN_ONLY, sqlite_where=OPEN_ONLY),
        Index("ix_complaint_agency_current_due", "agency_id", "current_due_at",
              postgresql_where=OPEN_ONLY, sqlite_where=OPEN_ONLY),
        # A pattern group's complaints, newest first (the drill-down).
        Index("ix_complaint_agency_created", "agency_id", "created_at"),
        Index("ix_complaint_ward_created", "ward_id", "created_at"),
        Index("ix_complaint_category_created", "category_id", "created_at"),
        Index("ix_complaint_problem_type_created", "problem_type_id", "created_at"),
        Index("ix_complaint_official_key_created", "official_key", "created_at"),
        Index("ix_complaint_procedure_key_created", "procedure_key", "created_at"),
        Index("ix_complaint_api_key_created", "api_key_id", "created_at"),  # an Open311 client's own requests
        # The public list of answers, newest first: only the published rows (migration 0018).
        Index("ix_complaint_published", "published_at", "id",
              postgresql_where=PUBLISHED_ONLY, sqlite_where=PUBLISHED_ONLY),
        # The reviewers' queue of answers to publish, oldest first (migration 0022).
        Index("ix_complaint_publication_queue", "publication_queued_at", "id",
              postgresql_where=AWAITING_REVIEW, sqlite_where=AWAITING_REVIEW),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # the resident's tracking code
    reference: Mapped[str] = mapped_column(String(20), unique=True, index=True)  # the staff's name for the case
    kind: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20), default=Status.RECEIVED.value)  # indexed by LIST_INDEXES
    locale: Mapped[str] = mapped_column(String(5), default="vi")
    channel: Mapped[str] = mapped_column(String(20), default="web")  # how it reached us: the web form, the API
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    # The filer agreed, when filing, that the question and the answer be published without their identity.
    publish_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    publication_withdrawn_at = mapped_column(UTCDateTime)  # staff took it off the public pages (with a reason)
    # A consented answer's public version: waiting for a reviewer since publication_queued_at, approved or declined.
    publication_review: Mapped[str | None] = mapped_column(String(10))
    publication_queued_at = mapped_column(UTCDateTime)
    filer_id: Mapped[int | None] = mapped_column(ForeignKey("filer.id"), index=True)  # a resident's account list

    concerned_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), index=True)
    routing_rule_id: Mapped[int | None] = mapped_column(ForeignKey("routing_rule.id"))
    official_name: Mapped[str] = mapped_column(String(200), default="")
    official_position: Mapped[str] = mapped_column(String(200), default="")
    # Grouping keys for repeated-problem patterns (see portal/patterns); filled at filing and by `patterns refresh`.
    official_key: Mapped[str | None] = mapped_column(String(200))
    procedure_key: Mapped[str | None] = mapped_column(String(300))
    procedure_name: Mapped[str] = mapped_column(String(300), default="")
    dossier_code: Mapped[str] = mapped_column(String(60), default="")
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"))
    problem_type_id: Mapped[int] = mapped_column(ForeignKey("problem_type.id"))
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("ward.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)

    # What the handling agency sees of a tố cáo: intake removes what would identify the denouncer.
    redacted_title: Mapped[str | None] = mapped_column(String(200))
    redacted_description: Mapped[str | None] = mapped_column(Text)

    suggested_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    routing_kept: Mapped[bool | None] = mapped_column(Boolean)  # did intake keep the suggested agency?
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"))
    rejection_reason: Mapped[str] = mapped_column(String(40), default="")
    complex_case: Mapped[bool] = mapped_column(Boolean, default=False)
    # "5 rõ": the named officer of the agency who owns the case and what they are to do, set by the agency head.
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    assignee_task: Mapped[str] = mapped_column(Text, default="")
    assignee_public: Mapped[bool] = mapped_column(Boolean, default=False)  # the agency shows the name to the filer
    extensions_used: Mapped[int] = mapped_column(Integer, default=0)
    # Filed over Open311: the key of the software that filed it (which alone may read it back in full), the
    # token the filing answered with, and the location as that software gave it.
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_key.id"))
    api_token: Mapped[str | None] = mapped_column(String(43), unique=True)
    location_text: Mapped[str] = mapped_column(String(300), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)

    created_at = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    accepted_at = mapped_column(UTCDateTime)
    answered_at = mapped_column(UTCDateTime, index=True)
    closed_at = mapped_column(UTCDateTime)
    accept_due_at = mapped_column(UTCDateTime, index=True)
    resolve_due_at = mapped_column(UTCDateTime, index=True)
    current_due_at = mapped_column(UTCDateTime)  # current_deadline, stored for indexed lists; kept by a mapper hook
    published_at = mapped_column(UTCDateTime)  # publication.rule.published_since, stored likewise
    # When the deadline checker last warned about or escalated each deadline (each happens once per deadline).
    accept_reminded_at = mapped_column(UTCDateTime)
    resolve_reminded_at = mapped_column(UTCDateTime)
    accept_escalated_at = mapped_column(UTCDateTime)
    resolve_escalated_at = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    filer = relationship(Filer)
    concerned_agency = relationship(Agency, foreign_keys=[concerned_agency_id])
    agency = relationship(Agency, foreign_keys=[agency_id])
    suggested_agency = relationship(Agency, foreign_keys=[suggested_agency_id])
    assignee = relationship("User", foreign_keys=[assignee_id])
    merged_into = relationship("Complaint", remote_side="Complaint.id", foreign_keys=[merged_into_id])
    routing_rule = relationship(RoutingRule)
    category = relationship(Category)
    problem_type = relationship(ProblemType)
    ward = relationship(Ward)
    attachments = relationship("Attachment", back_populates="complaint", order_by="Attachment.id")
    events = relationship("CaseEvent", back_populates="complaint", order_by="CaseEvent.seq")
    public_version = relationship("PublicVersion", back_populates="complaint", uselist=False)

    @property
    def kind_enum(self):
        return Kind(self.kind)

    @property
    def status_enum(self):
        return Status(self.status)

    @property
    def waiting_for_acceptance(self):
        return self.status == Status.RECEIVED.value

    @property
    def answer_will_be_public(self):
        return answer_will_be_public(self)

    @property
    def current_deadline(self):
        return current_deadline(self.status, self.accept_due_at, self.resolve_due_at)

    def is_overdue(self, now):
        deadline = self.current_deadline
        return deadline is not None and deadline < now


@event.listens_for(Complaint, "before_insert")
@event.listens_for(Complaint, "before_update")
def _store_derived_columns(_mapper, _connection, complaint):
    """The columns stored for indexed lists, from the others."""
    complaint.current_due_at = complaint.current_deadline
    complaint.published_at = published_since(complaint)


class Attachment(db.Model):
    """A stored file. It exists before its complaint does (uploaded with a form that had errors), so that
    a resident who fixes a field does not have to choose the files again."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(43), unique=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"), index=True)
    stored_name: Mapped[str] = mapped_column(String(80))
    original_name: Mapped[str] = mapped_column(String(120))
    mime: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at = mapped_column(UTCDateTime, default=utcnow)
    # Staff files (evidence with a reply, a redacted copy) belong to the event that added them.
    event_id: Mapped[int | None] = mapped_column(ForeignKey("case_event.id"))
    # A tố cáo filer's own files may show handwriting or a home: they reach the agency only once intake allows.
    shared_with_agency: Mapped[bool] = mapped_column(Boolean, default=True)
    # An inspection's evidence belongs to one of its findings, never to a complaint.
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_finding.id"), index=True)

    complaint = relationship(Complaint, back_populates="attachments")


# A file nobody has claimed yet: uploaded with a form that had errors, waiting to be sent again (or thrown away).
UNCLAIMED = Attachment.complaint_id.is_(None) & Attachment.finding_id.is_(None)
