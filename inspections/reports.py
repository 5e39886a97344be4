"""Periodic reports for the city and per agency: the page (charts with their data), PDF, XLSX and CSV.

The figures are city-wide and a report counts inspections, so reports are for the roles that see every case and
the inspections (Permission.VIEW_INSPECTIONS): never for an agency's own staff."""
from flask import Response, abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from inspections import bp
from portal.accounts.permissions import requires
from portal.accounts.roles import Permission
from portal.directory.cache import cached
from portal.directory.cached_choices import translated_choices
from portal.directory.choices import agency_choices, by_code
from portal.directory.models import Agency
from portal.figures import city_wide
from portal.reports.build import build_report
from portal.reports.charts import svg_chart
from portal.reports.outputs import MIMETYPES, csv_bytes, file_name, pdf_bytes, shown, xlsx_bytes
from portal.reports.periods import EXAMPLES, PeriodError, parse_period
from portal.timeutil import local_date, utcnow

KINDS = (("monthly", _l("Month")), ("quarterly", _l("Quarter")), ("yearly", _l("Year")))
WRITERS = {"csv": csv_bytes, "xlsx": xlsx_bytes, "pdf": pdf_bytes}


def _last_month():
    today = local_date(utcnow())
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year}-{month:02d}"


def _asked():
    """(kind, value, agency or None, period or None, error) from the query string."""
    kind = request.args.get("kind", "monthly")
    kind = kind if kind in EXAMPLES else "monthly"
    value = request.args.get("value") or _last_month()
    code = request.args.get("agency", "")
    agency = by_code(Agency, code)
    if code and agency is None:
        abort(404)
    try:
        return kind, value, agency, parse_period(kind, value), None
    except PeriodError as error:
        return kind, value, agency, None, str(error)


def agency_options(selected):
    choices = cached("report agency choices", lambda: translated_choices(agency_choices(_l("The whole city"))))
    return choices.options(selected)


@bp.route("/reports")
@requires(Permission.VIEW_INSPECTIONS)
def report_page():
    city_wide(current_user)
    kind, value, agency, period, error = _asked()
    report = build_report(period, agency) if period else None
    return render_template("reports/report.html", report=report, kind=kind, value=value, kinds=KINDS, error=error,
                           agencies=agency_options(agency.code if agency else ""), svg_chart=svg_chart,
                           shown=shown), 400 if error else 200


@bp.route("/reports/report.<any(csv, xlsx, pdf):fmt>")
@requires(Permission.VIEW_INSPECTIONS)
def report_file(fmt):
    city_wide(current_user)
    _kind, _value, agency, period, error = _asked()
    if error:
        abort(400)
    report = build_report(period, agency)
    return Response(WRITERS[fmt](report), mimetype=MIMETYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{file_name(report, fmt)}"'})
