"""A denouncer's secret against an accused agency that holds a guess: the public tracking page confirms nothing,
the filer still gets in (signed link or one-time code), guesses are limited per case from any address, and the
agency's staff pages, search, exports and emails never carry the resident's tracking code nor a tố cáo's dossier
code."""
import io
import re
from datetime import timedelta
from email import message_from_bytes

from openpyxl import load_workbook
from sqlalchemy import select

from portal.accounts.models import User
from portal.cases import operations as ops
from portal.complaints.models import Complaint
from portal.directory.models import Agency
from portal.extensions import db
from portal.outbox.worker import run_once
from portal.timeutil import freeze, utcnow
from tests.conftest import case_url, csrf_token, english_client, reference_of, signed_in
from tests.helpers import delivered_emails, photo_bytes, post_form, queued_emails

CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+(")')
TITLE = "Tố cáo ông Trần Văn Khoa nhận tiền"
DOSSIER = "000.45.21.H26-260101-0042"


def without_csrf(response):
    return CSRF_VALUE.sub(r"\1\2", response.get_data(as_text=True))


def track(app, code, contact, address="127.0.0.1", browser=None):
    """POST /track from a fresh browser (or `browser`) at `address`."""
    browser = browser or english_client(app)
    return browser.post("/track", data={"code": code, "contact": contact, "csrf_token": csrf_token(browser, "/track")},
                        environ_base={"REMOTE_ADDR": address})


def one_time(browser, code, typed):
    return browser.post(f"/track/{code}/one-time", data={"one_time_code": typed,
                                                         "csrf_token": csrf_token(browser, "/track")})


def deliver(app):
    with app.app_context():
        run_once()


def one_time_codes(smtp_server):
    """The one-time codes in the emails the SMTP server received, oldest first."""
    found = []
    for envelope in smtp_server.mailbox.messages:
        for part in message_from_bytes(envelope.content).walk():
            if part.get_content_type() == "text/plain":
                found += re.findall(r"^\s+(\d{6})\s*$", part.get_payload(decode=True).decode(), re.M)
    return found


# The public tracking page

def test_a_guess_of_a_denouncers_contact_gets_the_same_answer_right_or_wrong(app, make_complaint):
    code = make_complaint(kind="to_cao", title=TITLE, dossier_code=DOSSIER)
    guesses = ["0912 345 678", "hoa.pham@example.com", "0987 654 321", "tuan.do@example.com"]  # two right, two wrong
    with app.app_context():
        before = len(queued_emails())
    answers = []
    for guess in guesses:
        browser = english_client(app)
        response = track(app, code, guess, browser=browser)
        answers.append((response.status_code, without_csrf(response)))
        page = browser.get(f"/track?code={code}").get_data(as_text=True)
        for private in (TITLE, DOSSIER, "History", "Your files"):
            assert private not in page and private not in answers[-1][1]
    assert answers[0][0] == 200
    assert all(answer == answers[0] for answer in answers), "a right guess is told apart from a wrong one"
    assert guesses[0] not in answers[0][1]  # the typed contact is not shown back
    with app.app_context():
        sent = [m.payload["to"] for m in queued_emails()[before:]]
    assert sent == ["hoa.pham@example.com"] * 2  # only the right guesses sent a code, only to the filer's own email


def test_the_one_time_code_opens_a_denunciation_once_and_not_after_it_expires(app, smtp_server):
    resident = english_client(app)
    response = post_form(resident, kind="to_cao", category="xay_dung", title=TITLE, full_name="Đỗ Minh Tuấn",
                         phone="0987 654 321", email="tuan.do@example.com", address="7 Ngõ Trạm, Hoàn Kiếm",
                         files=[("chu-viet-tay.jpg", photo_bytes())])
    assert response.status_code == 303
    confirmation = resident.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "a denunciation opens only with that link" in confirmation
    with app.app_context():
        complaint = db.session.scalars(select(Complaint)).one()
        code, file_token = complaint.code, complaint.attachments[0].token
    stranger = english_client(app)
    assert stranger.get(f"/attachments/{file_token}").status_code == 404

    filer = english_client(app)
    assert track(app, code, "tuan.do@example.com", browser=filer).status_code == 200
    assert filer.get(f"/attachments/{file_token}").status_code == 404  # asking opens nothing
    deliver(app)
    [sent] = one_time_codes(smtp_server)
    assert one_time(filer, code, "000000" if sent != "000000" else "111111").status_code == 400
    assert one_time(filer, code, sent[:3] + " " + sent[3:]).status_code == 303
    page = filer.get(f"/track?code={code}").get_data(as_text=True)
    assert TITLE in page and "chu-viet-tay.jpg" in page
    assert filer.get(f"/attachments/{file_token}").status_code == 200

    again = english_client(app)
    response = one_time(again, code, sent)
    assert response.status_code == 400 and "no longer valid" in response.get_data(as_text=True)
    assert TITLE not in again.get(f"/track?code={code}").get_data(as_text=True)

    late = english_client(app)
    track(app, code, "+84987654321", browser=late)
    deliver(app)
    newer = one_time_codes(smtp_server)[-1]
    with freeze(utcnow() + timedelta(minutes=16)):
        assert one_time(late, code, newer).status_code == 400
    assert TITLE not in late.get(f"/track?code={code}").get_data(as_text=True)


def test_failed_contact_checks_are_limited_per_case_from_any_address(app, make_complaint):
    code, other = make_complaint(), make_complaint()
    for number in range(5):
        assert track(app, code, f"09{number}8 765 432", address=f"10.0.{number}.1").status_code == 400
    response = track(app, code, "0912 345 678", address="10.9.9.9")  # even the right contact, from elsewhere
    assert response.status_code == 429
    assert "too many attempts to open this case" in response.get_data(as_text=True)
    assert track(app, other, "0912 345 678", address="10.0.0.1").status_code == 303  # other cases are not affected


def test_one_time_code_requests_are_limited_per_case(app, make_complaint):
    code = make_complaint(kind="to_cao")
    with app.app_context():
        before = len(queued_emails())
    statuses = [track(app, code, "0912 345 678", address=f"10.1.{n}.1").status_code for n in range(6)]
    assert statuses == [200] * 5 + [429]
    with app.app_context():
        assert len(queued_emails()) - before == 5


# The staff pages of the accused agency

def accept(app, code, intake_id, **redacted):
    with app.app_context():
        complaint = db.session.scalars(select(Complaint).where(Complaint.code == code)).one()
        ops.accept(complaint, db.session.get(User, intake_id), version=complaint.version,
                   agency=db.session.scalars(select(Agency).where(Agency.code == "SXD")).one(),
                   category=complaint.category, problem_type=complaint.problem_type, **redacted)
        db.session.commit()


def test_the_agency_never_sees_a_tracking_code_nor_a_denunciations_dossier_code(app, make_user, make_complaint,
                                                                                 fresh_index, smtp_server):
    intake, officer, head = make_user("intake"), make_user("officer", "SXD"), make_user("agency_head", "SXD")
    denunciation = make_complaint(kind="to_cao", title=TITLE, dossier_code=DOSSIER)
    report = make_complaint(title="Chậm cấp phép cho hồ sơ của tôi", dossier_code=DOSSIER)  # same filer, same dossier
    accept(app, denunciation, intake, redacted_title="Tố cáo cán bộ cấp phép",
           redacted_description="Cán bộ phòng cấp phép đòi tiền để giải quyết hồ sơ.")
    accept(app, report, intake)
    deliver(app)  # the index learns both
    secrets = (denunciation, report, DOSSIER)
    for user_id in (officer, head):
        client = signed_in(app, user_id)
        pages = {path: client.get(path) for path in (
            "/staff/", "/staff/cases", "/staff/cases?status=all", case_url(denunciation), case_url(report),
            "/staff/search", "/staff/search?q=cấp+phép", "/staff/search/export.csv")}
        assert pages[case_url(denunciation)].status_code == 200
        assert reference_of(denunciation) in pages["/staff/cases"].get_data(as_text=True)
        assert reference_of(denunciation) in pages["/staff/search"].get_data(as_text=True)
        for typed in (denunciation, report):  # a resident's code (a guess typed by the agency) finds nothing
            found = client.get(f"/staff/cases?status=all&code={typed}").get_data(as_text=True)
            assert reference_of(denunciation) not in found and reference_of(report) not in found
        found = client.get(f"/staff/search?q={DOSSIER}").get_data(as_text=True)
        assert reference_of(denunciation) not in found  # the dossier leads to the report, not the denunciation
        assert DOSSIER in pages[case_url(report)].get_data(as_text=True)  # a report's dossier is no secret...
        pages[case_url(report)] = None  # ...but is the same dossier, so only its tracking code is checked there
        for path, response in pages.items():
            html = client.get(path).get_data(as_text=True) if response is None else response.get_data(as_text=True)
            for secret in (report,) if response is None else secrets:
                assert secret not in html, f"{secret} shown on {path}"
        workbook = load_workbook(io.BytesIO(client.get("/staff/search/export.xlsx").data))
        cells = " ".join(str(cell.value) for row in workbook.active.iter_rows() for cell in row)
        assert reference_of(denunciation) in cells and not any(secret in cells for secret in secrets)
    staff_mail = [m for m in delivered_emails(smtp_server) if m["to"].endswith("@hanoi.gov.vn")]
    assert staff_mail
    for mail in staff_mail:
        assert not any(secret in mail["text"] + mail["html"] + mail["subject"] for secret in secrets)

    desk = signed_in(app, intake)
    html = desk.get(case_url(denunciation)).get_data(as_text=True)
    assert denunciation in html and DOSSIER in html  # intake may reveal identities: it sees both
    found = desk.get(f"/staff/cases?status=all&code={denunciation}").get_data(as_text=True)
    assert reference_of(denunciation) in found
