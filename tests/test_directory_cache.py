"""The filing form's lists are built once per directory version and language: the form costs the same few
statements however large the directory, and a change made anywhere (the loader command, the admin pages, any
ORM write) is seen by the next request, in every process, because it moves the directory's stamp in the same
transaction."""
import re

import pytest
import yaml
from sqlalchemy import event, func, select

from portal.complaints.models import Complaint
from portal.directory.exporter import export_directory
from portal.directory.models import Agency, Category, KindClock, RoutingRule
from portal.directory.version import current_stamp
from portal.extensions import db
from tests.conftest import case_url, csrf_token, sign_in, token_in
from tests.helpers import VALID, complaint_count, post_form

FORM = "/complaints/new"


class Statements:
    """The SQL statements sent while it is entered (not the test fixture's savepoints)."""

    def __init__(self, app):
        with app.app_context():
            self.engine = db.engine
        self.sent = []

    def _count(self, _connection, _cursor, statement, *_args):
        if "SAVEPOINT" not in statement:
            self.sent.append(" ".join(statement.split()))

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._count)


def options(page, name):
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)<', select_html)


def test_the_form_reads_the_directory_once_then_only_its_stamp(app, client):
    client.get(FORM)  # builds the lists for English
    for _ in range(3):
        with Statements(app) as statements:
            assert client.get(FORM).status_code == 200
        [statement] = statements.sent  # the stamp, and nothing that grows with the directory
        assert statement.startswith("SELECT directory_version.stamp FROM directory_version WHERE")


def test_a_directory_load_from_the_command_line_is_seen_by_the_next_form(app, client, runner, tmp_path):
    assert ("khac", "Other") in options(client.get(FORM).get_data(as_text=True), "category")
    with app.app_context():
        export_directory(tmp_path)
    categories = yaml.safe_load((tmp_path / "categories.yaml").read_text())
    categories["categories"] = [c for c in categories["categories"] if c["code"] != "khac"]
    for category in categories["categories"]:
        if category["code"] == "y_te":
            category["name_en"] = "Health & hospitals"
    (tmp_path / "categories.yaml").write_text(yaml.safe_dump(categories, allow_unicode=True))
    assert runner.invoke(args=["directory", "load", str(tmp_path)]).exit_code == 0
    shown = options(client.get(FORM).get_data(as_text=True), "category")
    assert ("y_te", "Health &amp; hospitals") in shown and "khac" not in dict(shown)
    response = post_form(client, category="khac")  # switched off: no longer accepted either
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)


def test_any_orm_write_to_the_directory_moves_the_stamp(app, client):
    assert "SXD" in dict(options(client.get(FORM).get_data(as_text=True), "concerned_agency"))
    with app.app_context():
        before = current_stamp()
        db.session.scalars(select(Agency).where(Agency.code == "SXD")).one().active_until = \
            Agency.active_from.type.python_type(2020, 1, 1)
        db.session.commit()
        assert current_stamp() != before
    assert "SXD" not in dict(options(client.get(FORM).get_data(as_text=True), "concerned_agency"))


def test_a_routing_change_from_the_admin_pages_moves_the_stamp(app, client, make_user):
    sign_in(app, client, make_user("admin"))
    with app.app_context():
        before = current_stamp()
    data = {"category": "y_te", "problem_type": "delay", "ward": "00004", "agency": "SXD", "note": "",
            "csrf_token": csrf_token(client, "/staff/routing/new")}
    assert client.post("/staff/routing/new", data=data).status_code == 302
    with app.app_context():
        assert current_stamp() != before


def test_each_language_has_its_own_lists(app, client):
    english = dict(options(client.get(FORM).get_data(as_text=True), "category"))
    client.get("/lang/vi")
    vietnamese = dict(options(client.get(FORM).get_data(as_text=True), "category"))
    assert english["dat_dai"] == "Land" and vietnamese["dat_dai"] == "Đất đai"


@pytest.mark.parametrize("field, value", [("category", "no-such-field"), ("ward", "99999"),
                                          ("concerned_agency", "<script>"), ("problem_type", "bribe<")])
def test_an_unknown_code_is_refused_politely_and_keeps_what_was_typed(app, client, field, value):
    response = post_form(client, **{"ward": "00004", field: value}, official_name="Trần Văn B")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and complaint_count(app) == 0
    assert "Not a valid choice" in page and "<script>" not in page
    assert VALID["description"] in page and "Trần Văn B" in page
    if field != "ward":
        assert ("00004", "Ba Dinh Ward") in options(page, "ward")
        assert re.search(r'<option selected value="00004">', page)  # the resident's choice is still chosen


def test_a_filing_gets_the_rows_its_codes_name(app, client):
    assert post_form(client, category="y_te", problem_type="delay", ward="00004",
                     concerned_agency="SXD").status_code == 303
    with app.app_context():
        complaint = db.session.scalars(select(Complaint)).one()
        assert (complaint.category.code, complaint.problem_type.code, complaint.ward.code,
                complaint.concerned_agency.code) == ("y_te", "delay", "00004", "SXD")
        assert isinstance(complaint.category, Category)


