"""`make run`'s setup under load: one SQLite file shared by `flask run`, `flask worker` and `flask user create`,
each in its own process as the Makefile starts them, a real SMTP server, and many browsers at once (real HTTP).

Nothing may fail because another writer was busy: every sign-in and filing succeeds, every filing has its row
and no file without one, and every acknowledgment arrives exactly once, promptly."""
import io
import os
import random
import re
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from flask_migrate import upgrade
from PIL import Image

from portal import create_app
from portal.accounts.operations import create_user
from portal.directory.loader import load_directory
from portal.extensions import db
from tests.conftest import ROOT, STAFF_PASSWORD, SmtpServer, free_port
from tests.helpers import VALID

FLASK = [sys.executable, "-m", "flask", "--app",
         "portal:create_app({'RATELIMIT_ENABLED': False, 'WORKER_POLL_SECONDS': 0.2})"]
BROWSERS = 16
ROUNDS = 2  # each browser files this many complaints and signs in this many times
STAFF_EMAIL = "quantri@hanoi.gov.vn"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def transaction():
    """No shared test transaction here: the processes below write to their own database file."""
    yield


@pytest.fixture
def portal(tmp_path):
    """The database made as `make migrate` makes it, then the worker and the web server running on it."""
    smtp = SmtpServer(free_port())
    smtp.start()
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.db'}", "UPLOAD_DIR": str(tmp_path / "up"),
           "SEARCH_INDEX_DIR": str(tmp_path / "index"), "SECRET_KEY": "concurrency", "MAIL_SERVER": "127.0.0.1",
           "MAIL_PORT": str(smtp.port), "PUBLIC_URL": f"http://127.0.0.1:{port}", "PORTAL_PASSWORD": STAFF_PASSWORD,
           "FLASK_DEBUG": "0"}
    _migrate(env)
    logs = {name: open(tmp_path / f"{name}.log", "w+") for name in ("worker", "web")}
    processes = [subprocess.Popen(FLASK + ["worker"], env=env, cwd=ROOT, stdout=logs["worker"], stderr=STDOUT),
                 subprocess.Popen(FLASK + ["run", "--host", "127.0.0.1", "--port", str(port)], env=env, cwd=ROOT,
                                  stdout=logs["web"], stderr=STDOUT)]
    url = f"http://127.0.0.1:{port}"
    _wait_until_up(url)
    try:
        yield Portal(url, env, tmp_path, smtp.mailbox.messages, logs)
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)
        for log in logs.values():
            log.close()
        smtp.stop()


STDOUT = subprocess.STDOUT


class Portal:
    def __init__(self, url, env, folder, mails, logs):
        self.url, self.env, self.folder, self.mails, self.logs = url, env, folder, mails, logs

    def log(self, name):
        self.logs[name].flush()
        return (self.folder / f"{name}.log").read_text()

    def query(self, sql):
        with sqlite3.connect(self.folder / "portal.db", timeout=30) as connection:
            return connection.execute(sql).fetchall()


def _migrate(env):
    """`make migrate` and the first account, in this process (quicker than three interpreters)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": env["SECRET_KEY"]})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        load_directory()
        create_user(STAFF_EMAIL, "Quản trị viên", "admin", STAFF_PASSWORD, None)
        db.session.commit()
        db.engine.dispose()


def _user_create(email, role="admin"):
    return ["user", "create", "--email", email, "--name", "Quản trị viên", "--role", role]


def _wait_until_up(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers (perhaps "worker not seen yet")
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the web server did not start")


class Browser:
    """A browser with its own cookies that does not follow redirects (the test looks at each answer)."""

    def __init__(self, url):
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect)

    def get(self, path):
        return self._open(urllib.request.Request(self.url + path))

    def post(self, path, fields, files=()):
        boundary = uuid.uuid4().hex
        body = _multipart(boundary, fields, files)
        request = urllib.request.Request(self.url + path, data=body, method="POST",
                                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        return self._open(request)

    def token(self, path):
        status, page = self.get(path)
        assert status == 200, (path, status)
        return CSRF.search(page).group(1)

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _multipart(boundary, fields, files):
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, content in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="{name}"\r\n'
                     f"Content-Type: image/jpeg\r\n\r\n".encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


def _phone_photo(seed, megabytes):
    """A JPEG of noise about `megabytes` large, like a phone photo (noise does not compress)."""
    side = int((megabytes * 1024 * 1024 / 1.1) ** 0.5)
    noise = random.Random(seed).randbytes(side * side * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), noise).save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def _file(browser, number, photos):
    fields = {**VALID, "email": f"resident{number}@example.com", "title": f"Hồ sơ quá hạn số {number}",
              "csrf_token": browser.token("/complaints/new")}
    status, _page = browser.post("/complaints/new", fields, files=photos)
    return ("filing", status, 303)


def _sign_in(browser):
    token = browser.token("/staff/login")
    status, _page = browser.post("/staff/login", {"email": STAFF_EMAIL, "password": STAFF_PASSWORD,
                                                  "csrf_token": token})
    return ("sign-in", status, 302)


def _browse(portal, number, photos):
    """One resident-and-officer's work: filings (every other one with photos) and sign-ins, interleaved."""
    outcomes = []
    for round_ in range(ROUNDS):
        outcomes.append(_file(Browser(portal.url), number * ROUNDS + round_, photos if round_ % 2 == 0 else ()))
        outcomes.append(_sign_in(Browser(portal.url)))
    return outcomes


