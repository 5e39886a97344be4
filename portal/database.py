"""Engine settings per database: SQLite gets real transactions (savepoints), foreign keys, WAL and a busy
timeout so the web process, the worker and the command line can share one file.

On SQLite a transaction that will write begins as a writer (BEGIN IMMEDIATE). A plain (deferred) BEGIN reads
first and asks for the write lock only at its first write; if another connection committed in between, SQLite
answers "database is locked" at once, whatever the busy timeout, because the reader's snapshot is stale. Taking
the lock at BEGIN makes writers queue for it instead (up to BUSY_TIMEOUT_MS), the same choice as Django's
`transaction_mode="IMMEDIATE"`. Only requests that cannot change anything (GET, HEAD, OPTIONS) begin as readers,
so pages keep reading side by side while a writer works; code that writes must therefore run in a POST (or in
the worker, or a command), and keep its transaction short: slow work such as cleaning photos comes before it."""
import threading
from contextlib import contextmanager
from contextvars import ContextVar

from flask import has_request_context, request
from sqlalchemy import event

BUSY_TIMEOUT_MS = 30_000
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_reading = ContextVar("portal_read_only", default=False)
_WRITER = "portal_writer_lock"


def configure_engine(app):
    with app.app_context():
        from portal.extensions import db
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _sqlite_transactions(engine)


def begin_statement():
    """BEGIN for work that only reads, BEGIN IMMEDIATE for everything else (forms, worker, commands)."""
    if _reading.get() or (has_request_context() and request.method in READ_ONLY_METHODS):
        return "BEGIN"
    return "BEGIN IMMEDIATE"


@contextmanager
def read_only():
    """Run a block that only reads (the worker sending a message) in a transaction of its own that begins as a
    reader, so no writer waits while it talks to the mail server; the transaction ends with the block. Enter it
    with no transaction open; whatever the block wrote is rolled back."""
    from portal.extensions import db
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)
        db.session.rollback()


def _sqlite_transactions(engine):
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself (savepoints work)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    # This process's writers queue here and are woken in turn: SQLite's own busy handler polls with growing
    # sleeps, so under load a writer that has waited long keeps losing the lock to newcomers until it times out.
    writers = threading.Lock()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        statement = begin_statement()
        if statement == "BEGIN IMMEDIATE" and writers.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            connection.info[_WRITER] = writers
        try:
            connection.exec_driver_sql(statement)
        except Exception:
            _end(connection)
            raise

    event.listen(engine, "commit", _end)
    event.listen(engine, "rollback", _end)
    event.listen(engine.pool, "invalidate", lambda _dbapi, record, _error: _release(record.info))


def _end(connection):
    """The transaction is over: let the next writer of this process in."""
    _release(connection.info)


def _release(info):
    lock = info.pop(_WRITER, None)
    if lock is not None:
        lock.release()


def render_item(type_, obj, autogen_context):
    """Write portal column types as plain SQLAlchemy types in migrations, so migrations import nothing of ours."""
    from portal.timeutil import UTCDateTime
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
