"""The figures the follow-up and patterns pages read are those SQL finds on the complaints themselves: on generated
data, right after cases change through the real pages (then one run of the worker's figure job), and after a
deadline passes with no event at all. The expected numbers are computed here with plain SQL, apart from the code."""
import csv
import io
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import bindparam, text

from portal.accounts.roles import PERMISSIONS, Permission, Role
from portal.domain.deadlines import work_calendar
from portal.extensions import db
from portal.figures.upkeep import refresh_figures
from portal.timeutil import UTCDateTime, day_start, freeze, local_date
from tests.conftest import csrf_token, english_client, reference_of, signed_in, token_in
from tests.demo_data import DEMO_NOW as NOW
from tests.test_staff_pages import act

HANDLING = "('accepted', 'assigned', 'in_progress')"
DUE = f"CASE WHEN c.status = 'received' THEN c.accept_due_at WHEN c.status IN {HANDLING} THEN c.resolve_due_at END"
DIMENSION_KEYS = {  # the key a complaint is grouped on, and the join that reaches it
    "official": ("c.official_key", ""),
    "ward": ("w.code", "JOIN ward w ON w.id = c.ward_id"),
    "agency": ("a.code", "JOIN agency a ON a.id = c.agency_id"),
}


def rows(sql, columns=None, **params):
    """Plain SQL; instants bound and read as UTC (SQLite keeps them as text)."""
    statement = text(sql).bindparams(*(bindparam(name, type_=UTCDateTime) for name, value in params.items()
                                       if isinstance(value, datetime)))
    if columns:
        statement = statement.columns(**columns)
    return db.session.execute(statement, params).all()


# ---------------------------------------------------------------------------------------------------------------
# What SQL says
# ---------------------------------------------------------------------------------------------------------------

def expected_summary(now, days):
    """{agency code: (open, overdue, due soon, answered on time, answered)} for agencies with open or answered cases."""
    calendar, found = work_calendar(), {}
    for code, due in rows(f"SELECT a.code, {DUE} AS due FROM complaint c LEFT JOIN agency a ON a.id = c.agency_id "
                          f"WHERE c.status = 'received' OR c.status IN {HANDLING}", {"due": UTCDateTime}):
        counts = found.setdefault(code or "none", [0, 0, 0, 0, 0])
        counts[0] += 1
        counts[1] += due < now
        counts[2] += due >= now and calendar.working_hours_between(now, due) <= 16
    since = day_start(local_date(now) - timedelta(days=days - 1))
    for code, answered, on_time in rows(
            "SELECT a.code, COUNT(*), SUM(CASE WHEN c.answered_at <= c.resolve_due_at THEN 1 ELSE 0 END) "
            "FROM complaint c LEFT JOIN agency a ON a.id = c.agency_id WHERE c.answered_at >= :since "
            "GROUP BY a.code", since=since):
        counts = found.setdefault(code or "none", [0, 0, 0, 0, 0])
        counts[3], counts[4] = int(on_time), int(answered)
    return {code: tuple(counts) for code, counts in found.items()}


def expected_due(now, limit=50):
    """(How many open cases are overdue or due within 16 working hours; the first `limit` references by deadline.)"""
    calendar = work_calendar()
    found = rows(f"SELECT c.reference, {DUE} AS due, c.id FROM complaint c "
                 f"WHERE c.status = 'received' OR c.status IN {HANDLING} ORDER BY 2, 3", {"due": UTCDateTime})
    due = [row.reference for row in found if row.due < now or calendar.working_hours_between(now, row.due) <= 16]
    return len(due), due[:limit]


