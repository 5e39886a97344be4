"""Sessions that end when staff sign out, sign-in refusals that all cost the same, rate limits per resident behind
a reverse proxy, and the headers that keep personal pages out of caches."""
import re

import pytest
from argon2 import PasswordHasher
from flask_login.utils import encode_cookie
from sqlalchemy import select
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import create_app, trust_proxies
from portal.accounts.models import User
from portal.accounts.operations import disable_user, reset_token
from portal.complaints.models import Complaint
from portal.extensions import db, limiter
from tests.conftest import STAFF_PASSWORD, csrf_token, english_client, signed_in
from tests.helpers import photo_bytes, post_form

PROXY = "10.0.0.2"  # the reverse proxy's own address, as the app sees the connection
RESIDENT_A, RESIDENT_B = "203.0.113.5", "203.0.113.77"


def copy_of(app, browser):
    """Another browser holding a copy of `browser`'s session cookie (as a thief, or a shared computer, would)."""
    other = english_client(app)
    other.set_cookie("session", browser.get_cookie("session").value)
    return other


def refused(response):
    return response.status_code == 302 and "/staff/login" in response.headers["Location"]


def sign_out(browser):
    browser.post("/staff/logout", data={"csrf_token": csrf_token(browser, "/staff/")})


# 14. Signing out ends every copy of the session.

def test_a_copied_session_cookie_stops_working_at_sign_out(app, make_user):
    browser = signed_in(app, make_user("officer", "SXD"))
    copy = copy_of(app, browser)
    assert copy.get("/staff/").status_code == 200
    sign_out(browser)
    assert refused(copy.get("/staff/")) and refused(browser.get("/staff/"))


def test_sign_out_ends_the_sessions_on_every_device_and_a_new_sign_in_works(app, make_user):
    officer = make_user("officer", "SXD")
    phone, desk = signed_in(app, officer), signed_in(app, officer)
    stolen = copy_of(app, desk)
    sign_out(phone)
    assert refused(desk.get("/staff/")) and refused(stolen.get("/staff/"))
    again = signed_in(app, officer)
    assert again.get("/staff/").status_code == 200 and refused(stolen.get("/staff/"))


def test_a_password_change_ends_every_session(app, make_user):
    officer = make_user("officer", "SXD")
    copy = copy_of(app, signed_in(app, officer))
    with app.app_context():
        link = f"/staff/password/reset/{reset_token(db.session.get(User, officer))}"
    resetting = english_client(app)
    new_password = "mật khẩu mới đủ dài 2027"
    response = resetting.post(link, data={"password": new_password, "confirm": new_password,
                                          "csrf_token": csrf_token(resetting, link)})
    assert response.status_code == 302
    assert refused(copy.get("/staff/"))


def test_no_remember_me_cookie_is_given_and_one_made_with_the_key_ends_at_sign_out(app, make_user):
    officer = make_user("officer", "SXD")
    browser = signed_in(app, officer)
    assert browser.get_cookie("remember_token") is None
    with app.test_request_context():
        remembered = encode_cookie(db.session.get(User, officer).get_id())
    other = app.test_client()
    other.set_cookie("remember_token", remembered)
    assert other.get("/staff/").status_code == 200  # Flask-Login would accept it...
    sign_out(browser)
    other = app.test_client()
    other.set_cookie("remember_token", remembered)
    assert refused(other.get("/staff/"))  # ...until the account signs out


# 13. Every refused sign-in does the same work.

@pytest.fixture
def argon2_work(app, monkeypatch):
    """The argon2 operations (hash or verify, each about as slow) done since the last clear()."""
    from portal.accounts.passwords import check_against_nothing
    with app.app_context():
        check_against_nothing("")  # the stand-in hash is made once per process, before any counting
    work = []
    for operation in ("hash", "verify"):
        monkeypatch.setattr(PasswordHasher, operation, counted(operation, getattr(PasswordHasher, operation), work))
    return work


def counted(name, real, work):
    def operation(hasher, *args, **kwargs):
        work.append(name)
        return real(hasher, *args, **kwargs)
    return operation


def try_sign_in(app, email, password):
    client = english_client(app)
    response = client.post("/staff/login", data={"email": email, "password": password,
                                                 "csrf_token": csrf_token(client, "/staff/login")})
    errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>\s*([^<]+)', response.get_data(as_text=True))
    return response.status_code, errors


def test_unknown_existing_locked_and_disabled_accounts_cost_one_password_check_each(app, make_user,
                                                                                   argon2_work):
    with app.app_context():
        users = {role: db.session.get(User, make_user(role, "SXD")) for role in ("officer", "agency_head")}
        existing, locked = (users[role].email for role in ("officer", "agency_head"))
        disabled = db.session.get(User, make_user("intake"))
        disable_user(disabled)
        db.session.commit()
        disabled = disabled.email
    for _ in range(5):
        try_sign_in(app, locked, "wrong password!")
    tries = {"unknown": ("nobody@hanoi.gov.vn", STAFF_PASSWORD), "wrong password": (existing, "wrong password!"),
             "locked, right password": (locked, STAFF_PASSWORD), "locked, wrong": (locked, "wrong password!"),
             "disabled": (disabled, STAFF_PASSWORD)}
    answers, checks = {}, {}
    for case, (email, password) in tries.items():
        argon2_work.clear()
        answers[case] = try_sign_in(app, email, password)
        checks[case] = list(argon2_work)
    assert checks == dict.fromkeys(tries, ["verify"])
    assert len(set(map(str, answers.values()))) == 1, answers  # one status, one message
    status, [message] = answers["unknown"]
    assert status == 400 and "locked for 15 minutes" in message
    argon2_work.clear()
    assert try_sign_in(app, existing, STAFF_PASSWORD)[0] == 302 and argon2_work == ["verify"]


