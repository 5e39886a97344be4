"""Staff accounts: CLI, sign-in with lockout, sessions that expire, password reset by email, safe redirects."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.operations import create_user
from portal.accounts.passwords import check_password, hash_password
from portal.extensions import db
from portal.settings import DEFAULTS
from portal.timeutil import freeze, utcnow
from tests.conftest import csrf_token, english_client
from tests.helpers import queued_emails

PASSWORD = "một câu dài dễ nhớ 2026"


@pytest.fixture
def staff(app):
    with app.app_context():
        user = create_user("Lan.Tran@hanoi.gov.vn", "Trần Thị Lan", "officer", PASSWORD, "SXD")
        db.session.commit()
        return user.email


def sign_in(client, email, password=PASSWORD, next_url=""):
    token = csrf_token(client, "/staff/login")
    return client.post(f"/staff/login{next_url}", data={"email": email, "password": password,
                                                       "csrf_token": token})


def test_cli_creates_lists_and_disables_users(app, runner, monkeypatch):
    monkeypatch.setenv("PORTAL_PASSWORD", PASSWORD)
    result = runner.invoke(args=["user", "create", "--email", "head@sxd.hanoi.gov.vn", "--name", "Lê Văn Hùng",
                                 "--role", "agency_head", "--agency", "SXD"])
    assert result.exit_code == 0, result.output
    assert "head@sxd.hanoi.gov.vn" in runner.invoke(args=["user", "list"]).output
    assert runner.invoke(args=["user", "disable", "head@sxd.hanoi.gov.vn"]).exit_code == 0
    assert "disabled" in runner.invoke(args=["user", "list"]).output


def test_cli_refuses_an_officer_without_agency_and_a_short_password(app, runner, monkeypatch):
    monkeypatch.setenv("PORTAL_PASSWORD", PASSWORD)
    result = runner.invoke(args=["user", "create", "--email", "a@b.vn", "--name", "A", "--role", "officer"])
    assert result.exit_code != 0 and "needs an agency" in result.output
    monkeypatch.setenv("PORTAL_PASSWORD", "short")
    result = runner.invoke(args=["user", "create", "--email", "a@b.vn", "--name", "A", "--role", "intake"])
    assert result.exit_code != 0  # the message is in the default language, Vietnamese
    assert "ít nhất 12 ký tự" in result.output or "at least 12 characters" in result.output


def test_passwords_are_stored_as_argon2_hashes(app, staff):
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        assert user.password_hash.startswith("$argon2") and PASSWORD not in user.password_hash


def test_production_hashes_with_rfc_9106_parameters_and_still_reads_the_tests_cheap_hashes(app, staff, monkeypatch):
    """The tests hash at the cheapest cost; the portal itself at RFC 9106's low-memory profile (64 MiB, 3 passes,
    4 lanes). A hash names its own parameters, so a change of cost leaves earlier passwords valid."""
    monkeypatch.setitem(app.config, "PASSWORD_HASHING", DEFAULTS["PASSWORD_HASHING"])
    with app.app_context():
        stored = hash_password(PASSWORD)
        cheap = db.session.scalars(select(User.password_hash)).one()
        assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$") and not cheap.startswith(stored[:30])
        assert check_password(stored, PASSWORD) and not check_password(stored, PASSWORD + "!")
        assert check_password(cheap, PASSWORD)
    assert sign_in(english_client(app), "lan.tran@hanoi.gov.vn").status_code == 302


def test_sign_in_and_out(app, client, staff):
    response = sign_in(client, "lan.tran@hanoi.gov.vn")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/"
    assert "Trần Thị Lan" in client.get("/staff/").get_data(as_text=True)
    client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    assert client.get("/staff/").status_code == 302


def test_staff_pages_need_signing_in(client):
    response = client.get("/staff/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_five_failures_lock_the_account(app, client, staff):
    for _ in range(5):
        assert sign_in(client, staff, "wrong password!").status_code == 400
    response = sign_in(client, staff)  # the right password, but locked
    assert response.status_code == 400 and "locked for 15 minutes" in response.get_data(as_text=True)
    with freeze(utcnow() + timedelta(minutes=16)):
        assert sign_in(client, staff).status_code == 302


def test_a_disabled_account_cannot_sign_in(app, client, staff):
    with app.app_context():
        db.session.scalars(select(User)).one().active = False
        db.session.commit()
    assert sign_in(client, staff).status_code == 400


def test_next_only_leads_within_the_site(client, staff):
    assert sign_in(client, staff, next_url="?next=/staff/%3Fx%3D1").headers["Location"] == "/staff/?x=1"
    other = english_client(client.application)
    assert sign_in(other, staff, next_url="?next=https://evil.example/").headers["Location"] == "/staff/"


def test_sessions_end_after_an_idle_hour(client, staff):
    sign_in(client, staff)
    with freeze(utcnow() + timedelta(minutes=61)):
        response = client.get("/staff/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_password_reset_by_email(app, client, staff):
    token = csrf_token(client, "/staff/password/forgot")
    client.post("/staff/password/forgot", data={"email": staff, "csrf_token": token})
    client.post("/staff/password/forgot", data={"email": "nobody@x.vn", "csrf_token": token})
    with app.app_context():
        [message] = queued_emails()  # nothing for an unknown address
        link = re.search(r"http://portal.test(/staff/password/reset/\S+)", message.payload["text"]).group(1)
    new_password = "mật khẩu mới đủ dài 2027"
    form_token = csrf_token(client, link)
    response = client.post(link, data={"password": new_password, "confirm": new_password,
                                       "csrf_token": form_token})
    assert response.status_code == 302
    assert sign_in(client, staff, PASSWORD).status_code == 400
    assert sign_in(client, staff, new_password).status_code == 302
    assert client.get(link).status_code == 302  # used once, then dead