def expected_groups(dimension, days, now):
    """[(key, complaints, overdue, rated, mean satisfaction)] as the patterns page ranks them."""
    key, join = DIMENSION_KEYS[dimension]
    found = rows(
        f"SELECT {key} AS key, COUNT(*) AS n, SUM(CASE WHEN (c.status = 'received' AND c.accept_due_at < :now) "
        f"OR (c.status IN {HANDLING} AND c.resolve_due_at < :now) OR c.answered_at > c.resolve_due_at "
        f"THEN 1 ELSE 0 END) AS overdue, COUNT(r.score) AS rated, AVG(r.score) AS satisfaction "
        f"FROM complaint c {join} LEFT JOIN (SELECT complaint_id, AVG(score) AS score FROM rating "
        f"GROUP BY complaint_id) r ON r.complaint_id = c.id "
        f"WHERE c.created_at >= :since AND {key} IS NOT NULL AND {key} <> '' "
        f"GROUP BY {key} HAVING COUNT(*) >= 3 ORDER BY COUNT(*) DESC, {key} LIMIT 1000",
        now=now, since=day_start(local_date(now) - timedelta(days=days - 1)))
    return [(row.key, row.n, int(row.overdue), row.rated,
             float(row.satisfaction) if row.satisfaction is not None else None) for row in found]


# ---------------------------------------------------------------------------------------------------------------
# What the pages show
# ---------------------------------------------------------------------------------------------------------------

def cells(row):
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def shown_summary(html):
    summary = html[html.index('id="summary"'):html.index('id="due"')]
    shown = {}
    for code, row in re.findall(r'<tr id="agency-([^"]+)">(.*?)</tr>', summary, re.S):
        _name, open_, overdue, near, rate = cells(row)
        on_time, answered = re.search(r"\((\d+)/(\d+)\)", rate).groups() if rate != "—" else (0, 0)
        shown[code] = (int(open_), int(overdue), int(near), int(on_time), int(answered))
    return shown


def shown_due(html):
    due = html[html.index('id="due"'):]
    due = due[:due.index("</section>")]
    total = re.search(r"(\d+) cases?, the most overdue first", due)
    return (int(total.group(1)) if total else 0), re.findall(r'class="text-nowrap">([^<]+)</a>', due)


def shown_groups(client, dimension, days):
    body = client.get(f"/staff/patterns/export.csv?dimension={dimension}&days={days}").get_data(as_text=True)
    lines = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))[1:]
    return [(key, int(n), int(overdue), int(rated), round(float(satisfaction), 2) if satisfaction else None)
            for _label, key, n, overdue, _rate, satisfaction, rated in lines]


def assert_pages_agree_with_sql(app, snv, now):
    """Run the worker's figure job once, then compare every count and rate both pages show with SQL's."""
    with app.app_context():
        refresh_figures()
    for days in (30, 365):
        html = snv.get(f"/staff/follow-up?days={days}").get_data(as_text=True)
        with app.app_context():
            assert shown_summary(html) == expected_summary(now, days)
            assert shown_due(html) == expected_due(now)
        for dimension in DIMENSION_KEYS:
            with app.app_context():
                assert_same_groups(shown_groups(snv, dimension, days), expected_groups(dimension, days, now))


def assert_same_groups(shown, expected):
    """Counts exactly; the mean satisfaction as the export rounds it (to 0.01; sums in another order may differ in
    the last bit, on either side of a rounding boundary)."""
    assert [group[:4] for group in shown] == [group[:4] for group in expected]
    assert [group[4] for group in shown] == [pytest.approx(group[4], abs=0.0051) if group[4] is not None else None
                                            for group in expected]


@pytest.fixture
def snv(app, make_user):
    with freeze(NOW):
        return signed_in(app, make_user("home_affairs"))


@pytest.mark.demo_data
def test_the_pages_show_what_sql_finds_on_generated_data(app, snv):
    with freeze(NOW):
        assert_pages_agree_with_sql(app, snv, NOW)
        with app.app_context():
            total, _ = expected_due(NOW)
            assert total > 0 and any(expected_groups("official", 365, NOW))  # the comparison compares something
            busiest_ward, size = expected_groups("ward", 365, NOW)[0][:2]
        drill = snv.get(f"/staff/patterns/ward/{busiest_ward}?days=365").get_data(as_text=True)
        assert f'text-bg-secondary">{size}</span>' in drill
        assert drill.count('href="/staff/cases/') == min(size, 50)  # one page of a long group


def resident(app, code):
    client = english_client(app)
    page = client.get(f"/track?code={code}")
    client.post("/track", data={"code": code, "contact": "0912345678", "csrf_token": token_in(page)})
    return client