def filed_agency(app):
    with app.app_context():
        complaint = db.session.scalars(select(Complaint).order_by(Complaint.id.desc())).first()
        return complaint.agency.code, complaint.routing_rule_id


def test_a_rule_added_on_the_admin_pages_routes_the_next_filing(app, client, make_user):
    resident = app.test_client()
    assert post_form(resident, category="y_te", problem_type="delay", ward="00004").status_code == 303
    assert filed_agency(app)[0] == "SYT"  # the routing decision is now remembered
    sign_in(app, client, make_user("admin"))
    data = {"category": "y_te", "problem_type": "delay", "ward": "00004", "agency": "SXD", "note": "",
            "csrf_token": csrf_token(client, "/staff/routing/new")}
    assert client.post("/staff/routing/new", data=data).status_code == 302
    assert post_form(resident, category="y_te", problem_type="delay", ward="00004").status_code == 303
    with app.app_context():
        newest_rule = db.session.scalar(select(func.max(RoutingRule.id)))
    assert filed_agency(app) == ("SXD", newest_rule)


def test_a_changed_legal_clock_is_used_by_the_next_filing(app, client):
    def accept_hours():
        assert post_form(client, kind="kien_nghi").status_code == 303
        with app.app_context():
            complaint = db.session.scalars(select(Complaint).order_by(Complaint.id.desc())).first()
            return (complaint.accept_due_at - complaint.created_at).total_seconds() / 3600
    before = accept_hours()
    with app.app_context():
        clock = db.session.get(KindClock, "kien_nghi")
        clock.accept_amount, clock.accept_unit = 400, "days"
        db.session.commit()
    assert accept_hours() > before and accept_hours() > 399 * 24  # due at the close of office on the 400th day


def test_a_filing_reads_no_directory_table(app, client):
    post_form(client)  # the first filing builds what the next ones use
    token = csrf_token(client, FORM)
    with Statements(app) as statements:
        assert post_form(client, token=token).status_code == 303
    directory_tables = ("category", "problem_type", "ward", "agency", "routing_rule", "kind_clock", "calendar_day")
    reads = [s for s in statements.sent if s.startswith("SELECT")]
    assert not [s for s in reads if re.search(rf"\bFROM ({'|'.join(directory_tables)})\b", s)], reads
    assert sum("directory_version" in s for s in reads) == 1


def test_the_filers_page_names_the_case_as_the_directory_names_it_now(app, client):
    response = post_form(client, category="y_te", problem_type="delay", ward="00004")
    track = client.get(response.headers["Location"], follow_redirects=True)
    page = track.get_data(as_text=True)
    assert "Health · Delay or missed deadline · Ba Dinh Ward" in page
    assert "Responsible agency: Department of Health" in page
    with app.app_context():
        db.session.scalars(select(Agency).where(Agency.code == "SYT")).one().name_en = "Hanoi Health Department"
        db.session.commit()
    page = client.get(track.request.full_path).get_data(as_text=True)
    assert "Responsible agency: Hanoi Health Department" in page
    client.get("/lang/vi")
    assert "Y tế · Chậm trễ, quá hạn giải quyết" in client.get(track.request.full_path).get_data(as_text=True)


def test_names_in_the_cached_options_are_escaped_once(app, client):
    with app.app_context():
        db.session.scalars(select(Category).where(Category.code == "y_te")).one().name_en = 'Health <b>& "care"'
        db.session.commit()
    page = client.get(FORM).get_data(as_text=True)
    assert '<option value="y_te">Health &lt;b&gt;&amp; &#34;care&#34;</option>' in page
    page = post_form(client, category="y_te", email="not-an-email").get_data(as_text=True)
    assert '<option selected value="y_te">Health &lt;b&gt;&amp; &#34;care&#34;</option>' in page


def test_the_intake_form_offers_the_directory_as_it_is_now(app, client, make_user, make_complaint):
    """The case page's lists are cached like the filing form's: a closed agency leaves them at the next request,
    and a choice no longer offered is refused when posted."""
    sign_in(app, client, make_user("intake"))
    code = make_complaint()
    assert "SXD" in dict(options(client.get(case_url(code)).get_data(as_text=True), "agency"))
    with app.app_context():
        db.session.scalars(select(Agency).where(Agency.code == "SXD")).one().active_until = \
            Agency.active_from.type.python_type(2020, 1, 1)
        db.session.commit()
    page = client.get(case_url(code)).get_data(as_text=True)
    assert "SXD" not in dict(options(page, "agency")) and "SYT" in dict(options(page, "agency"))
    data = {"kind": "phan_anh", "category": "xay_dung", "problem_type": "delay", "ward": "", "agency": "SXD",
            "version": re.search(r'name="version"[^>]*value="(\d+)"', page).group(1),
            "csrf_token": token_in(client.get(case_url(code)))}
    response = client.post(case_url(code, "accept"), data=data)
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)
