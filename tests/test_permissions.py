"""Every role against every staff route: allowed or refused at the view edge. And a denouncer's identity never
reaches the accused agency, in any page, list, file or email."""
import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.cases import operations as ops
from portal.complaints.models import Complaint
from portal.directory.models import Agency
from portal.extensions import db
from tests.conftest import case_url, csrf_token, english_client, reference_of, signed_in
from tests.helpers import photo_bytes, post_form, queued_emails

ROLES = {
    "intake": ("intake", None), "officer": ("officer", "SXD"), "head": ("agency_head", "SXD"),
    "other_officer": ("officer", "SYT"), "home_affairs": ("home_affairs", None), "inspector": ("inspector", None),
    "commission": ("commission", None), "admin": ("admin", None),
}
EVERYONE = set(ROLES)
FOLLOWERS = {"intake", "home_affairs", "inspector", "commission", "admin"}  # see every agency's cases

# (method, path, roles let through the permission edge). {new} is a case waiting for triage, {sxd} a case
# accepted for Sở Xây dựng.
MATRIX = [
    ("GET", "/staff/", EVERYONE),
    ("GET", "/staff/triage", {"intake"}),
    ("GET", "/staff/cases", EVERYONE),
    ("GET", "/staff/cases/{new}", FOLLOWERS),
    ("GET", "/staff/cases/{sxd}", FOLLOWERS | {"officer", "head"}),
    ("GET", "/staff/follow-up", {"home_affairs", "admin"}),
    ("GET", "/staff/routing", {"admin"}),
    ("GET", "/staff/patterns", {"home_affairs", "inspector", "commission"}),
    ("GET", "/staff/patterns/export.xlsx", {"home_affairs", "inspector", "commission"}),
    ("GET", "/staff/patterns/agency/SXD", {"home_affairs", "inspector", "commission"}),
    ("POST", "/staff/patterns/officials/merge", {"home_affairs", "inspector"}),
    ("GET", "/staff/routing/new", {"admin"}),
    ("POST", "/staff/cases/{new}/accept", {"intake"}),
    ("POST", "/staff/cases/{new}/reject", {"intake"}),
    ("POST", "/staff/cases/{new}/merge", {"intake"}),
    ("POST", "/staff/cases/{sxd}/transfer", {"intake", "home_affairs"}),
    ("POST", "/staff/cases/{sxd}/start", {"officer", "head"}),
    ("POST", "/staff/cases/{sxd}/reply", {"officer", "head"}),
    ("POST", "/staff/cases/{sxd}/answer", {"officer", "head"}),
    ("POST", "/staff/cases/{sxd}/extension", {"officer", "head"}),
    ("POST", "/staff/cases/{sxd}/extension/decide", {"head"}),
    ("POST", "/staff/cases/{sxd}/close", {"officer", "head"}),
    ("POST", "/staff/cases/{sxd}/note", {"intake", "officer", "head", "home_affairs", "inspector", "admin"}),
    ("POST", "/staff/cases/{denunciation}/reveal", {"intake", "inspector"}),
]


@pytest.fixture
def world(app, make_user, make_complaint):
    users = {name: make_user(role, agency) for name, (role, agency) in ROLES.items()}
    codes = {"new": make_complaint(), "sxd": make_complaint(), "denunciation": make_complaint(kind="to_cao")}
    with app.app_context():
        intake = db.session.get(User, users["intake"])
        sxd = db.session.scalars(select(Agency).where(Agency.code == "SXD")).one()
        for name in ("sxd", "denunciation"):
            complaint = db.session.scalars(select(Complaint).where(Complaint.code == codes[name])).one()
            ops.accept(complaint, intake, version=complaint.version, agency=sxd, category=complaint.category,
                       problem_type=complaint.problem_type, redacted_title="Tố cáo cán bộ cấp phép",
                       redacted_description="Cán bộ phòng cấp phép đòi tiền để giải quyết hồ sơ.")
        db.session.commit()
    return users, codes


