"""Pages under real HTTP load: gunicorn (2 sync workers) serving the portal, wrk in another process.

On SQLite and on PostgreSQL, at each size of BENCH_HTTP_SIZES generated complaints (default 20,000 and 200,000),
and on PostgreSQL alone at each size of BENCH_HTTP_ALONE_SIZES (default 1,000,000: single-request timings only).
The data is generated once and cached like bench_search's (and indexed once with `flask search reindex`). Each
run works on a throw-away copy of the cached database and index, so filings made under load never change the
cached data. The outbox worker runs beside gunicorn, as in production: it indexes the filings and tries their
emails (no mail server listens, so each is retried later), writing to the same database while the pages are loaded.

wrk keeps 50 connections busy for BENCH_HTTP_SECONDS (default 10) per target. Every target is reached the way a
browser would: the filing POST carries the CSRF token and session cookie of a real GET of the form, the track
page is where that filing's redirects end, staff pages carry the cookie of a real sign-in, and the case page,
search page 2 and the pattern drill-down are links followed from the pages before them. Beside each figure: the
same server's floor (a trivial route, a small template page, or one row plus one outbox row written), from
benchmarks/floor_app.py. First every GET target is requested alone, one request at a time (ALONE_REPEAT times
after two warm-up requests; the median is reported), then each target is loaded; after its load, the resident
memory of each gunicorn worker is read from /proc. Before the next target starts, the server first answers the
requests wrk left queued when it stopped, and after a POST target the outbox worker first finishes the work
those filings queued (indexing, email attempts), so that each page's figure is its own and not the backlog of
the target before it. Errors are responses other than 2xx/3xx plus socket errors and timeouts.

benchmarks/report.py prints one table per database with the targets of issue 9 and the growth with the data, and
writes every figure to instance/bench/http-summary.json."""
import html
import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from sqlalchemy import create_engine, text

from benchmarks import report
from benchmarks.bench_filing import FORM
from benchmarks.common import ROOT
from benchmarks.data import PG_ADMIN, flask, indexed


def sizes(variable, default):
    return [int(size) for size in os.environ.get(variable, default).replace("_", "").split(",") if size.strip()]


SIZES = sizes("BENCH_HTTP_SIZES", "20000,200000")  # under load and alone, on both databases
ALONE_SIZES = sizes("BENCH_HTTP_ALONE_SIZES", "1000000")  # alone only, on PostgreSQL
DATABASES = os.environ.get("BENCH_HTTP_DATABASES", "SQLite,PostgreSQL").split(",")
ALONE_REPEAT = 7
SECONDS = int(os.environ.get("BENCH_HTTP_SECONDS", "10"))
CONNECTIONS = 50
GUNICORN_WORKERS = 2
WRK_THREADS = 2
WRK_TIMEOUT = "30s"  # a queue of 50 clients on 2 workers makes slow pages wait long; count them, do not drop them
SEARCH_QUERY = "hồ sơ"
STAFF_EMAIL = "http-bench@hanoi.gov.vn"
STAFF_ROLE = "home_affairs"
OFFICER_EMAIL = "http-bench-officer@hanoi.gov.vn"
PASSWORD = os.environ.get("PORTAL_PASSWORD", "benchmark password 2026")
LUA = Path(__file__).with_name("wrk_target.lua")
FLOOR = "/bench-floor"
CASE_LINK = re.compile(r'href="(/staff/cases/[^"/?#]+)"')
PAGE_TWO_LINK = re.compile(r'href="(/staff/search\?[^"]*page=2[^"]*)"')
GROUP_LINK = re.compile(r'href="(/staff/patterns/(?:official|procedure|agency|ward|category|problem_type)/[^"]+)"')
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')
EXCEPTION_ON = re.compile(r"ERROR in app: Exception on (.+)$")
EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit)\b.*")


@dataclass
class Target:
    name: str
    path: str
    floor: str = "small template page"
    goal: str = ""  # "resident" or "staff": the target for this page (benchmarks/report.py)
    method: str = "GET"
    body: str = ""
    cookie: str = ""


