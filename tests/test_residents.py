"""Residents' own accounts: signing in with an emailed code (once, before it expires, a few tries), the same
answer for every email, one's own complaints only (those filed before the account joined), withdrawing one not
yet accepted, downloading one's data, and the weekly digest instead of an email per update."""
import json
import re
from datetime import timedelta
from email import message_from_bytes

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.cases import operations as ops
from portal.complaints.models import Complaint
from portal.directory.models import Agency
from portal.extensions import db
from portal.figures.upkeep import refresh_figures
from portal.outbox.worker import run_once
from portal.residents.digest import send_weekly_digests
from portal.residents.models import ResidentSignInCode
from portal.residents.sessions import PENDING
from portal.residents.sign_in import forget_old_codes
from portal.timeutil import freeze, utcnow
from tests.conftest import case_url, csrf_token, english_client, reference_of, signed_in, token_in
from tests.helpers import post_form, queued_emails

HOA = "hoa.pham@example.com"  # the factory's filer
CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+(")')


def ask_code(browser, email):
    return browser.post("/account/sign-in", data={"email": email,
                                                  "csrf_token": csrf_token(browser, "/account/sign-in")})


def type_code(browser, code):
    return browser.post("/account/sign-in/code", data={"one_time_code": code,
                                                       "csrf_token": csrf_token(browser, "/account/sign-in")})


def codes_sent(app, smtp_server, email):
    """The sign-in codes the SMTP server received for `email`, oldest first (the outbox is delivered first)."""
    with app.app_context():
        run_once()
    found = []
    for envelope in smtp_server.mailbox.messages:
        if email not in envelope.rcpt_tos:
            continue
        for part in message_from_bytes(envelope.content).walk():
            if part.get_content_type() == "text/plain":
                found += re.findall(r"^\s+(\d{6})\s*$", part.get_payload(decode=True).decode(), re.M)
    return found


def signed_in_resident(app, smtp_server, email=HOA):
    browser = english_client(app)
    assert ask_code(browser, email).status_code == 303
    code = codes_sent(app, smtp_server, email)[-1]
    assert type_code(browser, code).headers["Location"].endswith("/account/")
    return browser


def wrong(code):
    return "000000" if code != "000000" else "111111"


def complaint_of(code):
    return db.session.scalars(select(Complaint).where(Complaint.code == code)).one()


def accept(app, code, intake):
    with app.app_context():
        complaint = complaint_of(code)
        ops.accept(complaint, db.session.get(User, intake), version=complaint.version,
                   agency=db.session.scalars(select(Agency).where(Agency.code == "SXD")).one(),
                   category=complaint.category, problem_type=complaint.problem_type)
        db.session.commit()


def staff_reply(app, code, officer, text):
    with app.app_context():
        ops.reply(complaint_of(code), db.session.get(User, officer), text=text)
        db.session.commit()


@pytest.fixture
def staff(make_user):
    return make_user("intake"), make_user("officer", "SXD")


# Signing in

def test_the_code_signs_in_once_and_cannot_be_reused(app, smtp_server, make_complaint):
    code = make_complaint()
    browser, other_tab = english_client(app), english_client(app)
    assert ask_code(browser, "  Hoa.Pham@Example.com ").status_code == 303
    with other_tab.session_transaction() as other:  # a second tab waiting for the same email's code
        other[PENDING] = HOA
    [sent] = codes_sent(app, smtp_server, HOA)
    assert type_code(browser, sent[:3] + " " + sent[3:]).status_code == 303
    assert code in browser.get("/account/").get_data(as_text=True)

    response = type_code(other_tab, sent)
    assert response.status_code == 400 and "no longer valid" in response.get_data(as_text=True)
    assert other_tab.get("/account/").status_code == 302  # still asked to sign in


def test_an_expired_code_is_refused(app, smtp_server):
    browser = english_client(app)
    ask_code(browser, HOA)
    [sent] = codes_sent(app, smtp_server, HOA)
    with freeze(utcnow() + timedelta(minutes=16)):
        response = type_code(browser, sent)
    assert response.status_code == 400 and "no longer valid" in response.get_data(as_text=True)
    assert browser.get("/account/").status_code == 302


def test_spent_codes_are_forgotten_a_day_after_they_expire(app):
    ask_code(english_client(app), HOA)
    with app.app_context():
        assert forget_old_codes() == 0
        assert forget_old_codes(utcnow() + timedelta(days=1, minutes=16)) == 1
        assert db.session.scalars(select(ResidentSignInCode)).all() == []


def test_wrong_codes_are_limited(app, smtp_server):
    browser = english_client(app)
    ask_code(browser, HOA)
    [sent] = codes_sent(app, smtp_server, HOA)
    for _ in range(5):
        assert type_code(browser, wrong(sent)).status_code == 400
    assert type_code(browser, sent).status_code == 400  # the code is spent by the wrong tries
    assert browser.get("/account/").status_code == 302


def test_code_requests_and_tries_are_limited_per_email_from_any_address(app):
    for n in range(8):
        browser = english_client(app)
        assert browser.post("/account/sign-in", environ_base={"REMOTE_ADDR": f"10.3.{n}.1"}, data={
            "email": HOA, "csrf_token": csrf_token(browser, "/account/sign-in")}).status_code == 303
    browser = english_client(app)
    response = ask_code(browser, HOA)
    assert response.status_code == 429 and "too many attempts" in response.get_data(as_text=True)
    assert ask_code(english_client(app), "someone.else@example.com").status_code == 303


def test_wrong_codes_count_against_the_email_across_codes(app, smtp_server):
    browser = english_client(app)
    for _ in range(2):  # two codes, three wrong tries each: with the two requests, the email's 8 tries an hour
        ask_code(browser, HOA)
        sent = codes_sent(app, smtp_server, HOA)[-1]
        for _ in range(3):
            assert type_code(browser, wrong(sent)).status_code == 400
    assert ask_code(english_client(app), HOA).status_code == 429
    assert type_code(browser, sent).status_code == 429  # even the right code, until the hour is over
    assert browser.get("/account/").status_code == 302


def without_csrf(response):
    return response.status_code, response.headers.get("Location"), CSRF_VALUE.sub(r"\1\2",
                                                                                  response.get_data(as_text=True))


def test_the_answer_is_the_same_for_a_denouncers_email_and_an_unknown_one(app, make_complaint):
    make_complaint(kind="to_cao")  # filed with HOA
    answers = []
    for email in (HOA, "nobody.at.all@example.com"):
        browser = english_client(app)
        answers.append([without_csrf(ask_code(browser, email)), without_csrf(browser.get("/account/sign-in/code"))])
    assert answers[0] == answers[1]
    assert answers[0][0][0] == 303 and answers[0][1][0] == 200
    assert HOA not in answers[0][1][2]
    with app.app_context():
        assert sorted(m.payload["to"] for m in queued_emails()[-2:]) == [HOA, "nobody.at.all@example.com"]


def test_an_invalid_email_is_told_politely_in_vietnamese(app):
    browser = app.test_client()  # Vietnamese, the default
    response = browser.post("/account/sign-in", data={"email": "hoa.pham@", "csrf_token": csrf_token(
        browser, "/account/sign-in")})
    assert response.status_code == 400
    assert "Địa chỉ email không hợp lệ" in response.get_data(as_text=True)


def test_account_pages_are_private_and_need_signing_in(client):
    response = client.get("/account/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/sign-in")
    assert client.get("/account/sign-in").headers["Cache-Control"] == "no-store"
    assert client.get("/account/data.json").status_code == 302


def test_signing_out_ends_the_session(app, smtp_server):
    browser = signed_in_resident(app, smtp_server)
    browser.post("/account/sign-out", data={"csrf_token": csrf_token(browser, "/account/")})
    assert browser.get("/account/").status_code == 302


# One's own complaints

def test_the_account_lists_exactly_the_emails_complaints_filed_before_it_existed(app, smtp_server, make_complaint):
    filer = english_client(app)
    assert post_form(filer, email="Tuan.Do@Example.com", title="Đường ngập sau mưa").status_code == 303
    assert post_form(filer, email="tuan.do@example.com", title="Hồ sơ đất chậm").status_code == 303
    make_complaint(title="Khiếu nại của người khác")  # filed with HOA
    browser = signed_in_resident(app, smtp_server, "tuan.do@example.com")
    page = browser.get("/account/").get_data(as_text=True)
    assert "Đường ngập sau mưa" in page and "Hồ sơ đất chậm" in page
    assert "Khiếu nại của người khác" not in page
    assert page.index("Hồ sơ đất chậm") < page.index("Đường ngập sau mưa")  # newest first


def test_a_case_opens_on_the_tracking_page_with_its_details(app, smtp_server, make_complaint):
    code = make_complaint(title="Chậm cấp phép xây nhà")
    browser = signed_in_resident(app, smtp_server)
    response = browser.get(f"/account/cases/{code}")
    assert response.status_code == 302
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Chậm cấp phép xây nhà" in page and "History" in page


def test_an_answer_is_rated_from_the_account_on_the_tracking_page(app, smtp_server, make_complaint, staff):
    code = make_complaint()
    accept(app, code, staff[0])
    with app.app_context():
        complaint = complaint_of(code)
        ops.answer(complaint, db.session.get(User, staff[1]), version=complaint.version, text="Đã cấp phép.",
                   resolved=False)
        db.session.commit()
    browser = signed_in_resident(app, smtp_server)
    assert "See the answer and rate it" in browser.get("/account/").get_data(as_text=True)
    page = browser.get(f"/account/cases/{code}", follow_redirects=True)
    rating = {aspect: "5" for aspect in ("access", "procedure", "conduct", "result", "handling")}
    response = browser.post(f"/track/{code}/rating", data={**rating, "csrf_token": token_in(page)})
    assert response.status_code == 303
    with app.app_context():
        assert complaint_of(code).status == "closed"


def test_another_residents_complaint_is_neither_opened_nor_withdrawn(app, smtp_server, make_complaint):
    code = make_complaint()  # HOA's
    browser = signed_in_resident(app, smtp_server, "tuan.do@example.com")
    assert browser.get(f"/account/cases/{code}").status_code == 404
    assert browser.get(f"/account/cases/{code}/withdraw").status_code == 404
    token = csrf_token(browser, "/account/")
    assert browser.post(f"/account/cases/{code}/withdraw", data={"csrf_token": token}).status_code == 404
    assert "Chậm cấp giấy phép" not in browser.get(f"/track?code={code}").get_data(as_text=True)
    with app.app_context():
        assert complaint_of(code).status == "received"


# Withdrawing

def test_a_complaint_not_yet_accepted_is_withdrawn(app, smtp_server, make_complaint, make_user):
    code = make_complaint()
    browser = signed_in_resident(app, smtp_server)
    assert "Withdraw" in browser.get("/account/").get_data(as_text=True)
    confirm = browser.get(f"/account/cases/{code}/withdraw")
    response = browser.post(f"/account/cases/{code}/withdraw", data={"csrf_token": token_in(confirm)},
                            follow_redirects=True)
    assert "has been withdrawn" in response.get_data(as_text=True)
    with app.app_context():
        complaint = complaint_of(code)
        assert complaint.status == "withdrawn" and complaint.current_due_at is None
        event = complaint.events[-1]
        assert (event.action, event.actor, event.public) == ("withdrawn", "resident", True)
    staff_page = signed_in(app, make_user("intake")).get(case_url(code)).get_data(as_text=True)
    assert "Withdrawn" in staff_page


def test_staff_lists_figures_and_reports_take_a_withdrawn_complaint_in_their_stride(app, smtp_server, make_complaint,
                                                                                     make_user):
    code = make_complaint()
    browser = signed_in_resident(app, smtp_server)
    browser.post(f"/account/cases/{code}/withdraw", data={"csrf_token": csrf_token(browser, "/account/")})
    with app.app_context():
        refresh_figures()
    staff = signed_in(app, make_user("home_affairs"))
    listed = staff.get("/staff/cases?status=withdrawn")
    assert listed.status_code == 200 and reference_of(code) in listed.get_data(as_text=True)
    for url in ("/staff/cases?status=all", "/staff/follow-up", "/staff/patterns", "/staff/reports"):
        assert staff.get(url).status_code == 200, url


def test_an_accepted_complaint_cannot_be_withdrawn(app, smtp_server, make_complaint, staff):
    code = make_complaint()
    accept(app, code, staff[0])
    browser = signed_in_resident(app, smtp_server)
    response = browser.post(f"/account/cases/{code}/withdraw", data={"csrf_token": csrf_token(browser, "/account/")},
                            follow_redirects=True)
    assert "can no longer be withdrawn" in response.get_data(as_text=True)
    with app.app_context():
        assert complaint_of(code).status == "assigned"


def test_a_case_others_were_merged_into_cannot_be_withdrawn(app, smtp_server, make_complaint, staff):
    """Withdrawing it would drop the other residents' complaints intake handles with it."""
    main = make_complaint(title="Đường Láng ngập")  # HOA's
    other = english_client(app)
    assert post_form(other, email="tuan.do@example.com", title="Đường Láng ngập nước").status_code == 303
    with app.app_context():
        duplicate = db.session.scalars(select(Complaint).order_by(Complaint.id.desc())).first()
        ops.merge(duplicate, complaint_of(main), db.session.get(User, staff[0]), version=duplicate.version)
        db.session.commit()
    browser = signed_in_resident(app, smtp_server)
    response = browser.post(f"/account/cases/{main}/withdraw", data={"csrf_token": csrf_token(browser, "/account/")},
                            follow_redirects=True)
    assert "can no longer be withdrawn" in response.get_data(as_text=True)
    with app.app_context():
        assert complaint_of(main).status == "received"


def test_signing_in_closes_the_cases_another_opened_in_the_same_browser(app, smtp_server, make_complaint):
    code = make_complaint(title="Chậm cấp phép xây nhà")  # HOA's
    browser = signed_in_resident(app, smtp_server)
    browser.get(f"/account/cases/{code}")
    assert "Chậm cấp phép xây nhà" in browser.get(f"/track?code={code}").get_data(as_text=True)
    token = csrf_token(browser, "/account/")  # somebody else signs in here, without signing out first
    assert browser.post("/account/sign-in", data={"email": "tuan.do@example.com", "csrf_token": token}
                        ).status_code == 303
    assert browser.post("/account/sign-in/code", data={
        "one_time_code": codes_sent(app, smtp_server, "tuan.do@example.com")[-1], "csrf_token": token}
                        ).status_code == 303
    assert "Chậm cấp phép xây nhà" not in browser.get(f"/track?code={code}").get_data(as_text=True)


# Downloading one's data

def test_the_download_holds_ones_own_data_and_no_internal_note(app, smtp_server, make_complaint, staff):
    code = make_complaint(title="Xin giấy phép quá hạn")
    other = english_client(app)
    post_form(other, email="tuan.do@example.com", title="Việc của người khác")
    accept(app, code, staff[0])
    staff_reply(app, code, staff[1], "Chúng tôi đang xử lý hồ sơ.")
    with app.app_context():
        ops.add_note(complaint_of(code), db.session.get(User, staff[1]), text="Ghi chú nội bộ: gọi lại sau")
        db.session.commit()
    response = signed_in_resident(app, smtp_server).get("/account/data.json")
    assert response.headers["Content-Disposition"].startswith("attachment")
    text = response.get_data(as_text=True)
    data = json.loads(text)
    [mine] = data["complaints"]
    assert mine["code"] == code and mine["title"] == "Xin giấy phép quá hạn"
    assert mine["filer"]["full_name"] == "Phạm Thị Hoa" and mine["filer"]["email"] == HOA
    assert any(event["note"] == "Chúng tôi đang xử lý hồ sơ." for event in mine["history"])
    assert "Ghi chú nội bộ" not in text and "Việc của người khác" not in text and "user:" not in text


# Notifications

def choose(browser, choice):
    return browser.post("/account/notifications", data={"choice": choice,
                                                         "csrf_token": csrf_token(browser, "/account/")})


def test_weekly_digest_holds_updates_and_sends_one_email_a_week(app, smtp_server, make_complaint, staff):
    code = make_complaint()
    accept(app, code, staff[0])
    browser = signed_in_resident(app, smtp_server)
    assert choose(browser, "weekly").status_code == 303
    with app.app_context():
        before = len(queued_emails())
    staff_reply(app, code, staff[1], "Đoàn kiểm tra sẽ đến vào thứ Hai.")
    staff_reply(app, code, staff[1], "Đã đến kiểm tra hiện trường.")
    with app.app_context():
        assert len(queued_emails()) == before  # nothing at once
        assert send_weekly_digests() == 0  # the week is not over
        assert send_weekly_digests(utcnow() + timedelta(days=7, minutes=1)) == 1
        [digest] = queued_emails()[before:]
        assert digest.payload["to"] == HOA
        assert "Đoàn kiểm tra sẽ đến" in digest.payload["text"] and "Đã đến kiểm tra" in digest.payload["text"]
        assert send_weekly_digests(utcnow() + timedelta(days=7, minutes=2)) == 0  # told once
        run_once()
    assert [m.rcpt_tos for m in smtp_server.mailbox.messages][-1] == [HOA]


def test_each_update_by_email_stays_the_default(app, smtp_server, make_complaint, staff):
    code = make_complaint()
    accept(app, code, staff[0])
    signed_in_resident(app, smtp_server)
    with app.app_context():
        before = len(queued_emails())
    staff_reply(app, code, staff[1], "Chúng tôi đã nhận hồ sơ.")
    with app.app_context():
        [update] = queued_emails()[before:]
        assert update.payload["to"] == HOA and "Chúng tôi đã nhận hồ sơ." in update.payload["text"]


def test_leaving_the_digest_sends_what_it_held(app, smtp_server, make_complaint, staff):
    code = make_complaint()
    accept(app, code, staff[0])
    browser = signed_in_resident(app, smtp_server)
    choose(browser, "weekly")
    staff_reply(app, code, staff[1], "Cần bổ sung giấy tờ.")
    with app.app_context():
        before = len(queued_emails())
    assert choose(browser, "each").status_code == 303
    with app.app_context():
        [digest] = queued_emails()[before:]
        assert "Cần bổ sung giấy tờ." in digest.payload["text"]


def test_an_unknown_notification_choice_is_refused_politely(app, smtp_server):
    browser = signed_in_resident(app, smtp_server)
    response = choose(browser, "hourly")
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)


