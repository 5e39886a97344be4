"""The staff home page: what the signed-in person's role lets them do."""
from flask import render_template
from flask_login import login_required

from inspections import bp


@bp.route("/")
@login_required
def home():
    return render_template("inspections/home.html")
