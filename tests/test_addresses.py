"""Whatever is typed into an address gives a page or a 404, never an error: page numbers, ids in paths, HEAD
requests; and no template hides the translation function by naming a variable `_`."""
import re
from pathlib import Path

from jinja2 import nodes
from sqlalchemy import select

from portal.accounts.models import User
from portal.cases import operations as ops
from portal.complaints.models import Complaint
from portal.extensions import db
from portal.paging import MAX_ID, MAX_PAGE, page_number, record_id
from tests.conftest import english_client, reference_of, signed_in

ODD_NUMBERS = ["99999999999999999999", str(2**63), "-1", "0", "abc", "1e3", "", " 2 ", "٣", "1.5"]


def test_any_page_number_gives_a_page(app, make_user, make_complaint):
    make_complaint()
    client = signed_in(app, make_user("intake"))
    for value in ODD_NUMBERS:
        for path, query in (("/staff/cases", {}), ("/staff/cases", {"status": "all"}), ("/staff/search", {}),
                            ("/staff/search", {"q": "giấy"})):
            response = client.get(path, query_string={**query, "page": value})
            assert response.status_code == 200, (path, query, value)


def test_a_page_past_the_end_shows_the_last_page(app, make_user, make_complaint):
    code = make_complaint()
    client = signed_in(app, make_user("intake"))
    html = client.get("/staff/cases?status=all&page=99999999999999999999").get_data(as_text=True)
    assert reference_of(code) in html


def test_an_id_no_row_can_have_is_not_found(app, make_user):
    admin, inspector = signed_in(app, make_user("admin")), signed_in(app, make_user("inspector"))
    for number in ("99999999999999999999", str(MAX_ID + 1), "-1", "x"):
        assert inspector.get(f"/staff/patterns/clusters/{number}").status_code == 404, number
        assert admin.get(f"/staff/routing/{number}/edit").status_code == 404, number
    assert admin.get("/staff/routing/0/edit").status_code == 404


def test_an_id_in_a_query_string_that_no_row_can_have_is_ignored(app, make_user, make_complaint):
    code = make_complaint()
    with app.app_context():
        complaint = db.session.scalars(select(Complaint).where(Complaint.code == code)).one()
        intake = db.session.scalars(select(User).where(User.id == make_user("intake"))).one()
        ops.accept(complaint, intake, version=complaint.version, agency=complaint.agency,
                   category=complaint.category, problem_type=complaint.problem_type)
        agency = complaint.agency.code
        db.session.commit()
    officer = signed_in(app, make_user("officer", agency))
    case = re.search(r'href="(/staff/cases/[^"?]+)"', officer.get("/staff/cases").get_data(as_text=True)).group(1)
    for canned in ("99999999999999999999", "-1", "x"):
        assert officer.get(case, query_string={"canned": canned}).status_code == 200, canned


def test_the_number_helpers():
    assert [page_number(v) for v in ("1", "7", "0", "-3", "x", "99999999999999999999", "٣")] == [
        1, 7, 1, 1, 1, MAX_PAGE, 1]
    assert [record_id(v) for v in ("12", "0", str(MAX_ID), str(MAX_ID + 1), "1e3", None, "-4")] == [
        12, None, MAX_ID, None, None, None, None]


def _plain_get_routes(app, prefix):
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if "GET" in rule.methods and not rule.arguments and rule.rule.startswith(prefix))


def test_head_answers_like_get_on_every_page(app, make_user):
    public = [path for path in _plain_get_routes(app, "/") if not path.startswith(("/staff", "/static"))]
    assert "/complaints/new" in public
    visitor = english_client(app)
    for path in public:
        assert visitor.head(path).status_code == visitor.get(path).status_code, path
    admin = signed_in(app, make_user("admin"))
    for path in _plain_get_routes(app, "/staff/"):
        if path != "/staff/logout":
            assert admin.head(path).status_code == admin.get(path).status_code, path


def test_no_template_names_a_variable_underscore(app):
    """`{% set _ = x.append(1) %}` or `{% for _ in ... %}` hides `_()` for the rest of the scope, and the page
    fails as soon as it translates something after it; `{% do %}` is the way to call for the effect."""
    templates = Path(app.root_path, "..", "templates").resolve()
    offenders = []
    for path in sorted(templates.rglob("*.html")) + sorted(templates.rglob("*.txt")):
        tree = app.jinja_env.parse(path.read_text(encoding="utf-8"))
        stored = [node for node in tree.find_all(nodes.Name) if node.name == "_" and node.ctx in ("store", "param")]
        offenders += [f"{path.relative_to(templates)}:{node.lineno}" for node in stored]
    assert offenders == []
