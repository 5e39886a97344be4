"""The public pages that are not a form: the home page and the health check."""
from flask import Blueprint, jsonify, render_template
from sqlalchemy import func, select, text

from portal.extensions import db
from portal.outbox.models import FAILED, PENDING, OutboxMessage, WorkerBeat
from portal.timeutil import utcnow

bp = Blueprint("public", __name__)


@bp.route("/")
def home():
    return render_template("home.html")


@bp.route("/healthz")
def healthz():
    """Database, outbox backlog and the worker's last round; 503 when the database does not answer."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    now = utcnow()
    counts = dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
                  .all())
    oldest = db.session.scalar(select(func.min(OutboxMessage.created_at)).where(OutboxMessage.status == PENDING))
    beat = db.session.get(WorkerBeat, "worker")
    worker_age = (now - beat.last_run_at).total_seconds() if beat and beat.last_run_at else None
    healthy = counts.get(FAILED, 0) == 0 and worker_age is not None and worker_age < 300
    return jsonify(
        status="ok" if healthy else "degraded",
        database="ok",
        outbox={"pending": counts.get(PENDING, 0), "failed": counts.get(FAILED, 0),
                "oldest_pending_seconds": round((now - oldest).total_seconds()) if oldest else 0},
        worker={"last_run_at": beat.last_run_at.isoformat() if worker_age is not None else None,
                "seconds_ago": round(worker_age) if worker_age is not None else None},
    )