def test_a_stranger_using_up_an_emails_tries_does_not_lock_its_resident_out(app, smtp_server):
    """The resident signed in from this browser before: its device cookie counts its tries apart (OWASP)."""
    own = english_client(app)
    ask_code(own, HOA)
    assert type_code(own, codes_sent(app, smtp_server, HOA)[-1]).status_code == 303
    assert own.get_cookie("resident_device", path="/account/") is not None
    own.post("/account/sign-out", data={"csrf_token": csrf_token(own, "/account/")})
    for n in range(8):  # a stranger, from many addresses, asks for codes for her email
        stranger = english_client(app)
        stranger.post("/account/sign-in", environ_base={"REMOTE_ADDR": f"10.4.{n}.1"}, data={
            "email": HOA, "csrf_token": csrf_token(stranger, "/account/sign-in")})
    assert ask_code(english_client(app), HOA).status_code == 429  # strangers are stopped...
    assert ask_code(own, HOA).status_code == 303  # ...the resident is not
    assert type_code(own, codes_sent(app, smtp_server, HOA)[-1]).status_code == 303
    assert own.get("/account/").status_code == 200  # signed in


def test_a_decoded_session_cookie_reveals_nothing(app):
    """Flask's cookie is only signed: decoded, it would show the email being signed in and the cases opened."""
    import base64
    import zlib
    browser = english_client(app)
    ask_code(browser, HOA)
    value = browser.get_cookie("session").value
    payload = value.split(".")[1] if value.startswith(".") else value.split(".")[0]
    data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    data = zlib.decompress(data) if value.startswith(".") else data
    assert b"hoa" not in data.lower() and b"resident_pending" not in data and b"{" not in data
    assert browser.get("/account/sign-in/code").status_code == 200  # the app still reads it
