"""One Hanoi day's report figures, computed from that day's complaints alone: those filed that day (through the
created_at index) and those answered that day (through the answered_at index)."""
from collections import Counter

from sqlalchemy import case, delete, exists, func, insert, select
from sqlalchemy.orm import aliased

from portal.cases.models import Rating
from portal.complaints.models import Complaint
from portal.extensions import db
from portal.history import CaseEvent
from portal.reports.models import ASPECTS, AnswerTime, ReportDay

SATISFIED = 4  # on the 1-5 scale: satisfied or very satisfied


def _count(condition):
    return func.sum(case((condition, 1), else_=0))


def _filed(start, end, now):
    due = Complaint.current_due_at
    return db.session.execute(
        select(Complaint.agency_id, Complaint.kind, Complaint.channel, func.count().label("received"),
               _count(Complaint.accepted_at.is_not(None)).label("accepted"),
               _count(Complaint.extensions_used > 0).label("extended"),
               _count(Complaint.assignee_id.is_not(None)).label("named"),
               _count(due.is_not(None) & (due < now)).label("open_overdue"))
        .where(Complaint.created_at >= start, Complaint.created_at < end)
        .group_by(Complaint.agency_id, Complaint.kind, Complaint.channel))


def _latest_rating():
    """Each complaint's most recent rating (a reopened case may be rated twice)."""
    rating = aliased(Rating)
    return select(func.max(rating.id)).where(rating.complaint_id == Complaint.id).correlate(Complaint) \
        .scalar_subquery()


def _answered(start, end):
    reopened = exists().where(CaseEvent.complaint_id == Complaint.id, CaseEvent.action == "reopened")
    mean = sum(getattr(Rating, aspect) for aspect in ASPECTS)
    return db.session.execute(
        select(Complaint.agency_id, Complaint.kind, Complaint.channel, func.count().label("answered"),
               _count(Complaint.answered_at <= Complaint.resolve_due_at).label("on_time"),
               _count(reopened).label("reopened"), func.count(Rating.id).label("rated"),
               _count(mean >= SATISFIED * len(ASPECTS)).label("satisfied"),
               *[_count(getattr(Rating, aspect) >= SATISFIED).label(f"{aspect}_satisfied") for aspect in ASPECTS])
        .outerjoin(Rating, Rating.id == _latest_rating())
        .where(Complaint.answered_at >= start, Complaint.answered_at < end)
        .group_by(Complaint.agency_id, Complaint.kind, Complaint.channel))


def _answer_times(start, end):
    """{(agency, kind, whole days from filing to answer): how many}."""
    rows = db.session.execute(select(Complaint.agency_id, Complaint.kind, Complaint.created_at, Complaint.answered_at)
                              .where(Complaint.answered_at >= start, Complaint.answered_at < end))
    return Counter((row.agency_id, row.kind, (row.answered_at - row.created_at).days) for row in rows)


FILED = ("received", "accepted", "extended", "named", "open_overdue")
ANSWERED = ("answered", "on_time", "reopened", "rated", "satisfied", *(f"{a}_satisfied" for a in ASPECTS))


def recompute_report_day(day, start, end, now):
    """Replace the report figures of the Hanoi day `day` (from `start` to `end`, UTC)."""
    db.session.execute(delete(ReportDay).where(ReportDay.day == day))
    db.session.execute(delete(AnswerTime).where(AnswerTime.day == day))
    rows = {}
    for found, columns in ((_filed(start, end, now), FILED), (_answered(start, end), ANSWERED)):
        for row in found:
            key = (row.agency_id, row.kind, row.channel)
            entry = rows.setdefault(key, dict.fromkeys(FILED + ANSWERED, 0))
            entry.update({column: int(getattr(row, column) or 0) for column in columns})
    if rows:
        db.session.execute(insert(ReportDay), [
            {"day": day, "agency_id": agency, "kind": kind, "channel": channel, **counts}
            for (agency, kind, channel), counts in rows.items()])
    times = _answer_times(start, end)
    if times:
        db.session.execute(insert(AnswerTime), [
            {"day": day, "agency_id": agency, "kind": kind, "days": days, "count": count}
            for (agency, kind, days), count in times.items()])
