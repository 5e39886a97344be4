"""Fixtures: one app per test session (per xdist worker) on a migrated database (SQLite, or PostgreSQL from
TEST_DATABASE_URL), a transaction per test rolled back after it, factories, a real SMTP server on loopback.

Tests marked `demo_data` get instead, as `app`, a copy for their module of the demo database generated once per
run (tests/demo_data.py)."""
import os
import re
import socket
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.directory.loader import load_directory
from portal.extensions import db, limiter

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("TEST_DATABASE_URL")
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1... when pytest-xdist spreads the run over cores

pytest_plugins = ["tests.demo_data"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def settings_for(work, database, **more):
    """The settings of an app the tests build: its own database, uploads and index under `work`, the cheapest
    password hashing (production's is tested once, in test_accounts.py)."""
    return {"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": database,
            "UPLOAD_DIR": str(work / "uploads"), "SEARCH_INDEX_DIR": str(work / "index"),
            "MAIL_SERVER": "127.0.0.1", "MAIL_DEFAULT_SENDER": "Cổng phản ánh <no-reply@portal.test>",
            "PUBLIC_URL": "http://portal.test", "RATELIMIT_STORAGE_URI": "memory://",
            "PASSWORD_HASHING": "CHEAPEST", **more}


def database_url(work, name):
    """The URL of a database of this worker's own called `name`: a file under `work`, or, on PostgreSQL, a
    sibling of TEST_DATABASE_URL's (not created here)."""
    if not POSTGRES:
        return f"sqlite:///{work / name}.db"
    return postgres_sibling(name, WORKER).render_as_string(hide_password=False)


def postgres_sibling(*suffixes):
    """TEST_DATABASE_URL with its database name extended by the non-empty `suffixes`."""
    url = make_url(POSTGRES).set(drivername="postgresql+psycopg")
    return url.set(database="_".join([url.database, *filter(None, suffixes)]))


def new_postgres(url, template=None):
    """Create the PostgreSQL database of `url` anew: empty, or a copy of the database named `template`."""
    drop_postgres(url)
    name = make_url(url).database
    _on_postgres_server(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def drop_postgres(url):
    _on_postgres_server(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def _on_postgres_server(statement):
    admin = create_engine(postgres_sibling().set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(statement))
    admin.dispose()


def migrated_app(work, name, **settings):
    """An app on a new, migrated database of its own holding the directory."""
    database = database_url(work, name)
    if POSTGRES:
        new_postgres(database)
    app = create_app(settings_for(work, database, **settings))
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        load_directory()
        db.session.commit()
    return app


@pytest.fixture(scope="session")
def smtp_port():
    return free_port()


@pytest.fixture(scope="session")
def session_app(smtp_port, tmp_path_factory):
    """The app most tests share, on a database that holds the directory and what each test adds (rolled back)."""
    app = migrated_app(tmp_path_factory.mktemp("portal"), "test", MAIL_PORT=smtp_port, MAIL_SUPPRESS_SEND=False)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(request, session_app):
    """The app of the test: the session's, or for a test marked `demo_data` its module's copy of the demo data
    (generated as of tests.demo_data.DEMO_NOW)."""
    if request.node.get_closest_marker("demo_data"):
        return request.getfixturevalue("demo_app")
    return session_app


@pytest.fixture(autouse=True)
def transaction(request, app):
    """Everything a test writes, through requests or directly, is rolled back after it."""
    with app.app_context():
        engines = db.engines
        engine = engines[None]
        connection = engine.connect()
        outer = connection.begin()
        engines[None] = connection  # every session of the app now works inside `outer`
        original = db.session
        db.session = db._make_scoped_session({"join_transaction_mode": "create_savepoint"})
    limiter.reset()
    _current_app[:] = [app]
    yield
    with app.app_context():
        db.session.remove()
        engines[None] = engine
    db.session = original
    outer.rollback()
    connection.close()


def english_client(app):
    """A browser that chose English: most assertions read the source (English) messages.
    Vietnamese pages, the default, are checked in test_i18n.py."""
    client = app.test_client()
    client.get("/lang/en")
    return client


@pytest.fixture
def client(app):
    return english_client(app)


@pytest.fixture
def fresh_index(app, tmp_path):
    """A search index directory of the test's own (the app, and its index setting, last the whole session)."""
    from portal.search import store
    previous = app.config["SEARCH_INDEX_DIR"]
    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "index")
    store.forget()
    yield tmp_path / "index"
    app.config["SEARCH_INDEX_DIR"] = previous
    store.forget()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Mailbox:
    """Collects what the SMTP server accepted."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


class SmtpServer:
    """A real SMTP server on the app's mail port; `stop()` takes it down, `start()` brings it back."""

    def __init__(self, port):
        self.port, self.handler, self.controller = port, Mailbox(), None

    @property
    def mailbox(self):
        return self.handler

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(smtp_port):
    server = SmtpServer(smtp_port)
    server.start()
    yield server
    server.stop()


_current_app = []  # the app of the running test, for helpers called without the fixture


def reference_of(code):
    """The staff reference of the case whose tracking code is `code`."""
    from portal.complaints.models import Complaint
    with _current_app[0].app_context():
        return db.session.scalars(select(Complaint.reference).where(Complaint.code == code)).one()


def case_url(code, action=""):
    """The staff page of the case with the tracking code `code` (staff URLs carry its reference), or one of its
    actions."""
    return f"/staff/cases/{reference_of(code)}" + (f"/{action}" if action else "")


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, url):
    """The token of the form on `url`, as a browser would have it."""
    return token_in(client.get(url))


def token_in(response):
    """The CSRF token of the form a response shows (a form re-shown after an error)."""
    return CSRF.search(response.get_data(as_text=True)).group(1)


def sign_in(app, client, user_id):
    """Sign `client` in as the staff member `user_id` through the real login form."""
    from portal.accounts.models import User
    with app.app_context():
        email = db.session.get(User, user_id).email
    response = client.post("/staff/login", data={"email": email, "password": STAFF_PASSWORD,
                                                  "csrf_token": csrf_token(client, "/staff/login")})
    assert response.status_code == 302, "sign-in failed"
    return client


def signed_in(app, user_id):
    """A new English-speaking browser signed in as `user_id`."""
    return sign_in(app, english_client(app), user_id)


@pytest.fixture
def app_client_pair(app):
    """Two browsers: the resident who files, and somebody else."""
    return app, english_client(app), english_client(app)


# Factories: they write through the domain operations, inside the test's transaction.

STAFF_PASSWORD = "một câu dài dễ nhớ 2026"


@pytest.fixture
def make_user(app):
    from portal.accounts.operations import create_user
    counter = iter(range(1, 10_000))

    def make(role, agency=None, name=None):
        with app.app_context():
            number = next(counter)
            user = create_user(f"{role}{number}@hanoi.gov.vn", name or f"{role.title()} {number}", role,
                               STAFF_PASSWORD, agency)
            db.session.commit()
            return user.id
    return make


@pytest.fixture
def make_complaint(app):
    from portal.complaints.operations import FilerDetails, Submission, file_complaint

    def make(kind="phan_anh", category="xay_dung", problem_type="delay", ward="", anonymous=False, **fields):
        filer = None if anonymous else FilerDetails(
            full_name="Phạm Thị Hoa", phone="+84912345678", email="hoa.pham@example.com",
            address="25 Hàng Bài, Hoàn Kiếm")
        submission = Submission(kind=kind, category=category, problem_type=problem_type, ward=ward,
                                title=fields.pop("title", "Chậm cấp giấy phép xây dựng"),
                                description=fields.pop("description", "Hồ sơ nộp đã ba tháng chưa có kết quả."),
                                filer=filer, **fields)
        with app.app_context():
            complaint = file_complaint(submission)
            db.session.commit()
            return complaint.code
    return make
