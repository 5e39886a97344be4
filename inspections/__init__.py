"""The staff side: triage, agency case handling, follow-up, inspection cases and patterns.

It builds on the domain in `portal/`; the domain never imports this package."""
from flask import Blueprint

bp = Blueprint("inspections", __name__, url_prefix="/staff")

from inspections import home  # noqa: E402,F401  (routes register on the blueprint)
