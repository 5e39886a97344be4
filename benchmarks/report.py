"""bench_http's figures as one table per database, held against issue 9's targets, and as JSON.

Targets: the filing form and the track page at least 30% of the small template page floor's requests per second,
the filing POST at least 30% of the insert floor's, both with p95 under 300 ms; staff pages at least 10% of the
template floor with p95 under 1 s; no errors. Where a run measures pages alone only (the largest data set), a
staff page meets its target when it answers alone in under 150 ms. Growth: each figure over the same page's at
the smallest size measured on that database."""
import json
from dataclasses import asdict

GOALS = {"resident": (30.0, 300.0), "staff": (10.0, 1000.0)}  # share of the floor (%), p95 limit (ms)
ALONE_LIMIT_MS = 150.0  # a staff page alone, at the largest size
COLUMNS = (f"{'page':<30} {'complaints':>10} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6}  "
           f"{'floor':<23} {'floor r/s':>9} {'share':>7}  {'target':<19} {'met':<4} {'RSS MiB each':>13} "
           f"{'max':>5} {'alone ms':>9}  {'growth: req/s':>13} {'alone':>6}")


def print_row(result):
    """The progress line of one target, as it is measured."""
    loaded = (f"{result.requests_per_second:8.1f} req/s  p50 {result.p50_ms:8.1f}  p95 {result.p95_ms:8.1f} ms  "
              f"{result.errors:6d} errors" if result.requests_per_second is not None else "")
    alone = f"alone {result.alone_ms:8.1f} ms" if result.alone_ms is not None else ""
    rss = "/".join(f"{size:.0f}" for size in result.worker_rss_mib)
    failed = {status: count for status, count in result.statuses_alone.items() if not status.startswith(("2", "3"))}
    alone_errors = f"   (alone: {failed})" if failed else ""
    print(f"   {result.name:<34} {loaded}  {alone}  RSS {rss} MiB{error_detail(result)}{alone_errors}", flush=True)


def error_detail(result):
    """Which errors: the statuses other than 2xx/3xx and the socket errors, when there are any."""
    if not result.errors:
        return ""
    bad = {status: count for status, count in result.statuses.items() if not status.startswith(("2", "3"))}
    parts = [f"{count}x {status}" for status, count in sorted(bad.items())]
    parts += [f"{count} {name}" for name, count in result.socket_errors.items()]
    return f"   ({', '.join(parts)})"


def rows(runs):
    """One dict per page and run, with the floor, the target, whether it is met and the growth."""
    table, smallest = [], {}
    databases = list(dict.fromkeys(run.database for run in runs))  # in the order they were measured
    for run in sorted(runs, key=lambda r: (databases.index(r.database), r.complaints)):
        floors = {r.name.removeprefix("floor: "): r.requests_per_second for r in run.results
                  if r.name.startswith("floor: ")}
        for result in run.results:
            row = {"database": run.database, "complaints": run.complaints, "under_load": run.under_load,
                   "load_average": run.load_average, **asdict(result)}
            row.update(held_against_floor(result, floors.get(result.floor), run.under_load))
            first = smallest.setdefault((run.database, result.name), row)
            later = first is not row
            row["growth_from"] = first["complaints"] if later else None
            row["growth_requests_per_second"] = ratio(row["requests_per_second"], first["requests_per_second"], later)
            row["growth_alone"] = ratio(row["alone_ms"], first["alone_ms"], later)
            row["worker_rss_max_mib"] = max(result.worker_rss_mib, default=None)
            table.append(row)
    return table


def held_against_floor(result, floor_rps, under_load):
    """The floor's figure, the share of it reached, the target and whether it is met."""
    share = 100 * result.requests_per_second / floor_rps if floor_rps and under_load else None
    figures = {"floor_requests_per_second": floor_rps if under_load else None, "share_of_floor_pct": share,
               "target": "", "met": None}
    if result.goal not in GOALS:
        return figures
    if not under_load:
        if result.goal == "staff":
            failed = any(not status.startswith(("2", "3")) for status in result.statuses_alone)
            figures.update(target=f"alone <= {ALONE_LIMIT_MS:.0f} ms",
                           met=result.alone_ms <= ALONE_LIMIT_MS and not failed)
        return figures
    least, p95_limit = GOALS[result.goal]
    figures["target"] = f">= {least:.0f}%, p95 <= {p95_limit:.0f}"
    figures["met"] = share is not None and share >= least and result.p95_ms <= p95_limit and not result.errors
    return figures


def ratio(value, base, wanted=True):
    return value / base if wanted and value is not None and base else None


def print_tables(runs):
    table = rows(runs)
    for database in dict.fromkeys(row["database"] for row in table):
        mine = [row for row in table if row["database"] == database]
        print(f"\n== {database}: under load (wrk, 50 connections) and alone; share of the same run's floor; "
              "memory of each gunicorn worker after the page")
        print(f"   {COLUMNS}")
        for name in dict.fromkeys(row["name"] for row in mine):
            for row in (row for row in mine if row["name"] == name):
                print(f"   {table_line(row)}")
        print(f"   growth: the figure over the same page's at {min(row['complaints'] for row in mine):,} complaints; "
              "req/s below 1 or alone above 1 is slower with more data")
        loads = {row["complaints"]: row["load_average"] for row in mine}
        print("   machine load average (1 min) before each run: "
              + ", ".join(f"{load:.1f} at {count:,}" for count, load in loads.items()))


def table_line(row):
    return (f"{row['name']:<30} {row['complaints']:>10,} {number(row['requests_per_second'], 8, 1)} "
            f"{number(row['p50_ms'], 8, 1)} {number(row['p95_ms'], 8, 1)} "
            f"{row['errors'] if row['under_load'] else '-':>6}  {row['floor'] if row['under_load'] else '-':<23} "
            f"{number(row['floor_requests_per_second'], 9, 1)} {number(row['share_of_floor_pct'], 6, 1, '%')}  "
            f"{row['target'] or '-':<19} {met(row['met']):<4} "
            f"{'/'.join(f'{size:.0f}' for size in row['worker_rss_mib']):>13} "
            f"{number(row['worker_rss_max_mib'], 5, 0)} "
            f"{number(row['alone_ms'], 9, 1)}  {growth(row['growth_requests_per_second'], 13)} "
            f"{growth(row['growth_alone'], 6)}")


def number(value, width, decimals, unit=""):
    return f"{value:{width}.{decimals}f}{unit}" if value is not None else f"{'-':>{width + len(unit)}}"


def growth(value, width):
    return f"{value:{width - 1}.2f}x" if value is not None else f"{'':>{width}}"


def met(value):
    return "-" if value is None else "yes" if value else "NO"


def write_json(path, runs, settings):
    path.write_text(json.dumps({"settings": settings, "alone_limit_ms": ALONE_LIMIT_MS,
                                "goals": {goal: {"share_of_floor_pct": least, "p95_ms": limit}
                                          for goal, (least, limit) in GOALS.items()},
                                "rows": rows(runs)}, indent=2, ensure_ascii=False))
    print(f"   written to {path}")
