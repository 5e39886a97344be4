"""Staff search: full text with or without accents, filters and facet counts, highlighted snippets, sorting,
pages and exports. What a person finds follows the case visibility rules (applied inside portal.search)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from inspections import bp
from portal.complaints.models import Complaint
from portal.directory.cache import names_by_code
from portal.domain.enums import Kind, Status
from portal.exports import table_response
from portal.extensions import db
from portal.formatting import resident_time
from portal.paging import page_number
from portal.search.searching import MAX_PER_PAGE, search

# The filters of the search, in the order they are shown, with their names for the page.
FILTERS = {"kind": _l("Kind"), "status": _l("Status"), "agency": _l("Agency"), "category": _l("Field"),
           "problem_type": _l("Problem"), "ward": _l("Ward or commune"), "official": _l("Official"),
           "procedure": _l("Procedure"), "date_from": _l("Filed from"), "date_to": _l("Filed until"),
           "overdue": _l("Overdue only")}
UNAVAILABLE = _l("Search is being rebuilt and will be back in a few minutes. Cases can still be opened from the "
                 "case list.")


def _filters():
    return {name: request.args.get(name, "").strip() for name in FILTERS if request.args.get(name, "").strip()}


@bp.route("/search")
@login_required
def search_page():
    query, filters = request.args.get("q", ""), _filters()
    sort = "newest" if request.args.get("sort") == "newest" else "relevance"
    results = search(current_user, query, filters, sort=sort, page=request.args.get("page", 1, type=page_number))
    return render_template("inspections/search.html", q=query, filters=filters, sort=sort, results=results,
                           names=facet_names(), labels=FILTERS, unavailable=UNAVAILABLE,
                           references=references(results.hits))


@bp.route("/search/export.<any(csv, xlsx):fmt>")
@login_required
def search_export(fmt):
    results = search(current_user, request.args.get("q", ""), _filters(), sort="newest", page=1,
                     per_page=MAX_PER_PAGE)
    if results.unavailable:  # an empty file would read as "no cases"
        flash(UNAVAILABLE, "warning")
        return redirect(url_for("inspections.search_page", **request.args))
    header = [_("Code"), _("Received on"), _("Kind"), _("Status"), _("Agency"), _("Field"), _("Subject")]
    refs, names = references(results.hits), names_by_code()
    rows = [[refs.get(h.id, ""), resident_time(h.created, h.kind), _label(Kind, h.kind), _label(Status, h.status),
             names["agency"].get(h.agency, h.agency.upper()), names["category"].get(h.category, h.category), h.title]
            for h in results.hits]
    if results.total > len(rows):
        rows.append([_("Only the first %(shown)d of %(total)d results are exported; narrow the search to export "
                       "the rest.", shown=len(rows), total=results.total)])
    return table_response(fmt, "search", header, rows)


def references(hits):
    """{complaint id: staff reference} for the hits: results name cases as every staff page does, never by the
    resident's tracking code."""
    ids = [hit.id for hit in hits]
    if not ids:
        return {}
    rows = db.session.execute(select(Complaint.id, Complaint.reference).where(Complaint.id.in_(ids)))
    return dict(rows.all())


def _label(enum, value):
    member = enum._value2member_map_.get(value)
    return str(member.label) if member else value


def facet_names():
    """{facet: {code: readable name}} for the codes facets, filters and hits show."""
    names = {"kind": {k.value: k.label for k in Kind}, "status": {s.value: s.label for s in Status}}
    return names | names_by_code()  # facets are named as the directory tables are
