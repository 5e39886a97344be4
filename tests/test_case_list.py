"""The staff case list a page at a time: following "next" from the first page, then "previous" back, visits
every visible case once, in the list's order (deadline first, the earliest first, cases without one last)."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from inspections import case_listing
from portal.accounts.models import User
from portal.cases import operations as ops
from portal.complaints.models import Complaint
from portal.extensions import db
from portal.timeutil import utcnow
from tests.conftest import signed_in

LINK = re.compile(r'<a class="page-link" rel="(next|prev)" href="([^"]+)"')
ROW = re.compile(r'href="/staff/cases/(VV-[^"/]+)"')


@pytest.fixture
def cases(app, make_user, make_complaint):
    """Nine cases: some waiting for intake, some accepted (one overdue, one closed), with shuffled deadlines."""
    codes = [make_complaint(kind="to_cao" if n % 4 == 0 else "phan_anh") for n in range(9)]
    with app.app_context():
        intake = db.session.get(User, make_user("intake"))
        now = utcnow()
        for n, code in enumerate(codes):
            complaint = db.session.scalars(select(Complaint).where(Complaint.code == code)).one()
            if n % 3:
                ops.accept(complaint, intake, version=complaint.version, agency=complaint.agency,
                           category=complaint.category, problem_type=complaint.problem_type,
                           redacted_title="Tố cáo", redacted_description="Nội dung đã che.")
                complaint.resolve_due_at = now + timedelta(days=(n * 5) % 7 - 2)  # two are overdue
            if n == 8:
                complaint.status = "closed"
        db.session.commit()
    return codes


def list_order(app, **wanted):
    """The references of the cases the filters pick, in the list's order, computed here from each case."""
    with app.app_context():
        found = db.session.scalars(select(Complaint)).all()
        picked = [c for c in found if all(str(getattr(c, name)) == value for name, value in wanted.items())]
        if "status" not in wanted:
            picked = [c for c in picked if c.status not in ("closed", "rejected", "merged", "answered")]
        picked.sort(key=lambda c: (c.current_deadline is None, c.current_deadline or utcnow(), c.id))
        return [c.reference for c in picked]


def walk(client, url):
    """Follow "next" to the end, then "previous" back: the references of each page on the way."""
    forward, backward = [], []
    page = client.get(url).get_data(as_text=True)
    forward.append(ROW.findall(page))
    while (link := dict((kind, href) for kind, href in LINK.findall(page)).get("next")):
        page = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
        forward.append(ROW.findall(page))
    while (link := dict((kind, href) for kind, href in LINK.findall(page)).get("prev")):
        page = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
        backward.append(ROW.findall(page))
    return forward, backward


@pytest.mark.parametrize("query, wanted", [("", {}), ("?status=all", {"status": None}),
                                           ("?kind=to_cao", {"kind": "to_cao"}),
                                           ("?status=assigned", {"status": "assigned"})])
def test_next_and_previous_visit_every_case_once_in_order(app, make_user, cases, monkeypatch, query, wanted):
    monkeypatch.setattr(case_listing, "PER_PAGE", 2)
    wanted = {name: value for name, value in wanted.items() if value}
    expected = list_order(app, **wanted) if "status=all" not in query else _everything(app)
    forward, backward = walk(signed_in(app, make_user("home_affairs")), "/staff/cases" + query)
    assert [ref for page in forward for ref in page] == expected
    assert all(len(page) == 2 for page in forward[:-1])
    assert backward == forward[-2::-1]  # the same pages, back to the first


def _everything(app):
    with app.app_context():
        found = db.session.scalars(select(Complaint)).all()
        found.sort(key=lambda c: (c.current_deadline is None, c.current_deadline or utcnow(), c.id))
        return [c.reference for c in found]


