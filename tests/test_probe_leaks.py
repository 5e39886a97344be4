"""Leaks found by probing the accused agency's view beyond the crawl of test_accused_agency: what links a
denunciation to the same filer's named complaints (merges, filing times), texts that intake writes for the
agency besides the redacted text (shared notes, transfer reasons), and changes of kind at accept."""
import re

import pytest
from sqlalchemy import select

from portal.complaints.models import Complaint
from portal.extensions import db
from portal.outbox.worker import run_once
from tests.conftest import case_url, csrf_token, english_client, signed_in
from tests.helpers import post_form, queued_emails
from tests.test_accused_agency import (
    DOSSIER,
    EMAIL,
    NAME,
    PHONE,
    accept_as_intake,
    file_denunciation,
    form_on,
)

pytestmark = pytest.mark.usefixtures("fresh_index")


def file_named_phan_anh(app):
    """The same resident's phản ánh about the same dossier: its page shows her name to the agency."""
    resident = english_client(app)
    response = post_form(resident, kind="phan_anh", category="dat_dai", problem_type="delay",
                         title="Hồ sơ địa chính chậm", description="Hồ sơ của tôi chưa được giải quyết.",
                         full_name=NAME, phone=PHONE, email=EMAIL, address="47 ngõ Trạm", dossier_code=DOSSIER)
    assert response.status_code == 303
    with app.app_context():
        return db.session.scalars(select(Complaint).order_by(Complaint.id.desc())).first().code


def accept_plain(intake, code):
    fields = form_on(intake.get(case_url(code)), "/accept")
    fields.update({"agency": ["SNNMT"]})
    assert intake.post(case_url(code, "accept"), data=fields).status_code == 302


def merge(intake, code, into_code):
    form = form_on(intake.get(case_url(code)), "/merge")
    form.update({"into": [reference(into_code)]})
    return intake.post(case_url(code, "merge"), data=form)


def reference(code):
    return case_url(code).rsplit("/", 1)[1]


def setup_pair(app, make_user):
    intake = signed_in(app, make_user("intake"))
    officer = make_user("officer", "SNNMT")
    denunciation, pdf = file_denunciation(app)
    assert accept_as_intake(intake, denunciation, pdf).status_code == 302
    named = file_named_phan_anh(app)
    accept_plain(intake, named)
    return intake, signed_in(app, officer), denunciation, named


def merged_directly(app, code, into_code):
    """A merge made before intake's merge refused mixed kinds (the data may still hold such pairs)."""
    with app.app_context():
        rows = {c.code: c for c in db.session.scalars(select(Complaint).where(Complaint.code.in_([code, into_code])))}
        rows[code].merged_into, rows[code].status = rows[into_code], "merged"
        db.session.commit()


def test_intake_cannot_merge_a_denunciation_with_a_named_complaint(app, make_user):
    intake, officer, denunciation, named = setup_pair(app, make_user)
    for code, into in ((named, denunciation), (denunciation, named)):
        refused = merge(intake, code, into)
        assert refused.status_code == 400 and "only with another denunciation" in refused.get_data(as_text=True)
    with app.app_context():
        assert {c.status for c in db.session.scalars(select(Complaint))} == {"assigned"}


def test_a_named_complaint_merged_into_a_denunciation_does_not_link_to_it_for_the_agency(app, make_user):
    intake, officer, denunciation, named = setup_pair(app, make_user)
    merged_directly(app, named, denunciation)
    page = officer.get(case_url(named)).get_data(as_text=True)
    assert NAME in page  # the phản ánh names its filer to the agency, as it should
    assert reference(denunciation) not in page  # but must not point at her denunciation


def test_a_denunciation_merged_into_a_named_complaint_does_not_link_to_it_for_the_agency(app, make_user):
    intake, officer, denunciation, named = setup_pair(app, make_user)
    merged_directly(app, denunciation, named)
    page = officer.get(case_url(denunciation)).get_data(as_text=True)
    assert reference(named) not in page


def accepted_denunciation(app, make_user):
    intake = signed_in(app, make_user("intake"))
    officer = signed_in(app, make_user("officer", "SNNMT"))
    denunciation, pdf = file_denunciation(app)
    assert accept_as_intake(intake, denunciation, pdf).status_code == 302
    return intake, officer, denunciation


def test_a_note_intake_shares_with_the_agency_may_not_name_the_denouncer(app, make_user):
    intake, officer, denunciation = accepted_denunciation(app, make_user)
    text = f"Chị {NAME} ({PHONE}) bổ sung: cán bộ nhận tiền tại trụ sở."
    form = {"text": text, "share_with_agency": "y", "csrf_token": csrf_token(intake, case_url(denunciation))}
    refused = intake.post(case_url(denunciation, "note"), data=form)
    assert refused.status_code == 400 and "phone number" in refused.get_data(as_text=True)
    assert text in refused.get_data(as_text=True)  # what intake typed is shown again
    assert NAME not in officer.get(case_url(denunciation)).get_data(as_text=True)
    kept = intake.post(case_url(denunciation, "note"), data=form | {"share_with_agency": ""})
    assert kept.status_code == 302  # kept confidential, the same note is fine


