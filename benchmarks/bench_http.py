"""Pages under real HTTP load: gunicorn (2 sync workers) serving the portal, wrk in another process.

On SQLite and on PostgreSQL, with BENCH_HTTP_COMPLAINTS generated complaints (default 20,000; generated once and
cached like bench_search's data, and indexed once with `flask search reindex`). Each run works on a throw-away
copy of the cached database and index, so filings made under load never change the cached data. The outbox
worker runs beside gunicorn, as in production: it indexes the filings and tries their emails (no mail server
listens, so each is retried later), writing to the same database while the pages are loaded.

wrk keeps 50 connections busy for BENCH_HTTP_SECONDS (default 10) per target. Every target is reached the way a
browser would: the filing POST carries the CSRF token and session cookie of a real GET of the form, the track
page is where that filing's redirects end, staff pages carry the cookie of a real sign-in, and the case page and
search page 2 are links followed from the pages before them. Beside each figure: the same server's floor
(a trivial route, a small template page, or one row plus one outbox row written), from benchmarks/floor_app.py.
Before the next target starts, the server first answers the requests wrk left queued when it stopped.
Errors are responses other than 2xx/3xx plus socket errors and timeouts. A JSON copy of each table is written to
instance/bench/http-<database>-<n>.json."""
import html
import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from sqlalchemy import create_engine, text

from benchmarks.bench_filing import FORM
from benchmarks.bench_search import PG_ADMIN, flask, postgres_url, prepared
from benchmarks.common import ROOT

COMPLAINTS = int(os.environ.get("BENCH_HTTP_COMPLAINTS", "20000"))
SECONDS = int(os.environ.get("BENCH_HTTP_SECONDS", "10"))
CONNECTIONS = 50
GUNICORN_WORKERS = 2
WRK_THREADS = 2
WRK_TIMEOUT = "30s"  # a queue of 50 clients on 2 workers makes slow pages wait long; count them, do not drop them
SEARCH_QUERY = "hồ sơ"
STAFF_EMAIL = "http-bench@hanoi.gov.vn"
STAFF_ROLE = "home_affairs"
PASSWORD = os.environ.get("PORTAL_PASSWORD", "benchmark password 2026")
LUA = Path(__file__).with_name("wrk_target.lua")
FLOOR = "/bench-floor"
CASE_LINK = re.compile(r'href="(/staff/cases/[^"/?#]+)"')
PAGE_TWO_LINK = re.compile(r'href="(/staff/search\?[^"]*page=2[^"]*)"')
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')
EXCEPTION_ON = re.compile(r"ERROR in app: Exception on (.+)$")
EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit)\b.*")


@dataclass
class Target:
    name: str
    path: str
    floor: str = "small template page"
    method: str = "GET"
    body: str = ""
    cookie: str = ""


@dataclass
class Result:
    name: str
    method: str
    path: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    statuses: dict
    socket_errors: dict
    floor: str
    floor_ratio: float = 0.0
    before_load: dict = field(default_factory=dict)


def run():
    if shutil.which("wrk") is None:
        print("   skipped: the load generator wrk is not installed (Debian: apt-get install wrk)")
        return
    bench = ROOT / "instance" / "bench"
    bench.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PORTAL_PASSWORD", PASSWORD)
    for database in ("SQLite", "PostgreSQL"):
        try:
            source, index_dir = cached_data(database, bench)
        except Exception as error:  # no PostgreSQL here: say so, do not hide it
            print(f"   {database} skipped: {error}")
            continue
        with run_copy(database, source, bench) as database_url:
            results = measure(database, database_url, index_dir, bench)
        write_json(bench / f"http-{database.lower()}-{COMPLAINTS}.json", database, results)


# Data: bench_search's cache, indexed once, copied for each run

