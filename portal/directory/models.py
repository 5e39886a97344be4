"""Directory tables. Rows are never deleted: a body that is merged or renamed is closed (active_until) and points
to its successors, so past cases keep their agency."""
from datetime import date

from sqlalchemy import Boolean, Column, Date, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.i18n import localized
from portal.timeutil import hanoi_today

agency_successors = Table(
    "agency_successor",
    db.metadata,
    Column("agency_id", ForeignKey("agency.id"), primary_key=True),
    Column("successor_id", ForeignKey("agency.id"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),  # the first successor took over most of the work
)


class NamedMixin:
    """Vietnamese and English names, shown in the visitor's language."""

    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))

    @property
    def name(self):
        return localized(self.name_vi, self.name_en)


class Ward(NamedMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # ward | commune


class Agency(NamedMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("ward.id"))
    active_from: Mapped[date | None] = mapped_column(Date)
    active_until: Mapped[date | None] = mapped_column(Date)

    parent = relationship("Agency", remote_side=[id], foreign_keys=[parent_id])
    ward = relationship(Ward, backref="committees")
    successors = relationship(
        "Agency",
        secondary=agency_successors,
        primaryjoin=id == agency_successors.c.agency_id,
        secondaryjoin=id == agency_successors.c.successor_id,
        order_by=agency_successors.c.position,
        viewonly=True,  # written by the directory loader, which keeps the order
    )

    def is_active(self, on=None):
        on = on or hanoi_today()
        started = self.active_from is None or self.active_from <= on
        return started and (self.active_until is None or on <= self.active_until)


class Category(NamedMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ProblemType(NamedMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class RoutingRule(db.Model):
    """Where complaints go. A rule matches when each criterion it sets equals the complaint's; `ward_committee`
    sends the complaint to the People's Committee of its ward. The rule that sets most criteria wins."""

    __table_args__ = (UniqueConstraint("category_id", "problem_type_id", "ward_id", "ward_committee"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))
    problem_type_id: Mapped[int | None] = mapped_column(ForeignKey("problem_type.id"))
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("ward.id"))
    ward_committee: Mapped[bool] = mapped_column(Boolean, default=False)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    note: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    category = relationship(Category)
    problem_type = relationship(ProblemType)
    ward = relationship(Ward)
    agency = relationship(Agency)

    @property
    def specificity(self):
        criteria = (self.category_id, self.problem_type_id, self.ward_id, self.ward_committee or None)
        return sum(value is not None for value in criteria)


class KindClock(db.Model):
    """The legal clock of one submission kind: settings, because the laws change."""

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    accept_amount: Mapped[int] = mapped_column(Integer)
    accept_unit: Mapped[str] = mapped_column(String(20))
    resolve_amount: Mapped[int] = mapped_column(Integer)
    resolve_unit: Mapped[str] = mapped_column(String(20))
    resolve_complex_amount: Mapped[int | None] = mapped_column(Integer)
    resolve_complex_unit: Mapped[str | None] = mapped_column(String(20))
    extension_amount: Mapped[int] = mapped_column(Integer)
    extension_unit: Mapped[str] = mapped_column(String(20))
    max_extensions: Mapped[int] = mapped_column(Integer)


class CalendarDay(db.Model):
    """A configured exception to the holiday calendar: an extra day off or a make-up working day."""

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_working: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(200), default="")


class CannedReply(db.Model):
    """A reply text officers start from, per category (None: any category)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)

    category = relationship(Category)


# Every table of the directory: a write to any of them moves the directory's stamp (portal/directory/version.py).
DIRECTORY_MODELS = (Agency, Category, ProblemType, Ward, RoutingRule, KindClock, CalendarDay, CannedReply)
