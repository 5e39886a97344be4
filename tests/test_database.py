"""SQLite shared by several writers: a transaction that will write begins as a writer, so one that read first
is not refused when another writer committed meanwhile (the "database is locked" of a plain BEGIN)."""
import threading

import pytest
from sqlalchemy import select

from portal import create_app
from portal.database import begin_statement, read_only
from portal.extensions import db
from portal.outbox.models import WorkerBeat


@pytest.fixture
def file_app(tmp_path):
    """An app on its own database file, outside the test transaction, as `make run` has it."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shared.db'}", "SECRET_KEY": "x"})
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("method, statement", [("GET", "BEGIN"), ("HEAD", "BEGIN"), ("POST", "BEGIN IMMEDIATE"),
                                               ("DELETE", "BEGIN IMMEDIATE")])
def test_only_requests_that_cannot_change_anything_begin_as_readers(app, method, statement):
    with app.test_request_context("/", method=method):
        assert begin_statement() == statement


def test_the_worker_and_commands_begin_as_writers_unless_they_only_read(app):
    with app.app_context():
        assert begin_statement() == "BEGIN IMMEDIATE"
        with read_only():
            assert begin_statement() == "BEGIN"


def test_a_post_that_reads_then_writes_is_not_refused_when_another_writer_committed_meanwhile(file_app):
    has_read, errors = threading.Event(), []

    def form_post():  # reads, then writes a moment later (a filing, a sign-in)
        with file_app.app_context(), file_app.test_request_context("/", method="POST"):
            try:
                db.session.scalars(select(WorkerBeat)).all()
                has_read.set()
                threading.Event().wait(0.3)
                db.session.add(WorkerBeat(name="web", last_error=""))
                db.session.commit()
            except Exception as error:  # noqa: BLE001 (reported below)
                errors.append(error)
                has_read.set()
    post = threading.Thread(target=form_post)
    post.start()
    has_read.wait(5)
    with file_app.app_context():  # the worker writes while the post is between its read and its write
        db.session.add(WorkerBeat(name="worker", last_error=""))
        db.session.commit()
    post.join()
    assert errors == []
    with file_app.app_context():
        assert sorted(db.session.scalars(select(WorkerBeat.name))) == ["web", "worker"]