def test_a_transfer_reason_may_not_name_the_denouncer(app, make_user):
    intake, officer, denunciation = accepted_denunciation(app, make_user)
    form = form_on(intake.get(case_url(denunciation)), "/transfer")
    form.update({"agency": ["SXD"], "reason": [f"Theo đề nghị của người tố cáo {NAME}, email {EMAIL}."]})
    refused = intake.post(case_url(denunciation, "transfer"), data=form)
    assert refused.status_code == 400 and "name" in refused.get_data(as_text=True)
    form.update({"reason": ["Nội dung thuộc thẩm quyền Sở Xây dựng."]})
    assert intake.post(case_url(denunciation, "transfer"), data=form).status_code == 302


def test_the_agencys_own_notes_are_not_checked_against_the_identity(app, make_user):
    """A refusal of the officer's note naming a suspect would confirm the guess: only notes by those who know
    the denouncer are checked."""
    intake, officer, denunciation = accepted_denunciation(app, make_user)
    for guess in (f"Có thể là chị {NAME}, {PHONE}", "Có thể là anh Nguyễn Văn Bình, 0912 000 111"):
        form = {"text": guess, "csrf_token": csrf_token(officer, case_url(denunciation))}
        assert officer.post(case_url(denunciation, "note"), data=form).status_code == 302


def test_a_phan_anh_made_a_denunciation_at_accept_is_not_found_by_what_it_said_as_filed(app, make_user):
    intake, officer, _ = accepted_denunciation(app, make_user)
    resident = english_client(app)
    assert post_form(resident, kind="phan_anh", category="dat_dai", problem_type="bribe_request",
                     title=f"Cán bộ địa chính đòi tiền — {NAME}", description=f"Tôi là {NAME}, gọi {PHONE}.",
                     full_name=NAME, phone=PHONE, email=EMAIL, dossier_code=DOSSIER).status_code == 303
    with app.app_context():
        code = db.session.scalars(select(Complaint).order_by(Complaint.id.desc())).first().code
        run_once()  # indexed as filed, a phản ánh
    fields = form_on(intake.get(case_url(code)), "/accept")
    fields.update({"agency": ["SNNMT"], "kind": ["to_cao"], "redacted_title": ["Cán bộ địa chính đòi tiền"],
                   "redacted_description": ["Cán bộ địa chính phường đòi tiền."]})
    assert intake.post(case_url(code, "accept"), data=fields).status_code == 302
    with app.app_context():
        run_once()
    page = officer.get(case_url(code)).get_data(as_text=True)
    assert NAME not in page and DOSSIER not in page
    for query in (NAME, "0936271845", DOSSIER, "Quỳnh Dao"):
        found = officer.get("/staff/search", query_string={"q": query}).get_data(as_text=True)
        assert reference(code) not in found, query
    found = officer.get("/staff/search", query_string={"q": "địa chính"}).get_data(as_text=True)
    assert reference(code) in found and NAME not in found


def test_intake_cannot_take_a_denunciations_protection_away_by_changing_its_kind(app, make_user):
    """The filer chose a tố cáo, and with it the secrecy of her name: a change of kind at accept (by mistake or
    not) would hand it to the agency she accused."""
    intake = signed_in(app, make_user("intake"))
    officer = signed_in(app, make_user("officer", "SNNMT"))
    denunciation, pdf = file_denunciation(app)
    refused = accept_as_intake(intake, denunciation, pdf, kind=["phan_anh"])
    assert refused.status_code == 400 and "stays a denunciation" in refused.get_data(as_text=True)
    assert officer.get(case_url(denunciation)).status_code == 404  # not accepted, so not the agency's yet
    assert accept_as_intake(intake, denunciation, pdf).status_code == 302
    assert NAME not in officer.get(case_url(denunciation)).get_data(as_text=True)


def received_on(page):
    return re.search(r"Received on</dt><dd[^>]*>([^<]+)<", page).group(1)


