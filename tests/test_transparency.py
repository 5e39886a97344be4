"""The public transparency pages: the city's and each agency's figures are those plain SQL finds on generated demo
data, agencies with too few answered cases are not ranked, the pages hold no identity and no case, and they are
cacheable."""
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import bindparam, text

from portal.extensions import db
from portal.figures.upkeep import refresh_figures
from portal.reports import public
from portal.reports.public import MIN_ANSWERED, window
from portal.timeutil import UTCDateTime, day_start, freeze
from tests.conftest import english_client
from tests.demo_data import DEMO_NOW as NOW


def one(sql, **params):
    statement = text(sql).bindparams(*(bindparam(n, type_=UTCDateTime) for n, v in params.items()
                                       if isinstance(v, datetime)))
    return db.session.execute(statement, params).all()


def figure(page, key):
    return re.search(rf'id="figure-{key}">([^<]*)<', page).group(1)


@pytest.mark.demo_data
def test_the_city_figures_are_what_sql_finds_and_small_agencies_are_not_ranked(app):
    with freeze(NOW):
        page = english_client(app).get("/transparency/")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        with app.app_context():
            first, last = window()
            start, end = day_start(first), day_start(last + timedelta(days=1))
            received = one("SELECT count(*) FROM complaint WHERE created_at >= :s AND created_at < :e", s=start, e=end)
            answered, on_time = one("SELECT count(*), sum(CASE WHEN answered_at <= resolve_due_at THEN 1 ELSE 0 END) "
                                    "FROM complaint WHERE answered_at >= :s AND answered_at < :e", s=start, e=end)[0]
            per_agency = dict(one("SELECT agency_id, count(*) FROM complaint WHERE answered_at >= :s AND "
                                  "answered_at < :e AND agency_id IS NOT NULL GROUP BY agency_id", s=start, e=end))
            codes = dict(one("SELECT id, code FROM agency"))
    assert figure(html, "received") == str(received[0][0]) and figure(html, "answered") == str(answered)
    assert figure(html, "on_time") == f"{100 * on_time / answered:.1f}%"
    ranked = set(re.findall(r'id="rank-([A-Z0-9_-]+)"', html))
    assert ranked == {codes[a] for a, n in per_agency.items() if n >= MIN_ANSWERED}
    assert ranked and any(n < MIN_ANSWERED for n in per_agency.values())  # both sides are tested
    too_few = html[html.index('id="too-few"'):]
    assert all(f"/transparency/{codes[a]}" in too_few for a, n in per_agency.items() if n < MIN_ANSWERED)
    assert f"at least {MIN_ANSWERED} answered cases" in html


@pytest.mark.demo_data
def test_an_agency_page_and_a_small_agency_shows_no_rate(app, monkeypatch):
    with freeze(NOW):
        with app.app_context():
            first, last = window()
            start, end = day_start(first), day_start(last + timedelta(days=1))
            rows = one("SELECT a.code, count(*) FROM complaint c JOIN agency a ON a.id = c.agency_id WHERE "
                       "c.answered_at >= :s AND c.answered_at < :e GROUP BY a.code ORDER BY count(*) DESC",
                       s=start, e=end)
        big, small = rows[0], rows[-1]
        client = english_client(app)
        html = client.get(f"/transparency/{big[0]}").get_data(as_text=True)
        assert figure(html, "answered") == str(big[1]) and figure(html, "on_time").endswith("%")
        if small[1] < MIN_ANSWERED:
            html = client.get(f"/transparency/{small[0]}").get_data(as_text=True)
            assert figure(html, "on_time") == "Too few to show" and "nor rates and medians over fewer than" in html
        assert client.get("/transparency/NO-SUCH-AGENCY").status_code == 404


@pytest.mark.demo_data
def test_the_pages_hold_no_identity_and_no_case(app):
    with freeze(NOW):
        client = english_client(app)
        pages = [client.get("/transparency/")]
        codes = re.findall(r'href="/transparency/([A-Z0-9_-]+)"', pages[0].get_data(as_text=True))
        pages += [client.get(f"/transparency/{code}") for code in codes[:5]]
        with app.app_context():
            names = [row[0] for row in one("SELECT full_name FROM filer LIMIT 200")]
            officials = [row[0] for row in one("SELECT DISTINCT official_name FROM complaint "
                                               "WHERE official_name != ''")]
            titles = [row[0] for row in one("SELECT title FROM complaint LIMIT 200")]
    for response in pages:
        html = response.get_data(as_text=True)
        assert response.headers["Cache-Control"] == "public, max-age=300" and "Cookie" in response.headers["Vary"]
        assert not re.search(r"HN-\d{4}-|VV-\d{4}-|TT-\d{4}-", html)  # no tracking code, case or inspection
        assert [n for n in names + officials + titles if n and n in html] == []


@pytest.mark.demo_data
def test_the_figures_are_summed_once_per_worker_round(app, monkeypatch):
    calls = []
    original = public.figures
    monkeypatch.setattr("portal.transparency.figures", lambda *a: calls.append(a) or original(*a))
    with freeze(NOW):
        with app.app_context():
            refresh_figures()  # a round of the worker's, after the module's earlier tests read the figures
        client = english_client(app)
        for _ in range(3):
            assert client.get("/transparency/").status_code == 200
    assert len(calls) == 1


def test_small_cells_are_too_few_to_show_and_satisfaction_says_over_how_many_ratings(app, monkeypatch):
    """A count of 1 to 4, a median or a rate over a handful of cases could point at the people behind them."""
    from datetime import date

    from portal.reports.public import MIN_RATED, Figures, Month
    few = Figures(received=3, answered=2, on_time=2, rated=1, satisfied=1, reopened=1, median_days=4)
    many = Figures(received=0, answered=60, on_time=45, rated=MIN_RATED, satisfied=15, reopened=5, median_days=9)
    months = [Month(date(2026, 2, 1), 4, 3, 3), Month(date(2026, 3, 1), 30, 25, 20)]
    app.extensions.pop("figures_cache", None)
    monkeypatch.setattr("portal.transparency.figures", lambda *args: few)
    monkeypatch.setattr("portal.transparency.monthly", lambda *args: months)
    html = english_client(app).get("/transparency/SXD").get_data(as_text=True)
    assert all(figure(html, key) == "Too few to show"
               for key in ("received", "answered", "on_time", "median_days", "satisfied", "reopened"))
    table = html[html.index("Data of the chart"):]
    assert "<td>too few</td>" in table and "<td>30</td>" in table and "<td>80.0</td>" in table
    app.extensions.pop("figures_cache", None)
    monkeypatch.setattr("portal.transparency.figures", lambda *args: many)
    html = english_client(app).get("/transparency/SXD").get_data(as_text=True)
    assert (figure(html, "received"), figure(html, "answered"), figure(html, "satisfied")) == ("0", "60", "75.0%")
    assert re.search(r'id="figure-satisfied-base">of 20 ratings<', html)
