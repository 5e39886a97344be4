"""Following a case: the code alone shows status and dates; with the contact or a signed link, the public
history; never the filer's identity."""
import re

from sqlalchemy import select

from portal.complaints.models import Complaint
from portal.extensions import db
from portal.tracking_links import tracking_token
from tests.conftest import csrf_token
from tests.helpers import photo_bytes, post_form

IDENTITY = ["Nguyễn Văn An", "912 345 678", "+84912345678", "an.nguyen@example.com", "12 Phố Huế"]


def file_one(app, client, **fields):
    response = post_form(client, **fields)
    assert response.status_code == 303
    with app.app_context():
        return db.session.scalars(select(Complaint).order_by(Complaint.id.desc())).first().code


def lookup(client, code, contact=""):
    return client.post("/track", data={"code": code, "contact": contact,
                                       "csrf_token": csrf_token(client, "/track")}, follow_redirects=True)


def test_code_alone_shows_only_status_and_dates(app, app_client_pair):
    app, filing_client, stranger = app_client_pair
    code = file_one(app, filing_client, kind="to_cao", address="12 Phố Huế, Hà Nội")
    page = stranger.get(f"/track?code={code}").get_data(as_text=True)
    assert code in page and "To be accepted by" in page
    assert "Hồ sơ cấp sổ đỏ" not in page  # not even the subject
    for secret in IDENTITY:
        assert secret not in page


def test_code_and_phone_show_the_public_history(app, app_client_pair):
    app, filing_client, stranger = app_client_pair
    code = file_one(app, filing_client)
    page = lookup(stranger, code.lower(), "0912 345 678").get_data(as_text=True)
    assert "Hồ sơ cấp sổ đỏ quá hạn" in page
    assert re.search(r"Submission received|Đã nhận", page)


def test_a_wrong_contact_shows_no_details(app, app_client_pair):
    app, filing_client, stranger = app_client_pair
    code = file_one(app, filing_client)
    response = lookup(stranger, code, "0987 654 321")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Hồ sơ cấp sổ đỏ quá hạn" not in page


def test_a_denouncers_identity_never_shows_even_to_the_filer(app, app_client_pair):
    app, filing_client, stranger = app_client_pair
    file_one(app, filing_client, kind="to_cao", address="12 Phố Huế, Hà Nội")
    with app.app_context():  # the filer's own private link (code + contact opens no tố cáo)
        token = tracking_token(db.session.scalars(select(Complaint)).one())
    page = stranger.get(f"/track/{token}", follow_redirects=True).get_data(as_text=True)
    assert "Hồ sơ cấp sổ đỏ quá hạn" in page
    for secret in IDENTITY:
        assert secret not in page


def test_a_signed_link_opens_the_case_and_a_forged_one_does_not(app, app_client_pair):
    app, filing_client, stranger = app_client_pair
    file_one(app, filing_client)
    with app.app_context():
        token = tracking_token(db.session.scalars(select(Complaint)).one())
    page = stranger.get(f"/track/{token}", follow_redirects=True).get_data(as_text=True)
    assert "Hồ sơ cấp sổ đỏ quá hạn" in page
    other = app.test_client()
    forged = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]  # the last character keeps padding bits
    page = other.get(f"/track/{forged}", follow_redirects=True).get_data(as_text=True)
    assert "Hồ sơ cấp sổ đỏ quá hạn" not in page


def test_the_confirmation_shows_the_code_and_the_acceptance_deadline(app, client):
    response = post_form(client)
    page = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    with app.app_context():
        complaint = db.session.scalars(select(Complaint)).one()
        from portal.timeutil import to_local
        assert complaint.code in page
        assert to_local(complaint.accept_due_at).strftime("%d/%m/%Y %H:%M") in page


def test_attachments_only_for_those_who_may_see_the_case(app, app_client_pair):
    app, filing_client, stranger = app_client_pair
    response = post_form(filing_client, files=[("giay-hen.png", photo_bytes("PNG"))])
    filing_client.get(response.headers["Location"])  # the filer's own session is trusted
    with app.app_context():
        token = db.session.scalars(select(Complaint)).one().attachments[0].token
    assert filing_client.get(f"/attachments/{token}").status_code == 200
    assert stranger.get(f"/attachments/{token}").status_code == 404


def test_an_unknown_code_says_how_a_code_looks(client):
    response = client.get("/track?code=HN-2026-ZZZZZ")
    assert response.status_code == 400
    assert "HN-2026-7KQ4M" in response.get_data(as_text=True)
