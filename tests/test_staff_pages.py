"""The life of a case through the staff pages, each role signed in through the real login form."""
import re

import pytest
from sqlalchemy import select

from portal.complaints.models import Complaint
from portal.extensions import db
from tests.conftest import case_url, reference_of, signed_in, token_in
from tests.helpers import photo_bytes


def status_of(app, code):
    with app.app_context():
        return db.session.scalars(select(Complaint.status).where(Complaint.code == code)).one()


def version_of(page):
    return re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)


def act(client, code, action, **data):
    page = client.get(case_url(code))
    text = page.get_data(as_text=True)
    data.setdefault("version", version_of(text) if 'name="version"' in text else "")
    pending = re.search(r'name="request_id" value="(\d+)"', text)
    if pending:
        data.setdefault("request_id", pending.group(1))
    data["csrf_token"] = token_in(page)
    return client.post(case_url(code, action), data=data, content_type="multipart/form-data")


@pytest.fixture
def team(app, make_user):
    ids = {"intake": make_user("intake"), "officer": make_user("officer", "SXD"),
           "head": make_user("agency_head", "SXD")}
    return {role: signed_in(app, user_id) for role, user_id in ids.items()}


def test_triage_route_answer_close(app, team, make_complaint):
    code = make_complaint()
    queue = team["intake"].get("/staff/triage").get_data(as_text=True)
    assert reference_of(code) in queue
    response = act(team["intake"], code, "accept", kind="phan_anh", category="xay_dung", problem_type="delay",
                   ward="", agency="SXD")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert status_of(app, code) == "assigned"
    assert reference_of(code) in team["officer"].get("/staff/cases").get_data(as_text=True)
    assert act(team["officer"], code, "start").status_code == 302
    response = act(team["officer"], code, "answer", text="Đã cấp giấy phép.", resolved="y")
    assert response.status_code == 400 and "evidence" in response.get_data(as_text=True)
    assert "Đã cấp giấy phép." in response.get_data(as_text=True)  # what was typed is kept
    response = act(team["officer"], code, "answer", text="Đã cấp giấy phép.", resolved="y",
                   files=[(__import__("io").BytesIO(photo_bytes()), "giay-phep.jpg")])
    assert response.status_code == 302
    assert act(team["head"], code, "close").status_code == 302
    assert status_of(app, code) == "closed"


def test_reject_merge_transfer_extension_through_pages(app, team, make_complaint):
    rejected, duplicate, main = make_complaint(), make_complaint(), make_complaint()
    assert act(team["intake"], rejected, "reject", reason="court", note="").status_code == 302
    assert status_of(app, rejected) == "rejected"
    assert act(team["intake"], duplicate, "merge", into=main).status_code == 302
    assert status_of(app, duplicate) == "merged"
    act(team["intake"], main, "accept", kind="phan_anh", category="xay_dung", problem_type="delay", agency="SXD")
    assert act(team["officer"], main, "extension", reason="Cần khảo sát thực địa").status_code == 302
    assert act(team["head"], main, "extension/decide", decision="approve", note="").status_code == 302
    assert act(team["intake"], main, "transfer", agency="SNNMT", reason="Thuộc lĩnh vực đất đai").status_code == 302
    assert team["officer"].get(case_url(main)).status_code == 404  # no longer their agency's


def test_a_second_writer_is_refused_and_keeps_what_they_typed(app, team, make_complaint):
    code = make_complaint()
    act(team["intake"], code, "accept", kind="phan_anh", category="xay_dung", problem_type="delay", agency="SXD")
    stale = team["officer"].get(case_url(code))
    version = version_of(stale.get_data(as_text=True))
    assert act(team["head"], code, "start").status_code == 302  # somebody else acts first
    response = team["officer"].post(case_url(code, "answer"), data={
        "version": version, "text": "Câu trả lời của tôi", "csrf_token": token_in(stale)})
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "Somebody else changed this case" in page
    assert "Câu trả lời của tôi" in page


def test_a_disallowed_status_change_is_refused(app, team, make_complaint):
    code = make_complaint()
    act(team["intake"], code, "accept", kind="phan_anh", category="xay_dung", problem_type="delay", agency="SXD")
    response = act(team["head"], code, "close")
    assert response.status_code == 400
    assert status_of(app, code) == "assigned"
