"""The stored figures and the queue of days whose figures must be computed again.

Days are Hanoi-local dates: a window of N days is the sum of its N day rows, and weekly trends read the same rows.
The figures are city-wide: only roles that see every case read them (`portal.figures.city_wide`)."""
from sqlalchemy import Date, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.timeutil import UTCDateTime


class StaleDay(db.Model):
    """A day whose figures a change touched, appended in the change's own transaction.

    Append-only, without a unique constraint: two filings on one day never wait on each other's row lock. The
    worker reads some rows, computes their days again and deletes exactly the rows it read."""

    id: Mapped[int] = mapped_column(primary_key=True)
    day = mapped_column(Date, nullable=False)


class GroupDay(db.Model):
    """Complaints filed on `day` in one pattern group (an official, a procedure, an agency, a ward...)."""

    __table_args__ = (Index("ix_group_day_dimension_day", "dimension", "day"),)

    dimension: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    day = mapped_column(Date, primary_key=True)
    label: Mapped[str] = mapped_column(String(300), default="")  # the greatest spelling, as the pages showed
    filed: Mapped[int] = mapped_column(Integer, default=0)
    overdue: Mapped[int] = mapped_column(Integer, default=0)  # past the deadline as of the figures, or answered late
    rated: Mapped[int] = mapped_column(Integer, default=0)  # complaints with at least one rating
    score_sum: Mapped[float] = mapped_column(Float, default=0.0)  # sum over them of their mean rating score


class AgencyDay(db.Model):
    """Cases answered on `day` by one agency and one of its officers, and how many by their resolution deadline."""

    __table_args__ = (Index("ix_agency_day_day", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int | None] = mapped_column(Integer)  # None: answered without an agency
    assignee_id: Mapped[int | None] = mapped_column(Integer)  # None: no named officer
    day = mapped_column(Date, nullable=False)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    on_time: Mapped[int] = mapped_column(Integer, default=0)


class RoutingDay(db.Model):
    """Of the complaints filed on `day` under one routing rule and accepted, how many kept the suggested agency."""

    __table_args__ = (Index("ix_routing_day_day", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int | None] = mapped_column(Integer)  # None: accepted without a routing rule
    day = mapped_column(Date, nullable=False)
    kept: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)


class AgencyNow(db.Model):
    """Each agency's open cases per officer, as the worker last counted them (every minute or so)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int | None] = mapped_column(Integer)  # None: not yet with an agency
    assignee_id: Mapped[int | None] = mapped_column(Integer)  # None: no named officer yet
    open: Mapped[int] = mapped_column(Integer, default=0)
    overdue: Mapped[int] = mapped_column(Integer, default=0)
    near_due: Mapped[int] = mapped_column(Integer, default=0)


class FigureState(db.Model):
    """When the figures were last brought up to date: deadlines that passed up to `as_of` are in them."""

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    as_of = mapped_column(UTCDateTime, nullable=False)
