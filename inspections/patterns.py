"""Repeated problems for the Department of Home Affairs, inspectors and the party commission: groups over a
window with their weekly trend, near-duplicate clusters, alerts, drill-down, exports and merging of officials."""
from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from inspections import bp
from portal.accounts.permissions import requires
from portal.accounts.roles import Permission
from portal.exports import table_response
from portal.extensions import db
from portal.figures import city_wide
from portal.figures.upkeep import figures_as_of, until_refreshed
from portal.paging import page_number
from portal.patterns.alerts import PatternAlert
from portal.patterns.clusters import cluster_members, clusters_since
from portal.patterns.groups import DIMENSIONS, WINDOWS, complaints_in_group, grouped, sparkline, weekly_counts
from portal.patterns.officials import merge_officials
from portal.timeutil import utcnow


def _choice():
    dimension = request.args.get("dimension", "official")
    days = request.args.get("days", 90, type=int)
    if dimension not in DIMENSIONS or days not in WINDOWS:
        abort(404)
    return dimension, days


@bp.route("/patterns")
@requires(Permission.VIEW_PATTERNS)
def patterns():
    dimension, days = _choice()
    city_wide(current_user)  # before the cache, which may answer without reading the figures
    now, as_of = utcnow(), figures_as_of()
    groups, lines = until_refreshed(("patterns", dimension, days),
                                    lambda: _groups_and_trends(current_user, dimension, days, now), as_of)
    alerts = db.session.scalars(select(PatternAlert).order_by(PatternAlert.created_at.desc()).limit(20)).all()
    return render_template("inspections/patterns.html", dimension=dimension, days=days, groups=groups, lines=lines,
                           clusters=clusters_since(now - timedelta(days=days)), alerts=alerts,
                           dimensions=DIMENSIONS, windows=WINDOWS, as_of=as_of)


def _groups_and_trends(user, dimension, days, now):
    """The page's groups and each one's weekly sparkline, summed from the figures."""
    groups = grouped(user, dimension, days, now)
    trends = weekly_counts(user, dimension, [g.key for g in groups], days, now) if groups else {}
    return groups, {key: sparkline(series) for key, series in trends.items()}


@bp.route("/patterns/export.<any(csv, xlsx):fmt>")
@requires(Permission.VIEW_PATTERNS)
def patterns_export(fmt):
    dimension, days = _choice()
    groups = grouped(current_user, dimension, days, utcnow(), limit=1000)
    header = [_("Group"), _("Key"), _("Complaints"), _("Overdue"), _("Overdue rate"), _("Average satisfaction"),
              _("Ratings")]
    rows = [[g.label, g.key, g.count, g.overdue, round(g.overdue_rate, 3),
             round(g.satisfaction, 2) if g.satisfaction is not None else None, g.rated] for g in groups]
    return table_response(fmt, f"patterns-{dimension}-{days}d", header, rows)


@bp.route("/patterns/<any(official, procedure, agency, ward, category, problem_type):dimension>/<path:key>")
@requires(Permission.VIEW_PATTERNS)
def pattern_group(dimension, key):
    days = request.args.get("days", 90, type=int)
    days = days if days in WINDOWS else 90
    page = complaints_in_group(current_user, dimension, key, days, utcnow(),
                               page=request.args.get("page", 1, type=page_number))
    return render_template("inspections/pattern_group.html", dimension=dimension, key=key, days=days,
                           complaints=page.items, pagination=page, now=utcnow())


@bp.route("/patterns/clusters/<int:cluster>")
@requires(Permission.VIEW_PATTERNS)
def pattern_cluster(cluster):
    return render_template("inspections/pattern_group.html", dimension="cluster", key=str(cluster), days=None,
                           complaints=cluster_members(cluster, current_user), pagination=None, now=utcnow())


@bp.route("/patterns/officials/merge", methods=["POST"])
@requires(Permission.MERGE_OFFICIALS)
def merge_official_spellings():
    keys = request.form.getlist("key")
    target = request.form.get("target")
    if target not in keys or len(keys) < 2:
        flash(_("Tick at least two spellings and choose which one to keep."), "warning")
    else:
        merge_officials(keys, target, current_user)
        db.session.commit()
        flash(_("Merged: these spellings now count as one official."), "success")
    return redirect(url_for("inspections.patterns", dimension="official", days=request.form.get("days", 90)))