def cached_data(database, bench):
    """The cached database URL and its search index, generated and indexed on first use."""
    if database == "SQLite":
        url, index_dir, marker = (f"sqlite:///{bench / f'sqlite-{COMPLAINTS}.db'}", bench / f"index-{COMPLAINTS}",
                                  bench / f"sqlite-{COMPLAINTS}.ready")
    else:
        url, index_dir, marker = (postgres_url(COMPLAINTS), bench / f"index-pg-{COMPLAINTS}",
                                  bench / f"pg-{COMPLAINTS}.ready")
    prepared(url, index_dir, marker, count=COMPLAINTS)
    indexed = bench / f"{index_dir.name}.http-indexed"
    if not indexed.exists():
        print(f"   indexing {url} for search (once)")
        flask({"DATABASE_URL": url, "SEARCH_INDEX_DIR": str(index_dir), "SECRET_KEY": "bench"}, "search", "reindex")
        indexed.write_text("ready")
    return url, index_dir


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
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source.rsplit("/", 1)[1]}"'))
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# One database: serve, discover the targets, load each

def measure(database, database_url, index_dir, bench):
    env = {"DATABASE_URL": database_url, "SEARCH_INDEX_DIR": str(index_dir), "SECRET_KEY": "bench",
           "PORTAL_PASSWORD": PASSWORD}
    flask(env, "user", "create", "--email", STAFF_EMAIL, "--name", "HTTP bench", "--role", STAFF_ROLE)
    log = bench / f"http-{database.lower()}-gunicorn.log"
    with tempfile.TemporaryDirectory(prefix="portal-http-bench-") as scratch:
        index_copy = Path(scratch) / "index"
        shutil.copytree(index_dir, index_copy, symlinks=True)
        env |= {"UPLOAD_DIR": str(Path(scratch) / "uploads"), "SEARCH_INDEX_DIR": str(index_copy)}
        results = measure_served(database, env, log)
    for (route, exception), count in sorted(server_exceptions(log).items()):
        print(f"   server log: {count} x {route}: {exception}")
    return results


