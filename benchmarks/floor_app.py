"""The portal as gunicorn serves it in the HTTP benchmark, plus three floor routes that exist only here.

Run as `gunicorn 'benchmarks.floor_app:create_floor_app()'`, configured by the usual environment variables. The
limiter is off so that one load generator can file as fast as the server allows. The floors measure what every
page pays anyway: the framework alone, the base layout, and one write transaction (one row plus one outbox row,
the least a filing commits)."""
from flask import Blueprint, render_template

from portal import create_app
from portal.complaints.models import Filer
from portal.extensions import csrf, db
from portal.outbox.queue import enqueue

PREFIX = "/bench-floor"
bp = Blueprint("bench_floor", __name__, url_prefix=PREFIX, template_folder="templates")


@bp.route("/trivial")
def trivial():
    return "ok"


@bp.route("/template")
def template():
    return render_template("bench/floor.html", message="Floor")


@bp.route("/insert", methods=["POST"])
@csrf.exempt
def insert():
    db.session.add(Filer(filer_type="individual", full_name="Bench floor"))
    enqueue("bench.floor", {})
    db.session.commit()
    return "ok", 201


def create_floor_app():
    app = create_app({"RATELIMIT_ENABLED": False})
    app.register_blueprint(bp)
    return app
