"""Timing helpers and a throw-away portal on its own SQLite database."""
import statistics
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

from portal import create_app
from portal.directory.loader import load_directory
from portal.extensions import db

ROOT = Path(__file__).resolve().parent.parent


def timings(function, repeat):
    """Seconds taken by each of `repeat` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


def p95(samples):
    return statistics.quantiles(samples, n=20)[-1]


def report(name, samples, baseline):
    """One line: the median and p95 in ms, and the median as a multiple of the baseline's median."""
    median, base = statistics.median(samples), statistics.median(baseline)
    print(f"{name:<40} median {median * 1000:8.2f} ms   p95 {p95(samples) * 1000:8.2f} ms   "
          f"{median / base:7.1f}x baseline")


def scratch_app(**config):
    folder = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
                      "UPLOAD_DIR": str(folder / "uploads"), "MAIL_SUPPRESS_SEND": True,
                      "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False, **config})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        load_directory()
        db.session.commit()
    return app
