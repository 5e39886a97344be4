"""The intake desk's queue: new submissions, oldest first, each with its acceptance countdown, a page at a time
(read in order from an index, migration 0009; the count shown stops at COUNT_UP_TO)."""
from datetime import timedelta

from flask import render_template, request
from sqlalchemy import func, literal, select, tuple_
from sqlalchemy.orm import joinedload

from inspections import bp
from inspections.case_listing import Key
from portal.accounts.permissions import requires
from portal.accounts.roles import Permission
from portal.cases.visibility import may_pair
from portal.complaints.models import Complaint
from portal.domain.enums import Status
from portal.extensions import db
from portal.search.searching import similar
from portal.timeutil import UTCDateTime, utcnow

SIMILAR_WINDOW = timedelta(days=90)


PER_PAGE = 50
COUNT_UP_TO = 1_000  # beyond, the page says "more than 1,000": counting a long backlog costs what it holds


@bp.route("/triage")
@requires(Permission.TRIAGE)
def triage_queue():
    after = Key.parse(request.args.get("after"))
    waiting = db.session.scalars(_waiting(after).limit(PER_PAGE + 1)).all()
    following = Key(waiting[PER_PAGE - 1].created_at, waiting[PER_PAGE - 1].id) if len(waiting) > PER_PAGE else None
    return render_template("inspections/triage.html", waiting=waiting[:PER_PAGE], now=utcnow(),
                           waiting_count=_count_waiting(), count_up_to=COUNT_UP_TO, next_key=following,
                           first_page=after is None)


def _waiting(after=None):
    """The submissions waiting for intake, oldest first, after `after` (a Key of created_at and id)."""
    query = select(Complaint).where(Complaint.status == Status.RECEIVED.value).options(
        joinedload(Complaint.category), joinedload(Complaint.agency), joinedload(Complaint.ward))
    if after is not None and after.due is not None:
        query = query.where(tuple_(Complaint.created_at, Complaint.id)
                            > tuple_(literal(after.due, UTCDateTime), literal(after.id)))
    return query.order_by(Complaint.created_at, Complaint.id)


def _count_waiting():
    """How many submissions wait, counted up to COUNT_UP_TO + 1."""
    capped = select(Complaint.id).where(Complaint.status == Status.RECEIVED.value).limit(COUNT_UP_TO + 1)
    return db.session.scalar(select(func.count()).select_from(capped.subquery()))


def similar_cases(complaint, user, limit=5):
    """[(complaint, reasons)] most like this one: by text from the search index, boosted by the same official,
    procedure or dossier; while the index is unavailable, recent ones with the same agency, field and ward."""
    found = similar(complaint, user, limit=limit * 2)  # some may not be shown beside this one
    if found:
        rows = {c.id: c for c in db.session.scalars(select(Complaint).where(Complaint.id.in_([s.id for s in found])))}
        return [(rows[s.id], s.reason) for s in found if s.id in rows and may_pair(user, complaint, rows[s.id])][:limit]
    return [(c, ()) for c in similar_recent(complaint, limit) if may_pair(user, complaint, c)]


def similar_recent(complaint, limit=10):
    """Recent complaints about the same agency, category and ward (until the search index ranks by text)."""
    query = select(Complaint).where(
        Complaint.id != complaint.id,
        Complaint.category_id == complaint.category_id,
        Complaint.agency_id == complaint.agency_id,
        Complaint.created_at >= complaint.created_at - SIMILAR_WINDOW,
    )
    query = query.where(Complaint.ward_id == complaint.ward_id if complaint.ward_id else Complaint.ward_id.is_(None))
    return db.session.scalars(query.order_by(Complaint.created_at.desc()).limit(limit)).all()