def test_the_agency_cannot_pair_a_denunciation_with_a_named_complaint_by_filing_time(app, make_user):
    intake, officer, denunciation, named = setup_pair(app, make_user)
    seen = received_on(officer.get(case_url(denunciation)).get_data(as_text=True))
    assert received_on(officer.get(case_url(named)).get_data(as_text=True)) != seen
    assert ":" not in seen  # the date, without the time of day
    history = officer.get(case_url(denunciation)).get_data(as_text=True).split('id="history-heading"')[1]
    filed = re.search(r'<span class="deadline">([^<]+)</span> — <strong>[^<]*</strong>', history).group(1)
    assert filed == seen  # the filing event in the history too
    with app.app_context():
        run_once()  # indexed
    found = officer.get("/staff/search", query_string={"q": "50 triệu"}).get_data(as_text=True)
    exported = officer.get("/staff/search/export.csv", query_string={"q": "50 triệu"}).get_data(as_text=True)
    for listing in (found, exported):  # search results and the export: the date only
        assert reference(denunciation) in listing and seen in listing
        assert not re.search(re.escape(seen) + r"\s+\d\d:\d\d", listing)
    intake_view = received_on(intake.get(case_url(denunciation)).get_data(as_text=True))
    assert intake_view.startswith(seen) and ":" in intake_view  # intake, who may know the denouncer, sees the time


@pytest.mark.parametrize("field, text", [
    ("procedure_name", f"Cấp giấy chứng nhận cho hộ bà {NAME}"),
    ("official_position", f"Cán bộ tiếp nhận hồ sơ của {NAME}, ĐT {PHONE}"),
])
def test_the_details_a_denouncer_types_besides_the_text_do_not_name_her(app, make_user, field, text):
    """The procedure and the official's position are typed by the denouncer like the text, and shown to the
    agency beside it."""
    intake = signed_in(app, make_user("intake"))
    officer = signed_in(app, make_user("officer", "SNNMT"))
    resident = english_client(app)
    assert post_form(resident, kind="to_cao", category="dat_dai", problem_type="bribe_request",
                     title="Cán bộ đòi tiền", description="Cán bộ địa chính phường đòi tiền mới nhận hồ sơ.",
                     full_name=NAME, phone=PHONE, email=EMAIL, official_name="Lê Văn Bảo",
                     **{field: text}).status_code == 303
    with app.app_context():
        code = db.session.scalars(select(Complaint).order_by(Complaint.id.desc())).first().code
    assert accept_plain_denunciation(intake, code).status_code == 302
    with app.app_context():
        run_once()  # indexed
    page = officer.get(case_url(code)).get_data(as_text=True)
    assert NAME not in page and "0936" not in page and "[đã che]" in page and "Lê Văn Bảo" in page
    for query in (NAME, "Quỳnh Dao", "0936271845"):
        assert reference(code) not in officer.get("/staff/search", query_string={"q": query}).get_data(as_text=True)
    assert reference(code) in officer.get("/staff/search", query_string={"q": "Lê Văn Bảo"}).get_data(as_text=True)
    if field == "procedure_name":  # the procedure filter cannot confirm an exact guess either
        guessed = officer.get("/staff/search", query_string={"q": "", "procedure": text}).get_data(as_text=True)
        assert reference(code) not in guessed


def accept_plain_denunciation(intake, code):
    fields = form_on(intake.get(case_url(code)), "/accept")
    fields.update({"agency": ["SNNMT"]})
    return intake.post(case_url(code, "accept"), data=fields)


def test_the_agencys_download_does_not_tell_when_the_denouncer_uploaded_the_file(app, make_user):
    """Last-Modified and the ETag (made from the file's mtime) of a shared file give the upload time to the second."""
    intake, officer, denunciation = accepted_denunciation(app, make_user)
    link = re.search(r'href="(/staff/files/[^"]+)"', officer.get(case_url(denunciation)).get_data(as_text=True))
    response = officer.get(link.group(1))
    assert response.status_code == 200
    assert "Last-Modified" not in response.headers and "ETag" not in response.headers


def test_a_bait_submission_merged_into_a_denunciation_does_not_receive_its_code(app, make_user):
    intake, officer, denunciation = accepted_denunciation(app, make_user)
    resident = english_client(app)
    filed = post_form(resident, kind="to_cao", category="dat_dai", problem_type="bribe_request",
                      title="Cán bộ địa chính đòi tiền", description="Cán bộ địa chính phường đòi tiền.",
                      full_name="Lê Văn Bảo", phone="0912 000 111", email="bao.le@example.com")
    assert filed.status_code == 303
    resident.get(filed.headers["Location"])  # the private link opens the bait on /track in this browser
    with app.app_context():
        bait = db.session.scalars(select(Complaint).order_by(Complaint.id.desc())).first().code
    assert merge(intake, bait, denunciation).status_code == 302
    with app.app_context():
        told = [m.payload for m in queued_emails() if m.payload["to"] == "bao.le@example.com"]
    assert told and not any(denunciation in m["subject"] + m["text"] + m["html"] for m in told)
    page = resident.get(f"/track?code={bait}").get_data(as_text=True)
    assert "Cán bộ địa chính đòi tiền" in page and denunciation not in page  # the filer's own page, no main code
