"""Routing rules edited by the administrator through the real forms: what routing then does with them, the
validation messages, switching rules off and on, who may do it, and the routing accuracy report."""
import logging
import re
from html import unescape

import pytest
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.cases import operations as ops
from portal.complaints.models import Complaint
from portal.directory.models import Agency, Category, ProblemType, RoutingRule, Ward
from portal.directory.routing import route
from portal.extensions import db
from portal.figures.upkeep import refresh_figures
from tests.conftest import csrf_token, sign_in, token_in

LIST = "/staff/routing"
NEW = "/staff/routing/new"




@pytest.fixture
def admin(app, client, make_user):
    user_id = make_user("admin")
    sign_in(app, client, user_id)
    return user_id


def by_code(model, code):
    return db.session.scalars(select(model).where(model.code == code)).one() if code else None


def route_codes(category, problem_type, ward=None):
    """(agency code, rule id) that routing chooses now."""
    agency, rule = route(by_code(Category, category), by_code(ProblemType, problem_type), by_code(Ward, ward))
    return agency.code, rule.id


def category_rule(app, category):
    """The id of the directory's plain rule for one category (no problem type, no ward)."""
    with app.app_context():
        return db.session.scalars(select(RoutingRule.id).join(Category, Category.id == RoutingRule.category_id)
                                  .where(Category.code == category, RoutingRule.problem_type_id.is_(None),
                                         RoutingRule.ward_id.is_(None), RoutingRule.ward_committee.is_(False))).one()


def rule_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(RoutingRule.id)))


def post_rule(client, url=NEW, **fields):
    data = {"category": "", "problem_type": "", "ward": "", "agency": "", "note": "", **fields}
    data["csrf_token"] = csrf_token(client, url)
    return client.post(url, data=data)


def selected(html, name):
    """The value of the option the form shows as chosen in the select `name`."""
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    match = re.search(r'<option[^>]*\bselected\b[^>]*value="([^"]*)"|<option[^>]*value="([^"]*)"[^>]*\bselected\b',
                      select_html)
    return next(group for group in match.groups() if group is not None) if match else None


def switch(client, rule_id, action):
    return client.post(f"/staff/routing/{rule_id}/{action}", data={"csrf_token": csrf_token(client, LIST)})


def row(html, rule_id):
    begin = html.index(f'id="rule-{rule_id}"')
    return html[begin:html.index("</tr>", begin)]


def test_a_new_rule_routes_matching_complaints_most_specific_first(app, client, admin, make_complaint, caplog):
    caplog.set_level(logging.INFO, logger=app.logger.name)
    before = rule_count(app)
    response = post_rule(client, category="xay_dung", problem_type="delay", ward="00070", agency="SCT",
                         note="Thử nghiệm: chậm cấp phép ở Hoàn Kiếm")
    assert response.status_code == 302 and response.headers["Location"] == LIST
    assert rule_count(app) == before + 1
    with app.app_context():
        rule_id = db.session.scalar(select(func.max(RoutingRule.id)))
        assert route_codes("xay_dung", "delay", "00070") == ("SCT", rule_id)  # three criteria beat two
        assert route_codes("xay_dung", "harassment", "00070")[0] == "UBND-00070"  # the ward committee rule
        assert route_codes("xay_dung", "delay")[0] == "SXD"  # no ward: the department
    assert any(f"routing rule {rule_id} created by staff user {admin}" in m for m in caplog.messages)
    html = client.get(LIST).get_data(as_text=True)
    assert f"Rule #{rule_id} is saved" in html
    assert "Department of Industry and Trade" in row(html, rule_id) and "Hoan Kiem Ward" in row(html, rule_id)
    assert html.index(f'id="rule-{rule_id}"') < html.index('id="inactive-rules"')
    code = make_complaint(category="xay_dung", problem_type="delay", ward="00070")
    with app.app_context():
        complaint = db.session.scalars(select(Complaint).where(Complaint.code == code)).one()
        assert complaint.suggested_agency.code == "SCT" and complaint.routing_rule_id == rule_id


def test_a_ward_committee_rule(app, client, admin):
    response = post_rule(client, category="giao_duc", problem_type="attitude", ward_committee="y")
    assert response.status_code == 302
    with app.app_context():
        assert route_codes("giao_duc", "attitude", "00070")[0] == "UBND-00070"
        assert route_codes("giao_duc", "attitude")[0] == "SGDDT"  # no ward named: the rule does not apply
    with app.app_context():
        rule_id = db.session.scalar(select(func.max(RoutingRule.id)))
    shown = unescape(row(client.get(LIST).get_data(as_text=True), rule_id))
    assert "The ward's People's Committee" in shown and "Improper attitude or conduct" in shown


def test_the_same_criteria_twice_are_refused_naming_the_rule(app, client, admin):
    existing = category_rule(app, "y_te")
    before = rule_count(app)
    response = post_rule(client, category="y_te", agency="SXD")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f"Rule #{existing} already has these criteria" in html
    assert rule_count(app) == before
    with app.app_context():
        assert route_codes("y_te", "delay")[0] == "SYT"


@pytest.mark.parametrize("fields, message", [
    ({"agency": "SXD", "ward_committee": "y"}, "not both"),
    ({}, "Choose a target agency, or tick"),
    ({"agency": "STNMT"}, "is no longer active"),  # closed in the 2025 merger
    ({"agency": "NOPE"}, "Choose an agency from the list"),
    ({"agency": "SXD", "category": "nope"}, "Choose a field from the list"),
])
def test_a_rule_needs_exactly_one_active_target(app, client, admin, fields, message):
    before = rule_count(app)
    response = post_rule(client, **{"category": "giao_duc", "ward": "00070", **fields})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html
    assert "Please correct the following" in html and selected(html, "ward") == "00070"  # what was chosen is kept
    assert rule_count(app) == before