def _errors(log):
    """The last lines of each traceback in a server log."""
    return "\n".join(line for line in log.splitlines() if re.match(r"\w+(\.\w+)*(Error|Exception):", line))


def _wait_for_mail(portal, expected, seconds=30):
    deadline = time.monotonic() + seconds
    while len(portal.mails) < expected and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)  # a copy sent twice would arrive now


def test_make_run_setup_loses_nothing_under_concurrent_use(portal):
    photos = [("anh-1.jpg", _phone_photo(1, 1.5)), ("anh-2.jpg", _phone_photo(2, 2.5))]
    user_create = threading.Thread(target=lambda: results.append(subprocess.run(
        FLASK + _user_create("canbo@hanoi.gov.vn", role="intake"), env=portal.env, cwd=ROOT, capture_output=True,
        text=True)))
    results = []
    with ThreadPoolExecutor(BROWSERS) as pool:
        work = [pool.submit(_browse, portal, number, photos if number % 2 else ()) for number in range(BROWSERS)]
        user_create.start()
        outcomes = [outcome for future in work for outcome in future.result()]
    user_create.join()

    failures = Counter((what, status) for what, status, expected in outcomes if status != expected)
    assert not failures, (f"{sum(failures.values())} of {len(outcomes)} requests failed: {dict(failures)}\n"
                          + _errors(portal.log("web")))
    assert results[0].returncode == 0, results[0].stderr
    filings = BROWSERS * ROUNDS
    assert portal.query("SELECT count(*) FROM complaint") == [(filings,)]
    stored = {name for (name,) in portal.query("SELECT stored_name FROM attachment")}
    on_disk = {path.name for path in Path(portal.env["UPLOAD_DIR"]).rglob("*") if path.is_file()}
    assert on_disk == stored, f"{len(on_disk - stored)} file(s) without a row"
    assert len(stored) == len(photos) * (BROWSERS // 2) * ((ROUNDS + 1) // 2)

    _wait_for_mail(portal, filings)
    received = Counter(message_from_bytes(envelope.original_content)["Message-ID"] for envelope in portal.mails)
    recipients = Counter(tuple(envelope.rcpt_tos) for envelope in portal.mails)
    assert len(received) == filings and set(received.values()) == {1}, received.most_common(3)
    assert set(recipients.values()) == {1}
    assert portal.query("SELECT status, count(*) FROM outbox_message WHERE topic = 'email' GROUP BY status") == [
        ("done", filings)]
    assert "database is locked" not in portal.log("worker") + portal.log("web")


def test_a_filing_with_a_typo_is_answered_while_another_process_writes(tmp_path):
    """The form's lists and checks only read: a resident correcting a typo is answered at once even while the
    worker or a command holds SQLite's write lock (it would otherwise wait up to the 30 s busy timeout)."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'portal.db'}", "SECRET_KEY": "typo"}
    _migrate(env)
    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": "typo",
                      "UPLOAD_DIR": str(tmp_path / "up")})  # limits stay on: the limiter object is shared
    client = app.test_client()
    token = CSRF.search(client.get("/complaints/new").get_data(as_text=True)).group(1)
    writer = sqlite3.connect(tmp_path / "portal.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process is writing
    try:
        started = time.monotonic()
        response = client.post("/complaints/new", data={**VALID, "email": "not-an-email", "csrf_token": token})
        waited = time.monotonic() - started
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        with app.app_context():
            db.engine.dispose()
    assert response.status_code == 400 and VALID["description"] in response.get_data(as_text=True)
    assert waited < 5, f"waited {waited:.1f} s for the write lock"
