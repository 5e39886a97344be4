"""Search, similar complaints, patterns, reindexing and single-complaint index latency at scale.

The data set is BENCH_COMPLAINTS generated complaints (default 200,000; `flask demo generate`), cached between
runs under instance/bench/ (SQLite) and in the PostgreSQL database portal_bench_<n>. Every figure is printed
beside a baseline measured in the same run on the same data, and against the issue's target."""
import os
import random
import subprocess
import sys
import time
from datetime import timedelta

from sqlalchemy import create_engine, func, select, text

from benchmarks.common import ROOT, p95, timings
from portal import create_app
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.complaints.models import Complaint
from portal.extensions import db
from portal.patterns.clusters import clusters_since
from portal.patterns.groups import grouped, weekly_counts
from portal.timeutil import utcnow

COMPLAINTS = int(os.environ.get("BENCH_COMPLAINTS", "200000"))
QUERIES = ["dat dai", "giấy phép xây dựng", '"cap phep"', "chậm trễ hồ sơ", "cấp*", "đòi tiền", "dong da",
           "hộ kinh doanh", "thai do", "sổ đỏ quá hạn"]
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def flask(env, *args):
    subprocess.run([sys.executable, "-m", "flask", "--app", "portal", *args], env={**os.environ, **env},
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def prepared(database_url, index_dir, marker):
    """Migrate, load the directory and generate the complaints once; later runs reuse them."""
    env = {"DATABASE_URL": database_url, "SEARCH_INDEX_DIR": str(index_dir), "SECRET_KEY": "bench"}
    if not marker.exists():
        print(f"   preparing {COMPLAINTS} complaints in {database_url} (once; cached for later runs)")
        flask(env, "db", "upgrade")
        flask(env, "directory", "load")
        flask(env, "demo", "generate", str(COMPLAINTS))
        flask(env, "user", "create", "--email", "bench@hanoi.gov.vn", "--name", "Bench", "--role", "home_affairs")
        marker.write_text("ready")
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SEARCH_INDEX_DIR": str(index_dir),
                       "SECRET_KEY": "bench", "MAIL_SUPPRESS_SEND": True})


def postgres_url():
    name = f"portal_bench_{COMPLAINTS}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def line(name, value, unit, baseline, target=None):
    ratio = value / baseline if baseline else float("nan")
    goal = f"   target {target}" if target else ""
    print(f"   {name:<38} {value:10.2f} {unit:<12} {ratio:8.1f}x baseline{goal}")


def run():
    bench = ROOT / "instance" / "bench"
    bench.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PORTAL_PASSWORD", "benchmark password 2026")
    sqlite_app = prepared(f"sqlite:///{bench / f'sqlite-{COMPLAINTS}.db'}", bench / f"index-{COMPLAINTS}",
                          bench / f"sqlite-{COMPLAINTS}.ready")
    with sqlite_app.app_context():
        index_figures()
        pattern_figures("SQLite")
    try:
        pg_app = prepared(postgres_url(), bench / f"index-pg-{COMPLAINTS}", bench / f"pg-{COMPLAINTS}.ready")
    except Exception as error:  # no PostgreSQL here: say so, do not hide it
        print(f"   PostgreSQL skipped: {error}")
        return
    with pg_app.app_context():
        pattern_figures("PostgreSQL")


def lookup_baseline(ids):
    """A primary-key read of one complaint: the cheapest useful request."""
    return timings(lambda: db.session.get(Complaint, random.choice(ids)) and db.session.expunge_all(), 200)


def index_figures():
    from portal.search.indexer import reindex
    from portal.search.searching import search, similar

    user = db.session.scalars(select(User).where(User.role == Role.HOME_AFFAIRS.value)).first()
    ids = db.session.scalars(select(Complaint.id)).all()
    read_started = time.perf_counter()
    rows = sum(1 for _ in db.session.execute(select(Complaint.id, Complaint.title, Complaint.description)
                                             .execution_options(yield_per=5000)))
    read_rate = rows / (time.perf_counter() - read_started)
    started = time.perf_counter()
    count = reindex()
    rate = count / (time.perf_counter() - started)
    print(f"== search ({count} complaints indexed)")
    line("reindex rate", rate, "complaints/s", read_rate, ">= 1,500/s (baseline: reading the rows)")
    baseline = p95(lookup_baseline(ids)) * 1000
    line("baseline: complaint by id, p95", baseline, "ms", baseline)
    searches = timings(lambda: search(user, random.choice(QUERIES), page=1), 60)
    line("search p95", p95(searches) * 1000, "ms", baseline, "<= 100 ms")
    sample = [db.session.get(Complaint, i) for i in random.sample(ids, 100)]
    line("similar complaints p95", p95(timings(lambda: similar(random.choice(sample), user), 60)) * 1000, "ms",
         baseline, "<= 200 ms")
    line("single complaint: commit to searchable", single_latency(user) * 1000, "ms", baseline)


def single_latency(user):
    """File one complaint, run the worker once, and time until the search finds it."""
    from portal.complaints.operations import Submission, file_complaint
    from portal.outbox.worker import run_once
    from portal.search.searching import search

    marker = f"benchmarkmarker{random.randrange(10**9)}"
    started = time.perf_counter()
    file_complaint(Submission(kind="phan_anh", category="xay_dung", problem_type="delay",
                              title=f"Đo độ trễ {marker}", description=f"Phản ánh dùng để đo {marker} chỉ số."))
    db.session.commit()
    run_once()
    assert search(user, marker).total == 1
    return time.perf_counter() - started


def pattern_figures(database):
    user = db.session.scalars(select(User).where(User.role == Role.HOME_AFFAIRS.value)).first()
    now = utcnow()
    total = db.session.scalar(select(func.count()).select_from(Complaint))
    baseline = min(timings(lambda: db.session.scalar(select(func.count()).select_from(Complaint)), 5))

    def page():
        groups = grouped(user, "official", 90, now)
        weekly_counts(user, "official", [g.key for g in groups], 90, now)
        clusters_since(now - timedelta(days=90))

    print(f"== patterns on {database} ({total} complaints)")
    line("baseline: count(*) of complaints", baseline * 1000, "ms", baseline * 1000)
    line("patterns page queries (official, 90 d)", min(timings(page, 3)) * 1000, "ms", baseline * 1000, "<= 1 s")
