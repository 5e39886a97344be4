"""The figures the periodic reports sum: per Hanoi day, agency, kind and channel, what was filed that day and what
was answered that day; and how long the answers of each day took. Kept by the worker with the other figures
(portal/figures/upkeep.py recomputes a day's rows whenever a change touches that day)."""
from sqlalchemy import Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db

ASPECTS = ("access", "procedure", "conduct", "result", "handling")  # SIPAS, as Rating.ASPECTS


class ReportDay(db.Model):
    __table_args__ = (Index("ix_report_day_day_agency", "day", "agency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day = mapped_column(Date, nullable=False)
    agency_id: Mapped[int | None] = mapped_column(Integer)  # the handling agency; None before acceptance
    kind: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    # Of the cases filed this day
    received: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    extended: Mapped[int] = mapped_column(Integer, default=0)  # granted at least one extension
    named: Mapped[int] = mapped_column(Integer, default=0)  # with a named officer ("5 rõ")
    open_overdue: Mapped[int] = mapped_column(Integer, default=0)  # still open and past the deadline
    # Of the cases answered this day
    answered: Mapped[int] = mapped_column(Integer, default=0)
    on_time: Mapped[int] = mapped_column(Integer, default=0)
    reopened: Mapped[int] = mapped_column(Integer, default=0)  # reopened at least once by a dissatisfied filer
    rated: Mapped[int] = mapped_column(Integer, default=0)  # their latest rating, one per case
    satisfied: Mapped[int] = mapped_column(Integer, default=0)  # mean of its five aspects 4 or more
    access_satisfied: Mapped[int] = mapped_column(Integer, default=0)  # that aspect 4 or 5
    procedure_satisfied: Mapped[int] = mapped_column(Integer, default=0)
    conduct_satisfied: Mapped[int] = mapped_column(Integer, default=0)
    result_satisfied: Mapped[int] = mapped_column(Integer, default=0)
    handling_satisfied: Mapped[int] = mapped_column(Integer, default=0)


class AnswerTime(db.Model):
    """How many of one day's answers (per agency and kind) came `days` whole days after filing."""

    __table_args__ = (Index("ix_answer_time_day_agency", "day", "agency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day = mapped_column(Date, nullable=False)
    agency_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    days: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)