@pytest.mark.demo_data
def test_the_figures_follow_changes_made_through_the_pages(app, snv, make_user, make_complaint):
    with freeze(NOW):
        intake, officer = signed_in(app, make_user("intake")), signed_in(app, make_user("officer", "SXD"))
        answered, moved, waiting = make_complaint(), make_complaint(), make_complaint(official_name="Lê Văn Tám")
        assert_pages_agree_with_sql(app, snv, NOW)
        for code in (answered, moved):
            assert act(intake, code, "accept", kind="phan_anh", category="xay_dung", problem_type="delay",
                       agency="SXD").status_code == 302
        assert act(officer, answered, "answer", text="Đã cấp phép ngày 10/3.").status_code == 302
        assert act(intake, moved, "transfer", agency="SNNMT", reason="Thuộc lĩnh vực đất đai").status_code == 302
        resident_client = resident(app, answered)
        token = token_in(resident_client.get(f"/track?code={answered}"))
        assert resident_client.post(f"/track/{answered}/rating", data={
            "access": "4", "procedure": "4", "conduct": "5", "result": "4", "handling": "4", "comment": "",
            "csrf_token": token}).status_code == 303
        assert_pages_agree_with_sql(app, snv, NOW)
        assert reference_of(waiting) in due_list(snv)


def due_list(browser):
    """Every page of the follow-up's list of overdue and near-due cases, followed by its "Next" links."""
    pages, address = [], "/staff/follow-up"
    while address:
        pages.append(browser.get(address).get_data(as_text=True))
        following = re.search(r'href="([^"]+)#due">Next<', pages[-1])
        address = following and following.group(1).replace("&amp;", "&")
    return "".join(pages)


@pytest.mark.demo_data
def test_a_deadline_passing_without_an_event_reaches_the_figures(app, snv, make_user, make_complaint):
    with freeze(NOW):
        make_complaint()  # to be accepted within 8 working hours: overdue by Friday
        assert_pages_agree_with_sql(app, snv, NOW)
        with app.app_context():
            before = sum(counts[1] for counts in expected_summary(NOW, 30).values())
    later = NOW + timedelta(days=2, hours=5)
    with freeze(later):
        snv = signed_in(app, make_user("home_affairs"))  # a fresh sign-in two days later
        assert_pages_agree_with_sql(app, snv, later)
        with app.app_context():
            assert sum(counts[1] for counts in expected_summary(later, 30).values()) > before


@pytest.mark.demo_data
def test_a_merge_of_spellings_moves_the_groups(app, snv):
    with freeze(NOW):
        with app.app_context():
            first, second = [group[0] for group in expected_groups("official", 365, NOW)[:2]]
        response = snv.post("/staff/patterns/officials/merge", data={
            "key": [first, second], "target": first, "days": "365",
            "csrf_token": csrf_token(snv, "/staff/patterns")})
        assert response.status_code == 302
        assert_pages_agree_with_sql(app, snv, NOW)
        assert second not in [group[0] for group in shown_groups(snv, "official", 365)]


@pytest.mark.demo_data
def test_the_figures_age_is_shown(app, snv):
    with freeze(NOW):
        with app.app_context():
            refresh_figures()
        for url in ("/staff/follow-up", "/staff/patterns"):
            assert "Figures as of 11/03/2026 10:00." in snv.get(url).get_data(as_text=True)


def test_a_role_that_cannot_see_every_case_never_reads_the_city_wide_figures(app, monkeypatch, make_user):
    """Were the roles table ever to give the follow-up or patterns to agency staff, they would be refused rather
    than shown counts of other agencies' cases."""
    monkeypatch.setitem(PERMISSIONS, Role.AGENCY_HEAD, PERMISSIONS[Role.AGENCY_HEAD] | {
        Permission.FOLLOW_UP, Permission.VIEW_PATTERNS})
    assert signed_in(app, make_user("home_affairs")).get("/staff/patterns").status_code == 200  # sums now kept
    head = signed_in(app, make_user("agency_head", "SXD"))
    for url in ("/staff/follow-up", "/staff/patterns", "/staff/patterns/export.csv", "/staff/patterns/agency/SXD"):
        assert head.get(url).status_code == 403, url