@dataclass
class Result:
    name: str
    method: str
    path: str
    floor: str
    goal: str
    requests_per_second: float | None = None  # None: not loaded (alone only)
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    errors: int = 0
    statuses: dict = field(default_factory=dict)
    socket_errors: dict = field(default_factory=dict)
    alone_ms: float | None = None  # median of ALONE_REPEAT requests one at a time (GET only)
    worker_rss_mib: list = field(default_factory=list)  # each gunicorn worker's, read after this target
    statuses_alone: dict = field(default_factory=dict)  # of the requests made one at a time, warm-up included


@dataclass
class Run:
    database: str
    complaints: int
    under_load: bool
    results: list
    load_average: float  # of the machine over the minute before the run: other work there slows every figure


def run():
    if shutil.which("wrk") is None:
        print("   skipped: the load generator wrk is not installed (Debian: apt-get install wrk)")
        return
    bench = ROOT / "instance" / "bench"
    bench.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PORTAL_PASSWORD", PASSWORD)
    runs = []
    for database in DATABASES:
        plan = [(count, True) for count in SIZES]
        plan += [(count, False) for count in ALONE_SIZES] if database == "PostgreSQL" else []
        for count, under_load in plan:
            try:
                source, index_dir = indexed(database, count, bench)
            except Exception as error:  # no PostgreSQL here: say so, do not hide it
                print(f"   {database} skipped: {error}")
                break
            load_average = os.getloadavg()[0]
            try:
                with run_copy(database, source, bench) as database_url:
                    results = measure(database, count, under_load, database_url, index_dir, bench)
            except (RuntimeError, OSError, subprocess.SubprocessError) as error:  # the other runs still count
                print(f"   {database} at {count:,} complaints failed: {error}")
                continue
            runs.append(Run(database, count, under_load, results, load_average))
    settings = {"seconds_per_target": SECONDS, "connections": CONNECTIONS, "gunicorn_workers": GUNICORN_WORKERS,
                "wrk_threads": WRK_THREADS, "alone_repeat": ALONE_REPEAT, "outbox_worker_running": True}
    report.print_tables(runs)
    report.write_json(bench / "http-summary.json", runs, settings)


# Data: a copy of the cached data for each run

@contextmanager
def run_copy(database, source, bench):
    """A copy of the cached database for one run, removed afterwards."""
    if database == "SQLite":
        path = bench / "http-run.db"
        path.unlink(missing_ok=True)
        with closing(sqlite3.connect(source.removeprefix("sqlite:///"))) as origin, \
                closing(sqlite3.connect(path)) as copy:
            origin.backup(copy)
        try:
            yield f"sqlite:///{path}"
        finally:
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
        return
    name = "portal_bench_http_run"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:  # FILE_COPY: copying a large database through the WAL takes minutes
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source.rsplit("/", 1)[1]}" '
                                "STRATEGY FILE_COPY"))
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# One database: serve, discover the targets, load each

def measure(database, count, under_load, database_url, index_dir, bench):
    env = {"DATABASE_URL": database_url, "SEARCH_INDEX_DIR": str(index_dir), "SECRET_KEY": "bench",
           "PORTAL_PASSWORD": PASSWORD}
    flask(env, "user", "create", "--email", STAFF_EMAIL, "--name", "HTTP bench", "--role", STAFF_ROLE)
    agency = busiest_agency(database_url)
    flask(env, "user", "create", "--email", OFFICER_EMAIL, "--name", "HTTP bench officer", "--role", "officer",
          "--agency", agency)
    log = bench / f"http-{database.lower()}-{count}-gunicorn.log"
    with tempfile.TemporaryDirectory(prefix="portal-http-bench-") as scratch:
        index_copy = Path(scratch) / "index"
        shutil.copytree(index_dir, index_copy, symlinks=True)
        env |= {"UPLOAD_DIR": str(Path(scratch) / "uploads"), "SEARCH_INDEX_DIR": str(index_copy)}
        with served(env, log) as server:
            targets = discover(server.base, agency)
            how = (f"gunicorn {GUNICORN_WORKERS} sync workers; wrk {WRK_THREADS} threads, {CONNECTIONS} connections, "
                   f"{SECONDS} s per target" if under_load else "one request at a time, no load")
            print(f"== HTTP on {database}, {count:,} complaints ({how}; outbox worker running; the agency "
                  f"officer is of {agency}, the agency with the most cases)")
            results = measure_targets(server, targets, under_load)
    for (route, exception), times in sorted(server_exceptions(log).items()):
        print(f"   server log: {times} x {route}: {exception}")
    return results


