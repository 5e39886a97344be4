"""Search, similar complaints, patterns, reindexing and single-complaint index latency at scale.

The data set is BENCH_COMPLAINTS generated complaints (default 200,000; `flask demo generate`), cached between
runs under instance/bench/ (SQLite) and in the PostgreSQL database portal_bench_<n>. Every figure is printed
beside a baseline measured in the same run on the same data, and against the issue's target.

Search is timed over about 300 distinct queries (the fixed QUERIES plus 1 to 3 consecutive words cut from real
complaint titles, a third without accents, some quoted phrases and `prefix*` queries): each once cold, then 300
repeats drawn at random, then 50 with one filter. Similar complaints are timed once each for 200 complaints."""
import os
import random
import re
import time
import unicodedata
from datetime import timedelta

from sqlalchemy import func, select

from benchmarks.common import ROOT, p95, timings
from benchmarks.data import locations, prepared
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.complaints.models import Complaint
from portal.domain.text import fold
from portal.extensions import db
from portal.patterns.clusters import clusters_since
from portal.patterns.groups import grouped, weekly_counts
from portal.timeutil import utcnow

COMPLAINTS = int(os.environ.get("BENCH_COMPLAINTS", "200000"))
QUERIES = ["dat dai", "giấy phép xây dựng", '"cap phep"', "chậm trễ hồ sơ", "cấp*", "đòi tiền", "dong da",
           "hộ kinh doanh", "thai do", "sổ đỏ quá hạn"]
WORKLOAD_SEED = 2026
WORKLOAD_QUERIES = 300  # distinct: each is timed once before any cache can have seen it
TITLES_READ = 5000
PHRASE_SHARE, PREFIX_SHARE, UNACCENTED_SHARE = 0.10, 0.05, 1 / 3
REPEATED_SEARCHES = 300
FILTERED_SEARCHES = 50
FILTER_DATE_FROM = "2026-01-01"
SIMILAR_COMPLAINTS = 200
LETTERS = re.compile(r"[^\W\d_]+")  # words as people type them into a search box: no codes or numbers


def line(name, value, unit, baseline, target=None):
    ratio = value / baseline if baseline else float("nan")
    goal = f"   target {target}" if target else ""
    print(f"   {name:<38} {value:10.2f} {unit:<12} {ratio:8.3g}x baseline{goal}")


def run():
    bench = ROOT / "instance" / "bench"
    bench.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PORTAL_PASSWORD", "benchmark password 2026")
    sqlite_app = prepared(*locations("SQLite", COMPLAINTS, bench), COMPLAINTS)
    with sqlite_app.app_context():
        index_figures()
        pattern_figures("SQLite")
    try:
        pg_app = prepared(*locations("PostgreSQL", COMPLAINTS, bench), COMPLAINTS)
    except Exception as error:  # no PostgreSQL here: say so, do not hide it
        print(f"   PostgreSQL skipped: {error}")
        return
    with pg_app.app_context():
        pattern_figures("PostgreSQL")
        db.engine.dispose()  # no idle connection left behind: bench_http copies this database as a template


def lookup_baseline(ids):
    """A primary-key read of one complaint: the cheapest useful request."""
    return timings(lambda: db.session.get(Complaint, random.choice(ids)) and db.session.expunge_all(), 200)


def index_figures():
    from portal.search.indexer import reindex

    user = db.session.scalars(select(User).where(User.role == Role.HOME_AFFAIRS.value)).first()
    ids = db.session.scalars(select(Complaint.id)).all()
    read_started = time.perf_counter()
    rows = sum(1 for _ in db.session.execute(select(Complaint.id, Complaint.title, Complaint.description)
                                             .execution_options(yield_per=5000)))
    read_rate = rows / (time.perf_counter() - read_started)
    started = time.perf_counter()
    count = reindex()
    rate = count / (time.perf_counter() - started)
    rng = random.Random(WORKLOAD_SEED)
    workload = query_workload(title_words(), rng)
    print(f"== search ({count} complaints indexed, {len(workload)} distinct queries)")
    line("reindex rate", rate, "complaints/s", read_rate, ">= 1,500/s (baseline: reading the rows)")
    baseline = p95(lookup_baseline(ids)) * 1000
    line("baseline: complaint by id, p95", baseline, "ms", baseline)
    search_figures(user, workload, rng, baseline)
    similar_figure(user, ids, rng, baseline)
    line("single complaint: commit to searchable", single_latency(user) * 1000, "ms", baseline)


