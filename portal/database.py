"""Engine settings per database: SQLite gets real transactions (savepoints), foreign keys, WAL and a busy
timeout so the web process and the worker can share it."""
from sqlalchemy import event


def configure_engine(app):
    with app.app_context():
        from portal.extensions import db
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _sqlite_transactions(engine)


def _sqlite_transactions(engine):
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself (savepoints work)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN")


def render_item(type_, obj, autogen_context):
    """Write portal column types as plain SQLAlchemy types in migrations, so migrations import nothing of ours."""
    from portal.timeutil import UTCDateTime
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