def busiest_agency(database_url):
    """The code of the agency with the most cases: its officer sees the longest agency case list."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(
                "SELECT agency.code FROM complaint JOIN agency ON agency.id = complaint.agency_id "
                "GROUP BY agency.code ORDER BY count(*) DESC, agency.code LIMIT 1")).scalar()
    finally:
        engine.dispose()


def measure_targets(server, targets, under_load):
    """Every target alone first, on a quiet server (the worker is not yet indexing filings made under load), then
    each under load (POST targets only then); the workers' memory after each target's last measurement."""
    measured = [(target, Result(name=target.name, method=target.method, path=target.path, floor=target.floor,
                                goal=target.goal)) for target in targets if under_load or target.method == "GET"]
    for target, result in measured:
        alone(server.port, target, result)
        if not under_load:
            finished(server, result)
    for target, result in measured if under_load else []:
        load(server.base, target, result)
        finished(server, result)
        if target.method == "POST":  # the worker indexes and mails what it filed before the next target starts
            wait_until_idle(server.worker)
    return [result for _, result in measured]


def finished(server, result):
    result.worker_rss_mib = workers_rss_mib(server.master)
    report.print_row(result)


@dataclass
class Server:
    base: str
    port: int
    master: int  # gunicorn's master process; its children are the workers
    worker: subprocess.Popen  # the outbox worker


@contextmanager
def served(env, log):
    """gunicorn on a free loopback port for as long as the block runs; its process group is stopped even on
    failure or Ctrl+C."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--workers", str(GUNICORN_WORKERS), "--worker-class", "sync",
               "--bind", f"127.0.0.1:{port}", "benchmarks.floor_app:create_floor_app()"]
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)  # so that `finally` runs when we are killed too
    try:
        with open(log, "w") as output:
            processes = [subprocess.Popen(line, cwd=ROOT, env={**os.environ, **env}, stdout=output,
                                          stderr=subprocess.STDOUT, start_new_session=True)
                         for line in (command, [sys.executable, "-m", "flask", "--app", "portal", "worker"])]
        try:
            wait_until_serving(processes[0], port, log)
            wait_until_idle(processes[1])
            yield Server(f"http://127.0.0.1:{port}", port, processes[0].pid, processes[1])
        finally:
            for process in processes:
                stop(process)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _exit_on_sigterm(signum, _frame):
    raise SystemExit(128 + signum)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(server, port, log, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start (exit {server.returncode}); see {log}")
        if status_of(port, "GET", f"{FLOOR}/trivial") == 200:
            return
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer within {seconds} s; see {log}")


def wait_until_idle(worker, quiet=3, seconds=900):
    """Wait until the outbox worker has done its first round (the scheduled jobs are all due when it starts: at
    200,000 complaints on SQLite they held the write lock long enough to fail a sign-in): until it has used less
    than a twentieth of a CPU second in each of `quiet` seconds in a row."""
    ticks = os.sysconf("SC_CLK_TCK")
    deadline, calm, before = time.monotonic() + seconds, 0, cpu_ticks(worker.pid)
    while calm < quiet and time.monotonic() < deadline and worker.poll() is None:
        time.sleep(1)
        now = cpu_ticks(worker.pid)
        calm, before = (calm + 1 if now - before < ticks / 20 else 0), now


def cpu_ticks(pid):
    """User plus system CPU time of a process so far, in clock ticks (/proc/<pid>/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def stop(server):
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def status_of(port, method, path, body="", cookie="", timeout=120):
    """The status of one request, redirects not followed (as wrk counts them), or the name of the error that
    ended it (a worker killed for taking longer than gunicorn's timeout closes the connection)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Cookie": cookie} if cookie else {}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body.encode() or None, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException) as error:
        return type(error).__name__
    finally:
        connection.close()


# Discovery: a resident and a staff member, through the real pages

class Browser:
    """Follows redirects and keeps cookies, like a browser, on one base URL."""

    def __init__(self, base):
        self.base, self.cookies = base, CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def open(self, path, form=None):
        data = urlencode(form).encode() if form is not None else None
        with self.opener.open(self.base + path, data=data, timeout=120) as response:
            final = urlsplit(response.geturl())
            return response.read().decode(), final.path + (f"?{final.query}" if final.query else "")

    def cookie(self):
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.cookies)


def csrf_token(page):
    return html.unescape(VALUE.search(CSRF_INPUT.search(page).group(0)).group(1))


def discover(base, agency):
    resident = Browser(base)
    form_page, _ = resident.open("/complaints/new")
    filing = {**FORM, "csrf_token": csrf_token(form_page)}
    filing_cookie = resident.cookie()
    _, track_path = resident.open("/complaints/new", filing)
    if not track_path.startswith("/track"):
        raise RuntimeError(f"the filing did not reach the track page (ended at {track_path})")
    staff, officer = signed_in(base, STAFF_EMAIL), signed_in(base, OFFICER_EMAIL)
    case_list, _ = staff.open("/staff/cases")
    patterns, _ = staff.open("/staff/patterns")
    search_one = f"/staff/search?{urlencode({'q': SEARCH_QUERY})}"
    cookie = staff.cookie()
    return [
        Target("floor: trivial route", f"{FLOOR}/trivial", floor="trivial route"),
        Target("floor: small template page", f"{FLOOR}/template", floor="trivial route"),
        Target("floor: insert row + outbox row", f"{FLOOR}/insert", floor="trivial route", method="POST",
               body="x=1"),
        Target("home", "/"),
        Target("filing form", "/complaints/new", goal="resident"),
        Target("filing POST", "/complaints/new", floor="insert row + outbox row", goal="resident", method="POST",
               body=urlencode(filing), cookie=filing_cookie),
        Target("track page", track_path, goal="resident", cookie=resident.cookie()),
        Target("transparency (city)", "/transparency/", goal="resident"),
        Target("published answers", "/transparency/answers", goal="resident"),
        Target("published answers search", f"/transparency/answers?{urlencode({'q': SEARCH_QUERY})}", goal="resident"),
        Target("open311 services", "/open311/v2/services.json", goal="resident"),
        Target("open311 service definition", "/open311/v2/services/dat_dai.xml", goal="resident"),
        Target("staff case list", "/staff/cases", goal="staff", cookie=cookie),
        Target("staff case list filtered", f"/staff/cases?{urlencode({'status': 'all', 'agency': agency})}",
               goal="staff", cookie=cookie),
        Target("case page", first_link(CASE_LINK, case_list, "/staff/cases"), goal="staff", cookie=cookie),
        Target("search p1", search_one, goal="staff", cookie=cookie),
        Target("search p2", page_two(staff, search_one), goal="staff", cookie=cookie),
        Target("patterns", "/staff/patterns", goal="staff", cookie=cookie),
        Target("pattern drill-down", first_link(GROUP_LINK, patterns, "/staff/patterns"), goal="staff",
               cookie=cookie),
        Target("follow-up (home_affairs)", "/staff/follow-up", goal="staff", cookie=cookie),
        Target("case list (agency officer)", "/staff/cases", goal="staff", cookie=officer.cookie()),
    ]


def signed_in(base, email):
    staff = Browser(base)
    login_page, _ = staff.open("/staff/login")
    _, after_login = staff.open("/staff/login", {"email": email, "password": PASSWORD,
                                                 "csrf_token": csrf_token(login_page)})
    if after_login.startswith("/staff/login"):
        raise RuntimeError(f"the benchmark's staff member {email} could not sign in")
    return staff


def first_link(pattern, page, where):
    match = pattern.search(page)
    if match is None:
        raise RuntimeError(f"no link to follow on {where}")
    return html.unescape(match.group(1))


def page_two(staff, search_one):
    """The 'next' link of search page 1; built by hand only when page 1 fails to show one (printed)."""
    try:
        page, _ = staff.open(search_one)
        return first_link(PAGE_TWO_LINK, page, search_one)
    except (urllib.error.HTTPError, RuntimeError) as error:
        print(f"   search page 2: no link followed from page 1 ({error}); using {search_one}&page=2")
        return f"{search_one}&page=2"


# Load and report

def alone(port, target, result):
    """Two warm-up requests (both workers usually see the target once), then ALONE_REPEAT requests one after
    another: their median time in ms (GET only) and every status into `result`."""
    samples = []
    for attempt in range(2 + (ALONE_REPEAT if target.method == "GET" else 0)):
        started = time.perf_counter()
        status = str(status_of(port, target.method, target.path, target.body, target.cookie))
        if attempt >= 2:
            samples.append((time.perf_counter() - started) * 1000)
        result.statuses_alone[status] = result.statuses_alone.get(status, 0) + 1
    result.alone_ms = statistics.median(samples) if samples else None


def load(base, target, result):
    """Keep CONNECTIONS connections on the target for SECONDS; the figures go into `result`."""
    env = {**os.environ, "WRK_METHOD": target.method, "WRK_BODY": target.body, "WRK_COOKIE": target.cookie,
           "WRK_CONTENT_TYPE": "application/x-www-form-urlencoded"}
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", WRK_TIMEOUT,
               "-s", str(LUA), base + target.path]
    output = subprocess.run(command, env=env, capture_output=True, text=True, timeout=SECONDS + 120, check=True)
    drain(int(urlsplit(base).port))
    figures = json.loads(next(line for line in output.stdout.splitlines()
                              if line.startswith("WRK_JSON ")).removeprefix("WRK_JSON "))
    result.socket_errors = {name: figures[name] for name in ("connect", "read", "write", "timeout") if figures[name]}
    result.requests_per_second = figures["requests"] / (figures["duration_us"] / 1e6)
    result.p50_ms, result.p95_ms, result.p99_ms = (figures[f"{p}_us"] / 1000 for p in ("p50", "p95", "p99"))
    result.errors = figures["non_2xx_3xx"] + sum(result.socket_errors.values())
    result.statuses = figures["statuses"]


def workers_rss_mib(master):
    """The resident memory of each of the master's child processes (the gunicorn workers), in MiB."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:  # the process ended meanwhile
            continue
        if int(fields["PPid"]) == master and "VmRSS" in fields:
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(sizes)


def drain(port):
    """Wait until the server has answered the requests wrk left queued when it stopped, so that they do not
    slow down the next target: one request queued behind them per worker."""
    for _ in range(GUNICORN_WORKERS):
        status_of(port, "GET", f"{FLOOR}/trivial")


def server_exceptions(log):
    """How often each route failed with each exception, from Flask's "Exception on <route>" log entries (the
    requests before the load included)."""
    counts, route, exception = {}, None, ""
    for line in log.read_text(errors="replace").splitlines() + ["[end] ERROR in app: Exception on end"]:
        if (header := EXCEPTION_ON.search(line)) is not None:
            if route is not None:
                counts[(route, exception)] = counts.get((route, exception), 0) + 1
            route, exception = header.group(1).split("?")[0], ""
        elif EXCEPTION_LINE.match(line):
            exception = line[:100]
    return counts
