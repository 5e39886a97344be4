"""Removing a denouncer's identity from the text the agency sees: what the machine finds (every spelling), what it
leaves alone (money, dates, the place), the server's refusal in Vietnamese saying what is left while keeping what
intake typed, and who is offered to share a note."""
import re
import unicodedata
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from portal.cases.redaction import MARKER, identity_left, redact
from portal.complaints.models import Complaint
from portal.extensions import db
from tests.conftest import case_url, csrf_token, signed_in

FILER = SimpleNamespace(full_name="Trịnh Thị Quỳnh Dao", phone="+84936271845", email="quynhdao.trinh@example.com",
                        address="47 ngõ Trạm Hàng Bông, Hoàn Kiếm, Hà Nội", tax_code="", organisation="")


@pytest.mark.parametrize("written", [
    "Trịnh Thị Quỳnh Dao", "TRỊNH THỊ QUỲNH DAO", "trinh thi quynh dao", "Trinh  Thi\nQuynh-Dao", "chị Quỳnh Dao",
    unicodedata.normalize("NFD", "Trịnh Thị Quỳnh Dao"),
    "0936271845", "0936 271 845", "0936.271.845", "0936-271-845", "+84936271845", "+84 936 271 845",
    "(+84) 936.271.845", "84936271845", "0084936271845",
    "quynhdao.trinh@example.com", "QuynhDao.Trinh@Example.COM", "a.stranger@mail.vn",
    "số 47 Ngõ Trạm, Hàng Bông", "47 NGO TRAM HANG BONG",
    "CCCD 001190012345", "CCCD 001 190 012 345", "CMND 012345678", "MST: 0101234567-001",
])
def test_every_spelling_is_found_and_removed(written):
    text = f"Người gửi: {written}. Cán bộ đòi tiền."
    assert identity_left(text, FILER), written
    redacted = redact(text, FILER)
    assert MARKER in redacted and identity_left(redacted, FILER) == [] and redacted.endswith("Cán bộ đòi tiền.")


@pytest.mark.parametrize("text", [
    "Cán bộ đòi 500.000.000 đồng, rồi 500000000 đồng nữa.", "Ngày 29/11/2026 lúc 10:30, hồ sơ số HS-2026-0042.",
    "Việc xảy ra ở phường Hoàn Kiếm, Hà Nội.", "Ông Dao Văn Quỳnh, cán bộ địa chính, và chị Trịnh Lan.",
    "Quyết định số 47/QĐ-UBND.", "Gọi đường dây nóng 0243 825 3536.",
])
def test_what_does_not_identify_the_denouncer_stays(text):
    assert identity_left(text, FILER) == [] and redact(text, FILER) == text


def test_the_accused_official_keeps_a_name_the_denouncer_shares_in_part():
    filer = SimpleNamespace(full_name="Nguyễn Văn An", phone="", email="", address="", tax_code="", organisation="")
    text = "Tôi, Nguyễn Văn An, tố cáo ông Trần Văn An nhận tiền. Văn An ở phường tôi."
    official = "Ông Trần Văn An, cán bộ địa chính"
    assert redact(text, filer, official) == "Tôi, [đã che], tố cáo ông Trần Văn An nhận tiền. [đã che] ở phường tôi."
    assert identity_left("Ông TRAN VAN AN nhận tiền.", filer, official) == []


@pytest.mark.parametrize("written", ["HS-2026-778899", "hs 2026 778899", "HS.2026.778899"])
def test_the_filers_own_dossier_code_is_removed(written):
    """The dossier code leads to the filer's name in the agency's own records."""
    text = f"Cán bộ giữ hồ sơ {written} ba tháng."
    assert [str(item) for item in identity_left(text, FILER, dossier="HS-2026-778899")] == [
        "the code of the denouncer's own dossier"]
    assert redact(text, FILER, dossier="HS-2026-778899") == f"Cán bộ giữ hồ sơ {MARKER} ba tháng."
    assert identity_left(text, FILER) == []  # another case's dossier code is no identity


def test_the_refusal_names_each_kind_left():
    left = [str(item) for item in identity_left("Dao, 0936 271 845, CCCD 001190012345, Quỳnh Dao", FILER)]
    assert left == ["the denouncer's name", "the denouncer's phone number", "an identity card number (CCCD or CMND)"]


def accept_form(client, code, **fields):
    return {"csrf_token": csrf_token(client, case_url(code)), "version": version(code), "kind": "to_cao",
            "category": "xay_dung", "problem_type": "delay", "ward": "", "agency": "SXD", **fields}


def version(code):
    return str(db.session.scalars(select(Complaint.version).where(Complaint.code == code)).one())


def test_intake_is_refused_in_vietnamese_and_keeps_what_was_typed(app, make_user, make_complaint):
    code = make_complaint(kind="to_cao", title="Tố cáo cán bộ", description="Tôi là Phạm Thị Hoa, gọi 0912 345 678.")
    intake = signed_in(app, make_user("intake"))
    intake.get("/lang/vi")
    page = intake.get(case_url(code)).get_data(as_text=True)
    suggested = re.search(r'<textarea[^>]*name="redacted_description"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert suggested.strip() == "Tôi là [đã che], gọi [đã che]."
    with app.app_context():
        typed = "Người tố cáo (số 0912.345.678) cho biết cán bộ đòi tiền."
        response = intake.post(case_url(code, "accept"), data=accept_form(
            intake, code, redacted_title="Tố cáo cán bộ cấp phép", redacted_description=typed))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nội dung cơ quan xử lý sẽ thấy vẫn còn chứa số điện thoại của người tố cáo" in html
    assert typed in html  # nothing intake typed is lost
    with app.app_context():
        response = intake.post(case_url(code, "accept"), data=accept_form(
            intake, code, redacted_title="Tố cáo cán bộ cấp phép", redacted_description="Cán bộ đòi tiền."))
        assert response.status_code == 302


def test_a_forged_file_choice_on_accept_shares_nothing(app, make_user, make_complaint):
    """A share_file value that names no row (not a number, too large) is left out, not a server error."""
    code = make_complaint(kind="to_cao")
    intake = signed_in(app, make_user("intake"))
    with app.app_context():
        response = intake.post(case_url(code, "accept"), data=accept_form(
            intake, code, redacted_title="Tố cáo cán bộ", redacted_description="Cán bộ đòi tiền.",
            share_file=["abc", "99999999999999999999"]))
    assert response.status_code == 302


def test_only_those_who_may_reveal_are_offered_to_share_a_note(app, make_user, make_complaint):
    denunciation, report = make_complaint(kind="to_cao"), make_complaint()
    intake, inspector = signed_in(app, make_user("intake")), signed_in(app, make_user("inspector"))
    assert 'name="share_with_agency"' in intake.get(case_url(denunciation)).get_data(as_text=True)
    assert 'name="share_with_agency"' in inspector.get(case_url(denunciation)).get_data(as_text=True)
    assert 'name="share_with_agency"' not in intake.get(case_url(report)).get_data(as_text=True)