def test_editing_a_rule(app, client, admin):
    rule_id = category_rule(app, "y_te")
    url = f"/staff/routing/{rule_id}/edit"
    form = client.get(url).get_data(as_text=True)
    assert selected(form, "agency") == "SYT" and selected(form, "category") == "y_te"
    response = post_rule(client, url, category="y_te", agency="SXD", note="Tạm thời do Sở Xây dựng")
    assert response.status_code == 302
    with app.app_context():
        assert route_codes("y_te", "delay") == ("SXD", rule_id)
    # Editing a rule into the criteria of another active rule is refused too.
    response = post_rule(client, url, category="giao_duc", agency="SXD")
    assert f"Rule #{category_rule(app, 'giao_duc')} already has these criteria" in response.get_data(as_text=True)


def test_editing_a_rule_whose_field_was_switched_off_keeps_the_field(app, client, admin):
    rule_id = category_rule(app, "y_te")
    with app.app_context():
        by_code(Category, "y_te").active = False
        db.session.commit()
    url = f"/staff/routing/{rule_id}/edit"
    form = client.get(url).get_data(as_text=True)
    assert selected(form, "category") == "y_te" and "(no longer active)" in unescape(form)
    assert post_rule(client, url, category="y_te", agency="SYT", note="Chỉ sửa ghi chú").status_code == 302
    with app.app_context():
        assert db.session.get(RoutingRule, rule_id).category.code == "y_te"  # not widened to every field


def test_switching_a_rule_off_and_on(app, client, admin):
    rule_id = category_rule(app, "y_te")
    assert client.post(f"/staff/routing/{rule_id}/deactivate").status_code == 400  # no CSRF token
    with app.app_context():
        assert db.session.get(RoutingRule, rule_id).active
    assert switch(client, rule_id, "deactivate").status_code == 302
    with app.app_context():
        assert not db.session.get(RoutingRule, rule_id).active
        assert route_codes("y_te", "delay")[0] == "VPUBND"  # the default rule now
    html = client.get(LIST).get_data(as_text=True)
    assert html.index(f'id="rule-{rule_id}"') > html.index('id="inactive-rules"')
    assert switch(client, rule_id, "activate").status_code == 302
    with app.app_context():
        assert db.session.get(RoutingRule, rule_id).active
        assert route_codes("y_te", "delay") == ("SYT", rule_id)
        assert db.session.get(RoutingRule, rule_id) is not None  # never deleted


def test_a_rule_is_not_switched_on_beside_one_with_the_same_criteria(app, client, admin):
    old = category_rule(app, "y_te")
    switch(client, old, "deactivate")
    assert post_rule(client, category="y_te", agency="SXD").status_code == 302  # the old one is off: allowed
    response = client.post(f"/staff/routing/{old}/activate", data={"csrf_token": csrf_token(client, LIST)},
                           follow_redirects=True)
    assert "already has the same criteria" in response.get_data(as_text=True)
    with app.app_context():
        assert not db.session.get(RoutingRule, old).active
        assert route_codes("y_te", "delay")[0] == "SXD"


@pytest.mark.parametrize("role, agency", [("intake", None), ("officer", "SXD"), ("agency_head", "SXD"),
                                          ("home_affairs", None), ("inspector", None), ("commission", None)])
def test_only_administrators_edit_routing(app, client, make_user, role, agency):
    rule_id = category_rule(app, "y_te")
    sign_in(app, client, make_user(role, agency))
    token = token_in(client.get("/staff/"))  # the sign-out form's token
    assert client.get(LIST).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.get(f"/staff/routing/{rule_id}/edit").status_code == 403
    assert client.post(NEW, data={"csrf_token": token, "category": "y_te", "agency": "SXD"}).status_code == 403
    assert client.post(f"/staff/routing/{rule_id}/deactivate", data={"csrf_token": token}).status_code == 403
    with app.app_context():
        assert db.session.get(RoutingRule, rule_id).active


def test_visitors_must_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_routing_accuracy_overall_and_per_rule(app, client, admin, make_user, make_complaint):
    intake = make_user("intake")
    kept, corrected = make_complaint(category="xay_dung"), make_complaint(category="y_te")
    with app.app_context():
        user = db.session.get(User, intake)
        for code, agency in ((kept, None), (corrected, "SXD")):
            complaint = db.session.scalars(select(Complaint).where(Complaint.code == code)).one()
            ops.accept(complaint, user, version=complaint.version,
                       agency=by_code(Agency, agency) if agency else complaint.suggested_agency,
                       category=complaint.category, problem_type=complaint.problem_type, ward=complaint.ward)
        db.session.commit()
        refresh_figures()  # the worker's job: the page reads the figures it keeps
    html = client.get(LIST).get_data(as_text=True)
    overall = html[html.index('id="accuracy-overall"'):html.index("</p>", html.index('id="accuracy-overall"'))]
    assert "1 of 2" in overall and "50%" in overall
    construction, health = row(html, category_rule(app, "xay_dung")), row(html, category_rule(app, "y_te"))
    assert "100%" in construction and "(1 of 1)" in construction
    assert "0%" in health and "(0 of 1)" in health
    assert not re.search(r"\(\d+ of \d+\)", row(html, category_rule(app, "giao_duc")))  # no accepted complaint
