"""The staff side: triage, agency case handling, follow-up, inspection cases and patterns.

It builds on the domain in `portal/`; the domain never imports this package."""
from flask import Blueprint

bp = Blueprint("inspections", __name__, url_prefix="/staff")

# The modules add their routes to the blueprint.
from inspections import (  # noqa: E402,F401
    cases,
    follow_up,
    home,
    oversight,
    patterns,
    publication,
    reports,
    routing_admin,
    search,
    triage,
)
