"""The public transparency pages: how the city and each agency answer residents, over the last twelve months.

Anyone may read them, so they hold only counts and rates (portal/reports/public.py says which) and are cached:
by the browser and any proxy for a few minutes, and in each process until the worker's next round."""
from dataclasses import dataclass

from flask import Blueprint, abort, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.directory.models import Agency
from portal.extensions import db
from portal.figures.upkeep import figures_as_of, until_refreshed
from portal.i18n import localized
from portal.paging import page_number
from portal.publication.answers import published_answer, published_page
from portal.publication.search import search_answers
from portal.reports.build import Chart
from portal.reports.charts import svg_chart
from portal.reports.public import MIN_ANSWERED, MIN_COUNT, MIN_RATED, figures, monthly, ranking, window

MINIMA = {"minimum": MIN_ANSWERED, "min_count": MIN_COUNT, "min_rated": MIN_RATED}  # what the pages say they hide
bp = Blueprint("transparency", __name__, url_prefix="/transparency")
MAX_AGE = 300  # seconds a browser or a proxy may keep a page


def _cacheable(html):
    """The page may be kept a few minutes; per cookie, since the language a visitor chose lives in it."""
    return html, 200, {"Cache-Control": f"public, max-age={MAX_AGE}", "Vary": "Cookie"}


@dataclass(frozen=True)
class AgencyName:
    """An agency as the cached page needs it: plain values, not a row of a session long closed."""

    code: str
    name_vi: str
    name_en: str

    @property
    def name(self):
        return localized(self.name_vi, self.name_en)


def _trend(months):
    labels = [m.label for m in months]
    return [Chart(_l("Received and answered"), labels, [(_l("Received"), [m.received_shown for m in months]),
                                                        (_l("Answered"), [m.answered_shown for m in months])]),
            Chart(_l("Answered on time (%)"), labels, [(_l("Answered on time (%)"), [m.on_time_rate for m in months])],
                  percent=True)]


@bp.route("/")
def city():
    as_of = figures_as_of()
    first, last = window()

    def build():
        ranked, too_few = ranking(first, last)
        agencies = {a.id: AgencyName(a.code, a.name_vi, a.name_en) for a in db.session.scalars(select(Agency))}
        return {"totals": figures(first, last), "charts": _trend(monthly(first, last)),
                "ranked": [(agencies[r.agency_id], r.figures) for r in ranked if r.agency_id in agencies],
                "too_few": [agencies[i] for i in too_few if i in agencies]}
    page = until_refreshed(("transparency", first, last), build, as_of)
    return _cacheable(render_template("transparency/city.html", first=first, last=last, as_of=as_of,
                                      svg_chart=svg_chart, **MINIMA, **page))


@bp.route("/<code>")
def agency(code):
    found = db.session.scalars(select(Agency).where(Agency.code == code.upper())).first()
    if found is None:
        abort(404)
    as_of = figures_as_of()
    first, last = window()
    page = until_refreshed(("transparency", found.id, first, last), lambda: {
        "totals": figures(first, last, found.id), "charts": _trend(monthly(first, last, found.id))}, as_of)
    return _cacheable(render_template("transparency/agency.html", agency=found, first=first, last=last, as_of=as_of,
                                      svg_chart=svg_chart, **MINIMA, **page))


@bp.route("/answers")
def answers():
    """The published answers, newest first, or those matching `q`, best first."""
    query = request.args.get("q", "").strip()[:200]
    page = request.args.get("page", 1, type=page_number)
    found = search_answers(query, page) if query else published_page(page)
    return _cacheable(render_template("transparency/answers.html", query=query, found=found))


@bp.route("/answers/<int:answer_id>")
def answer(answer_id):
    found = published_answer(answer_id)
    if found is None:
        abort(404)
    return _cacheable(render_template("transparency/answer.html", answer=found))
