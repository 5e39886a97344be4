"""The staff side: triage, agency case handling, follow-up, inspection cases and patterns.

It builds on the domain in `portal/`; the domain never imports this package. Its pages arrive with staff
accounts; the blueprint is registered now so that the URL space (/staff) is reserved."""
from flask import Blueprint

bp = Blueprint("inspections", __name__, url_prefix="/staff")
