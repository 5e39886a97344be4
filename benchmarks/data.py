"""The benchmarks' generated data: `flask demo generate` run once per database and size, cached under
instance/bench/ (SQLite files, search indexes, markers) and in the PostgreSQL databases portal_bench_<n>, and kept
on the schema of the code being measured."""
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.exc import DatabaseError

from benchmarks.common import ROOT
from portal import create_app

BENCH_USER = "bench@hanoi.gov.vn"  # created once the data is complete
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def flask(env, *args, summary=None):
    """Run a portal command; returns the line of its output that starts with `summary` (e.g. its rate)."""
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "portal", *args], env={**os.environ, **env},
                          check=True, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    return next((line for line in done.stdout.splitlines() if summary and line.startswith(summary)), "")


def prepared(database_url, index_dir, marker, count):
    """Migrate, load the directory and generate `count` complaints once; later runs reuse them. The figures the
    worker keeps (where the code has them) are rebuilt whenever the schema moved since they were last built."""
    env = {"DATABASE_URL": database_url, "SEARCH_INDEX_DIR": str(index_dir), "SECRET_KEY": "bench",
           "PORTAL_PASSWORD": os.environ.get("PORTAL_PASSWORD", "benchmark password 2026")}
    if not marker.exists() and generated(database_url):  # by another checkout: PostgreSQL databases are shared
        marker.write_text("ready")
    if not marker.exists():  # nothing cached, or a generation that stopped half-way: start from an empty database
        emptied(database_url)
    flask(env, "db", "upgrade")  # cached data follows the schema of the code being measured
    if not marker.exists():
        print(f"   preparing {count} complaints in {database_url} (once; cached for later runs)")
        flask(env, "directory", "load")
        print(f"   {flask(env, 'demo', 'generate', str(count), summary='Done')}")
        flask(env, "user", "create", "--email", BENCH_USER, "--name", "Bench", "--role", "home_affairs")
        marker.write_text("ready")
    rebuild_figures(env, database_url, marker.with_suffix(".figures"))
    analysed(database_url)
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SEARCH_INDEX_DIR": str(index_dir),
                       "SECRET_KEY": "bench", "MAIL_SUPPRESS_SEND": True})


def analysed(database_url):
    """Planner statistics and PostgreSQL's visibility map, as autovacuum keeps them in production: a database
    measured right after a bulk load would plan with none (330 ms instead of 0.3 ms for a page of answers' replies)."""
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    finally:
        engine.dispose()


def generated(database_url):
    """Whether the database holds a finished generation: its bench user is created last."""
    if database_url.startswith("sqlite:///") and not Path(database_url.removeprefix("sqlite:///")).exists():
        return False
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT 1 FROM staff_user WHERE email = :email"),
                                      {"email": BENCH_USER}).first() is not None
    except DatabaseError:  # no such table yet
        return False
    finally:
        engine.dispose()


def emptied(database_url):
    """Remove the SQLite file, or drop and create the PostgreSQL database, that `database_url` names."""
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        return
    name = database_url.rsplit("/", 1)[1]
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:  # not WITH (FORCE): a generation still running elsewhere makes this fail
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def rebuild_figures(env, database_url, marker):
    """`flask figures rebuild` once per schema revision, when this version of the portal has that command."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    engine.dispose()  # no idle connection left behind: bench_http copies PostgreSQL databases as templates
    if (marker.read_text() if marker.exists() else None) == revision or not has_command(env, "figures", "rebuild"):
        return
    print(f"   rebuilding the figures of {database_url} (schema {revision})")
    flask(env, "figures", "rebuild")
    marker.write_text(revision)


def has_command(env, *command):
    shown = subprocess.run([sys.executable, "-m", "flask", "--app", "portal", *command, "--help"], cwd=ROOT,
                           env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return shown.returncode == 0


def postgres_url(count):
    name = f"portal_bench_{count}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def locations(database, count, bench):
    """Where the data of `count` complaints on `database` lives: its URL, its search index and its marker."""
    if database == "SQLite":
        return f"sqlite:///{bench / f'sqlite-{count}.db'}", bench / f"index-{count}", bench / f"sqlite-{count}.ready"
    return postgres_url(count), bench / f"index-pg-{count}", bench / f"pg-{count}.ready"


def indexed(database, count, bench):
    """The cached database URL and its search index, generated and indexed on first use."""
    url, index_dir, marker = locations(database, count, bench)
    prepared(url, index_dir, marker, count)
    done = bench / f"{index_dir.name}.http-indexed"
    if not done.exists() or done.stat().st_mtime < marker.stat().st_mtime:  # none yet, or older data
        print(f"   indexing {url} for search (once)")
        env = {"DATABASE_URL": url, "SEARCH_INDEX_DIR": str(index_dir), "SECRET_KEY": "bench"}
        print(f"   {flask(env, 'search', 'reindex', summary='Indexed')}")
        done.write_text("ready")
    return url, index_dir