def test_the_permission_matrix(app, world):
    users, codes = world
    clients = {name: signed_in(app, user_id) for name, user_id in users.items()}
    failures = []
    references = {name: reference_of(code) for name, code in codes.items()}
    for method, pattern, allowed in MATRIX:
        path = pattern.format(**references)
        for name, client in clients.items():
            if method == "GET":
                status = client.get(path).status_code
            else:
                status = client.post(path, data={"csrf_token": csrf_token(client, "/staff/")}).status_code
            let_through = status not in (403, 404)
            if let_through != (name in allowed):
                failures.append(f"{method} {path} as {name}: {status}")
    assert failures == []


def test_anonymous_visitors_are_sent_to_the_login_page(app, world):
    _, codes = world
    client = english_client(app)
    checked = 0
    for method, pattern, _roles in MATRIX:
        if method == "GET":
            response = client.get(pattern.format(**{name: reference_of(c) for name, c in codes.items()}))
            assert response.status_code == 302 and "/staff/login" in response.headers["Location"], pattern
            checked += 1
    assert checked == sum(method == "GET" for method, _path, _roles in MATRIX) > 0


SECRETS = ["Đỗ Minh Tuấn", "0987 654 321", "987654321", "+84987654321", "tuan.do@example.com", "7 Ngõ Trạm"]


def test_a_denouncers_identity_never_reaches_the_accused_agency(app, make_user, smtp_server):
    officer_id, head_id, intake_id = make_user("officer", "SXD"), make_user("agency_head", "SXD"), make_user("intake")
    resident = english_client(app)
    response = post_form(resident, kind="to_cao", category="xay_dung", full_name="Đỗ Minh Tuấn",
                         phone="0987 654 321", email="tuan.do@example.com", address="7 Ngõ Trạm, Hoàn Kiếm",
                         description="Tôi, Đỗ Minh Tuấn ở 7 Ngõ Trạm, tố cáo cán bộ phòng cấp phép đòi tiền.",
                         files=[("chu-viet-tay.jpg", photo_bytes())])
    assert response.status_code == 303
    with app.app_context():
        complaint = db.session.scalars(select(Complaint)).one()
        code = complaint.code
        sxd = db.session.scalars(select(Agency).where(Agency.code == "SXD")).one()
        ops.accept(complaint, db.session.get(User, intake_id), version=complaint.version, agency=sxd,
                   category=complaint.category, problem_type=complaint.problem_type,
                   redacted_title="Tố cáo cán bộ phòng cấp phép",
                   redacted_description="Một công dân tố cáo cán bộ phòng cấp phép đòi tiền.")
        ops.reply(complaint, db.session.get(User, officer_id), text="Chúng tôi đang xác minh.")
        db.session.commit()
        file_token = complaint.attachments[0].token
        staff_mail = [m.payload for m in queued_emails()
                      if m.payload["to"].endswith("@hanoi.gov.vn")]
    assert staff_mail  # the agency was told about the new case
    for user_id in (officer_id, head_id):
        client = signed_in(app, user_id)
        pages = [client.get(path) for path in ("/staff/", "/staff/cases", case_url(code),
                                               "/staff/cases?status=all", "/staff/triage", "/staff/follow-up")]
        assert pages[2].status_code == 200 and "Một công dân tố cáo" in pages[2].get_data(as_text=True)
        assert client.get(f"/staff/files/{file_token}").status_code == 404  # the handwriting stays with intake
        for page in pages:
            html = page.get_data(as_text=True)
            for secret in SECRETS:
                assert secret not in html, f"{secret} leaked on {page.request.path}"
    for mail in staff_mail:
        for secret in SECRETS:
            assert secret not in mail["text"] + mail["html"] + mail["subject"]


def test_intake_sees_the_identity_only_by_a_recorded_reveal(app, make_user, make_complaint):
    intake = make_user("intake")
    code = make_complaint(kind="to_cao")
    client = signed_in(app, intake)
    assert "Phạm Thị Hoa" not in client.get(case_url(code)).get_data(as_text=True)
    response = client.post(case_url(code, "reveal"), data={
        "reason": "Cần liên hệ người tố cáo để xác minh", "csrf_token": csrf_token(client, case_url(code))})
    assert "Phạm Thị Hoa" in response.get_data(as_text=True)
    with app.app_context():
        complaint = db.session.scalars(select(Complaint).where(Complaint.code == code)).one()
        assert complaint.events[-1].action == "identity_revealed"
    assert "Phạm Thị Hoa" not in client.get(case_url(code)).get_data(as_text=True)