def search_figures(user, workload, rng, baseline):
    """Every query once, in order (nothing cached can answer it), then repeats at random, then with a filter."""
    from portal.search.searching import search

    cold = timed_each(lambda query: search(user, query, page=1), workload)
    line("search p95, first time each query", p95(cold) * 1000, "ms", baseline, "<= 100 ms")
    repeats = [rng.choice(workload) for _ in range(REPEATED_SEARCHES)]
    warm = timed_each(lambda query: search(user, query, page=1), repeats)
    line("search p95, repeated queries", p95(warm) * 1000, "ms", baseline, "<= 100 ms")
    choices = filter_choices()
    filtered = [(rng.choice(workload), random_filter(rng, choices)) for _ in range(FILTERED_SEARCHES)]
    with_filter = timed_each(lambda pair: search(user, pair[0], filters=pair[1], page=1), filtered)
    line("search p95, with a filter", p95(with_filter) * 1000, "ms", baseline)


def similar_figure(user, ids, rng, baseline):
    """Each sampled complaint once: a complaint's similar list is computed when its page is first opened."""
    from portal.search.searching import similar

    sample = [db.session.get(Complaint, i) for i in rng.sample(ids, min(SIMILAR_COMPLAINTS, len(ids)))]
    samples = timed_each(lambda complaint: similar(complaint, user), sample)
    line("similar p95, each complaint once", p95(samples) * 1000, "ms", baseline, "<= 200 ms")


def timed_each(function, items):
    """Seconds taken by `function(item)` for each item, in order."""
    samples = []
    for item in items:
        start = time.perf_counter()
        function(item)
        samples.append(time.perf_counter() - start)
    return samples


# The query workload

def title_words(limit=TITLES_READ):
    """The words of the first `limit` complaint titles, one list per title (NFC: phones may send NFD)."""
    titles = db.session.scalars(select(Complaint.title).order_by(Complaint.id).limit(limit))
    return [words for title in titles if (words := LETTERS.findall(unicodedata.normalize("NFC", title or "")))]


def query_workload(titles, rng, size=WORKLOAD_QUERIES):
    """About `size` distinct queries: the fixed QUERIES, then queries cut from `titles` (only QUERIES when there
    are none). Distinct once folded, so that no query is answered by a cache warmed by its accented twin."""
    workload = {fold(query): query for query in QUERIES}
    for _ in range(size * 20):  # bounded: a few short titles cannot give `size` distinct queries
        if len(workload) >= size or not titles:
            break
        query = title_query(rng, rng.choice(titles))
        workload.setdefault(fold(query), query)
    return list(workload.values())


def title_query(rng, words):
    """One query as staff type it from a title's words: sometimes a quoted two-word phrase or a `prefix*`, else
    1 to 3 consecutive words; a third of them without accents."""
    words = [word.lower() for word in words]
    long_words = [word for word in words if len(word) >= 4]  # a prefix of 3+ letters that is not the whole word
    roll = rng.random()
    if roll < PHRASE_SHARE and len(words) >= 2:
        query = '"{}"'.format(" ".join(consecutive(rng, words, 2)))
    elif PHRASE_SHARE <= roll < PHRASE_SHARE + PREFIX_SHARE and long_words:
        word = rng.choice(long_words)
        query = word[:rng.randint(3, len(word) - 1)] + "*"
    else:
        query = " ".join(consecutive(rng, words, rng.randint(1, min(3, len(words)))))
    return fold(query) if rng.random() < UNACCENTED_SHARE else query


def consecutive(rng, words, count):
    start = rng.randrange(len(words) - count + 1)
    return words[start:start + count]


def filter_choices():
    """Filter values that exist in the data: each kind, each status, and a date filed from."""
    def distinct(column):
        return db.session.scalars(select(column).distinct().order_by(column)).all()

    choices = {"kind": distinct(Complaint.kind), "status": distinct(Complaint.status), "date_from": [FILTER_DATE_FROM]}
    return {name: values for name, values in choices.items() if values}


def random_filter(rng, choices):
    """One filter: its name first (so that the many statuses do not crowd out the others), then a value."""
    name = rng.choice(sorted(choices))
    return {name: rng.choice(choices[name])}


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