def test_overdue_lists_only_the_overdue_and_an_unreadable_key_starts_at_the_top(app, make_user, cases):
    client = signed_in(app, make_user("home_affairs"))
    now = utcnow()
    with app.app_context():
        late = [c.reference for c in db.session.scalars(select(Complaint)) if c.is_overdue(now)]
    shown = ROW.findall(client.get("/staff/cases?overdue=1").get_data(as_text=True))
    assert sorted(shown) == sorted(late) and late
    for key in ("x", "99999999999999999999.1", "-.99999999999", "20269999999999999999.3"):
        assert ROW.findall(client.get(f"/staff/cases?after={key}").get_data(as_text=True))[:1] == \
            list_order(app)[:1], key


def test_a_link_past_either_end_shows_the_first_page_instead_of_an_empty_one(app, make_user, cases):
    """A saved "next" link can point past the last case once cases are answered: the list starts again."""
    client = signed_in(app, make_user("home_affairs"))
    for key in ("-.2147483647", "19700101000000000000.1"):
        for side in ("after", "before"):
            shown = ROW.findall(client.get(f"/staff/cases?{side}={key}&kind=phan_anh").get_data(as_text=True))
            assert shown == list_order(app, kind="phan_anh")[:case_listing.PER_PAGE], (side, key)


@pytest.mark.parametrize("query", ["", "?status=all", "?kind=to_cao", "?overdue=1", "?status=closed",
                                   "?agency=SXD"])
def test_every_stream_of_the_list_reads_an_index(app, make_user, cases, query):
    """No stream scans the table: each reads its cases in order from an index of migration 0009 (SQLite's plan;
    PostgreSQL plans small tables with sequential scans, so there it is checked on generated data)."""
    if app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0] != "sqlite":
        pytest.skip("the plan of a table of a few rows says nothing on PostgreSQL")
    statements = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if "AS undated" in statement:  # the list's own statement (inspections/case_listing.py)
            statements.append((statement, parameters))
    for role, agency in (("home_affairs", None), ("officer", "SXD")):
        client = signed_in(app, make_user(role, agency))
        event.listen(Engine, "before_cursor_execute", keep)
        try:
            page = client.get("/staff/cases" + query).get_data(as_text=True)
            following = dict(LINK.findall(page)).get("next")
            if following:
                client.get(following.replace("&amp;", "&"))
        finally:
            event.remove(Engine, "before_cursor_execute", keep)
    assert statements
    with app.app_context():
        raw = db.session.connection().connection.driver_connection
        for statement, parameters in statements:
            plan = [row[-1] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters)]
            reads = [n for n, step in enumerate(plan) if step.startswith(("SCAN complaint", "SEARCH complaint"))]
            assert reads and all("INDEX ix_complaint_list_" in plan[n] for n in reads), plan
            sorted_after = [plan[n + 1] for n in reads if n + 1 < len(plan) and "TEMP B-TREE" in plan[n + 1]]
            assert sorted_after == [], plan  # the index gives the stream its order: nothing to sort


def test_the_intake_queue_pages_oldest_first_and_caps_its_count(app, make_user, make_complaint, monkeypatch):
    from inspections import triage
    monkeypatch.setattr(triage, "PER_PAGE", 2)
    monkeypatch.setattr(triage, "COUNT_UP_TO", 3)
    codes = [make_complaint() for _ in range(5)]
    with app.app_context():
        waiting = db.session.scalars(select(Complaint).where(Complaint.code.in_(codes))).all()
        expected = [c.reference for c in sorted(waiting, key=lambda c: (c.created_at, c.id))]
    client = signed_in(app, make_user("intake"))
    page = client.get("/staff/triage").get_data(as_text=True)
    assert "more than 3" in page
    shown = [ROW.findall(page)]
    while (link := dict(LINK.findall(page)).get("next")):
        page = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
        shown.append(ROW.findall(page))
    assert [len(refs) for refs in shown] == [2, 2, 1]
    assert [ref for refs in shown for ref in refs] == expected


def test_the_code_filter_finds_a_whole_reference_and_a_part_of_one(app, make_user, cases):
    client = signed_in(app, make_user("home_affairs"))
    reference = list_order(app)[0]
    for typed in (reference, reference[:9].lower(), reference[-4:]):
        shown = ROW.findall(client.get(f"/staff/cases?status=all&code={typed}").get_data(as_text=True))
        assert reference in shown and all(typed.upper() in ref for ref in shown), typed