# 11. Rate limits count residents behind a reverse proxy, and only then believe forwarded addresses.

@pytest.fixture
def behind_proxy(app, monkeypatch):
    """The test app as create_app() builds it with one trusted proxy (TRUSTED_PROXIES=1)."""
    monkeypatch.setattr(app, "wsgi_app", app.wsgi_app)
    monkeypatch.setitem(app.config, "PROXY_FIX_X_FOR", 1)
    trust_proxies(app)
    return app


def resident(app, address):
    """A browser whose requests reach the app through the proxy, which names `address` as the client."""
    browser = english_client(app)
    browser.environ_base.update(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)
    return browser


def test_behind_a_proxy_each_resident_has_their_own_track_limit(behind_proxy, monkeypatch):
    monkeypatch.setitem(behind_proxy.config, "TRACK_RATE_LIMIT", "2 per minute")
    first, second = resident(behind_proxy, RESIDENT_A), resident(behind_proxy, RESIDENT_B)
    assert [first.get("/track").status_code for _ in range(3)] == [200, 200, 429]
    assert second.get("/track").status_code == 200


def test_behind_a_proxy_one_resident_filing_too_often_does_not_block_another(behind_proxy, monkeypatch):
    monkeypatch.setitem(behind_proxy.config, "SUBMISSION_RATE_LIMIT", "1 per minute")
    first, second = resident(behind_proxy, RESIDENT_A), resident(behind_proxy, RESIDENT_B)
    assert post_form(first).status_code == 303
    assert post_form(first).status_code == 429
    assert post_form(second).status_code == 303


def test_without_a_configured_proxy_a_forwarded_address_changes_nothing(app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACK_RATE_LIMIT", "2 per minute")
    monkeypatch.setitem(app.config, "SUBMISSION_RATE_LIMIT", "1 per minute")
    assert app.config["PROXY_FIX_X_FOR"] == 0
    first, spoofing = resident(app, RESIDENT_A), resident(app, RESIDENT_B)  # same connection, other header
    assert [first.get("/track").status_code for _ in range(2)] == [200, 200]
    assert spoofing.get("/track").status_code == 429
    assert post_form(first).status_code == 303 and post_form(spoofing).status_code == 429


@pytest.fixture
def spare_limiter():
    """Building another app rebinds the shared limiter; give it back to the test app afterwards."""
    saved = limiter._storage, limiter._limiter
    yield
    limiter._storage, limiter._limiter = saved


def test_the_number_of_trusted_proxies_is_a_setting(monkeypatch, spare_limiter):
    settings = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"}
    assert not isinstance(create_app(settings).wsgi_app, ProxyFix)  # default: no proxy, headers ignored
    monkeypatch.setenv("TRUSTED_PROXIES", "2")
    proxied = create_app(settings).wsgi_app
    assert isinstance(proxied, ProxyFix) and proxied.x_for == 2 and proxied.x_proto == 2


# 15. Personal pages are never cached; HSTS once cookies are HTTPS-only.

def test_staff_pages_are_not_stored_by_caches(app, make_user):
    browser = signed_in(app, make_user("intake"))
    for url in ("/staff/", "/staff/cases", "/staff/search?q=x", "/staff/login"):
        assert browser.get(url).headers["Cache-Control"] == "no-store", url


def test_a_followed_case_its_files_and_a_refilled_form_are_not_stored_by_caches(app, client):
    response = post_form(client, files=[("giay-hen.png", photo_bytes("PNG"))])
    opened = client.get(response.headers["Location"])
    with app.app_context():
        complaint = db.session.scalars(select(Complaint)).one()
        code, file_token = complaint.code, complaint.attachments[0].token
    pages = {"confirmation": opened, "by code": client.get(f"/track?code={code}"),
             "file": client.get(f"/attachments/{file_token}"), "form shown again": post_form(client, email="bad")}
    assert pages["file"].status_code == 200 and pages["form shown again"].status_code == 400
    for name, page in pages.items():
        assert page.headers["Cache-Control"] == "no-store", name


def test_public_pages_may_be_cached(client):
    for url in ("/", "/static/css/portal.css"):
        assert "no-store" not in client.get(url).headers.get("Cache-Control", ""), url


def test_hsts_only_when_cookies_are_https_only(app, client, monkeypatch):
    assert "Strict-Transport-Security" not in client.get("/").headers
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    assert client.get("/").headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