def measure_served(database, env, log):
    with served(env, log) as base:
        targets = discover(base)
        print(f"== HTTP load on {database} ({COMPLAINTS} complaints; gunicorn {GUNICORN_WORKERS} sync workers; "
              f"wrk {WRK_THREADS} threads, {CONNECTIONS} connections, {SECONDS} s per target; "
              "outbox worker running)")
        print(f"   {'target':<34} {'req/s':>8} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7}   slower than floor")
        results, floors = [], {}
        for target in targets:  # the floors come first
            result = load(base, target)
            if result.name.startswith("floor: "):
                floors[result.name.removeprefix("floor: ")] = result.requests_per_second
            result.floor_ratio = floors[result.floor] / result.requests_per_second if result.requests_per_second \
                else float("inf")  # how many times slower than its floor: the floor's requests/s over its own
            print_row(result)
            results.append(result)
    return results


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
            yield f"http://127.0.0.1:{port}"
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
        try:
            if status_of(port, "GET", f"{FLOOR}/trivial") == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer within {seconds} s; see {log}")


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
    """The status of one request, redirects not followed (as wrk counts them)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Cookie": cookie} if cookie else {}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body.encode() or None, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
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


def discover(base):
    resident = Browser(base)
    form_page, _ = resident.open("/complaints/new")
    filing = {**FORM, "csrf_token": csrf_token(form_page)}
    filing_cookie = resident.cookie()
    _, track_path = resident.open("/complaints/new", filing)
    if not track_path.startswith("/track"):
        raise RuntimeError(f"the filing did not reach the track page (ended at {track_path})")
    staff = Browser(base)
    login_page, _ = staff.open("/staff/login")
    _, after_login = staff.open("/staff/login", {"email": STAFF_EMAIL, "password": PASSWORD,
                                                 "csrf_token": csrf_token(login_page)})
    if after_login.startswith("/staff/login"):
        raise RuntimeError("the benchmark's staff member could not sign in")
    staff_cookie = staff.cookie()
    case_list, _ = staff.open("/staff/cases")
    search_one = f"/staff/search?{urlencode({'q': SEARCH_QUERY})}"
    return [
        Target("floor: trivial route", f"{FLOOR}/trivial", floor="trivial route"),
        Target("floor: small template page", f"{FLOOR}/template", floor="trivial route"),
        Target("floor: insert row + outbox row", f"{FLOOR}/insert", floor="trivial route", method="POST",
               body="x=1"),
        Target("GET / (home)", "/"),
        Target("GET /complaints/new", "/complaints/new"),
        Target("POST /complaints/new (file)", "/complaints/new", floor="insert row + outbox row", method="POST",
               body=urlencode(filing), cookie=filing_cookie),
        Target("GET track page (filer)", track_path, cookie=resident.cookie()),
        Target("GET /staff/cases", "/staff/cases", cookie=staff_cookie),
        Target("GET case page", first_link(CASE_LINK, case_list, "/staff/cases"), cookie=staff_cookie),
        Target("GET /staff/search page 1", search_one, cookie=staff_cookie),
        Target("GET /staff/search page 2", page_two(staff, search_one), cookie=staff_cookie),
        Target("GET /staff/patterns", "/staff/patterns", cookie=staff_cookie),
    ]


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

def load(base, target):
    """Check the target once outside the load, then keep CONNECTIONS connections on it for SECONDS."""
    port = int(urlsplit(base).port)
    before = {}
    for _ in range(2):  # both workers usually see it once before the clock starts
        status = status_of(port, target.method, target.path, target.body, target.cookie)
        before[str(status)] = before.get(str(status), 0) + 1
    env = {**os.environ, "WRK_METHOD": target.method, "WRK_BODY": target.body, "WRK_COOKIE": target.cookie,
           "WRK_CONTENT_TYPE": "application/x-www-form-urlencoded"}
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", WRK_TIMEOUT,
               "-s", str(LUA), base + target.path]
    output = subprocess.run(command, env=env, capture_output=True, text=True, timeout=SECONDS + 120, check=True)
    drain(port)
    figures = json.loads(next(line for line in output.stdout.splitlines()
                              if line.startswith("WRK_JSON ")).removeprefix("WRK_JSON "))
    sockets = {name: figures[name] for name in ("connect", "read", "write", "timeout") if figures[name]}
    return Result(name=target.name, method=target.method, path=target.path,
                  requests_per_second=figures["requests"] / (figures["duration_us"] / 1e6),
                  p50_ms=figures["p50_us"] / 1000, p99_ms=figures["p99_us"] / 1000,
                  errors=figures["non_2xx_3xx"] + sum(sockets.values()), statuses=figures["statuses"],
                  socket_errors=sockets, floor=target.floor, before_load=before)


def drain(port):
    """Wait until the server has answered the requests wrk left queued when it stopped, so that they do not
    slow down the next target: one request queued behind them per worker."""
    for _ in range(GUNICORN_WORKERS):
        status_of(port, "GET", f"{FLOOR}/trivial")


def print_row(result):
    print(f"   {result.name:<34} {result.requests_per_second:8.1f} {result.p50_ms:9.1f} {result.p99_ms:9.1f} "
          f"{result.errors:7d}   {result.floor_ratio:6.1f}x {result.floor}{error_detail(result)}", flush=True)


def error_detail(result):
    """Which errors: the statuses other than 2xx/3xx and the socket errors, when there are any."""
    if not result.errors:
        return ""
    bad = {status: count for status, count in result.statuses.items() if not status.startswith(("2", "3"))}
    parts = [f"{count}x {status}" for status, count in sorted(bad.items())]
    parts += [f"{count} {name}" for name, count in result.socket_errors.items()]
    return f"   ({', '.join(parts)})"


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


def write_json(path, database, results):
    path.write_text(json.dumps({
        "database": database, "complaints": COMPLAINTS, "seconds_per_target": SECONDS, "connections": CONNECTIONS,
        "gunicorn_workers": GUNICORN_WORKERS, "wrk_threads": WRK_THREADS, "outbox_worker_running": True,
        "results": [asdict(result) for result in results]}, indent=2, ensure_ascii=False))
    print(f"   written to {path.relative_to(ROOT)}")
