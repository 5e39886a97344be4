"""The intake desk's queue: new submissions, oldest first, each with its acceptance countdown."""
from datetime import timedelta

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from inspections import bp
from portal.accounts.permissions import requires
from portal.accounts.roles import Permission
from portal.cases.visibility import may_pair
from portal.complaints.models import Complaint
from portal.domain.enums import Status
from portal.extensions import db
from portal.search.searching import similar
from portal.timeutil import utcnow

SIMILAR_WINDOW = timedelta(days=90)


@bp.route("/triage")
@requires(Permission.TRIAGE)
def triage_queue():
    waiting = db.session.scalars(
        select(Complaint).where(Complaint.status == Status.RECEIVED.value)
        .options(joinedload(Complaint.category), joinedload(Complaint.agency), joinedload(Complaint.ward))
        .order_by(Complaint.created_at)).all()
    return render_template("inspections/triage.html", waiting=waiting, now=utcnow())


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
