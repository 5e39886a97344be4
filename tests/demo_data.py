"""The demo data the tests read: generated once per run, copied for each module that reads it.

`flask demo generate` writes a complaint's whole life (filer, history, extensions, ratings), then the figures of
every day and the inspections: half a minute for a couple of thousand complaints, which the suite once spent
two dozen times. Now the first worker that needs it generates DEMO_COMPLAINTS complaints as of DEMO_NOW and builds
both search indexes (a worker that needs it meanwhile waits on a file lock in the run's temporary folder), and
each module whose tests are marked `demo_data` gets a copy of its own of the database, the uploads and the
indexes. Each test's writes are rolled back as everywhere; what a module's tests leave in its indexes or commit
outside the test's transaction stays in its copy.
"""
import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, datetime

import pytest
from filelock import FileLock
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db
from portal.timeutil import freeze
from tests.conftest import POSTGRES, WORKER, database_url, drop_postgres, migrated_app, new_postgres, settings_for

DEMO_NOW = datetime(2026, 3, 11, 3, 0, tzinfo=UTC)  # 10:00 in Hanoi on a Wednesday
DEMO_COMPLAINTS = 3_000  # the size every page is tried on by hand before a change lands
DEMO_SEED = 8


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """(folder, database URL) of the generated demo data."""
    run = tmp_path_factory.getbasetemp()
    run = run.parent if WORKER else run  # each xdist worker has a folder of its own in the run's
    folder, ready = run / "demo", run / "demo" / "database"
    with FileLock(str(run / "demo.lock")):
        if not ready.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            ready.write_text(generate(folder))
    return folder, ready.read_text()


def generate(folder):
    """Generate the demo data into `folder` (and a database of its own), indexed as the README tells an operator
    to; returns the database's URL."""
    app = migrated_app(folder, "demo")
    runner = app.test_cli_runner()
    with freeze(DEMO_NOW):
        for command in (["demo", "generate", str(DEMO_COMPLAINTS), "--seed", str(DEMO_SEED)], ["search", "reindex"]):
            result = runner.invoke(args=command)
            assert result.exit_code == 0, result.output
    with app.app_context():
        db.engine.dispose()  # a PostgreSQL template must have no connection left
    return app.config["SQLALCHEMY_DATABASE_URI"]


@pytest.fixture(scope="module")
def demo_app(request, demo_template, tmp_path_factory, smtp_port):
    """An app on this module's copy of the demo data."""
    template, template_database = demo_template
    work = tmp_path_factory.mktemp("demo")
    database = database_url(work, request.module.__name__.rpartition(".")[2])
    copy_database(template_database, database)
    for folder in ("index", "uploads"):
        if (template / folder).exists():
            shutil.copytree(template / folder, work / folder, symlinks=True)  # the index's `current` link
    app = create_app(settings_for(work, database, MAIL_PORT=smtp_port, MAIL_SUPPRESS_SEND=False))
    yield app
    with app.app_context():
        db.engine.dispose()
    if POSTGRES:
        drop_postgres(database)


def copy_database(source, target):
    """Copy the database at URL `source` to `target`: SQLite's online backup of the file, or on PostgreSQL a
    database created with the source as its template."""
    if POSTGRES:
        new_postgres(target, template=make_url(source).database)
        return
    with closing(sqlite3.connect(make_url(source).database)) as original, \
            closing(sqlite3.connect(make_url(target).database)) as copy:
        original.backup(copy)
