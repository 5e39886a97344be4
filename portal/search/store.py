"""Where the index lives: versioned directories `index-<timestamp>` under SEARCH_INDEX_DIR and a symlink
`current` to the one in use.

A rebuild fills a new directory while searches keep reading the old one, then swaps the symlink atomically
(`os.replace`), so a reader sees either index, never half of one. Only the worker writes; it holds `write.lock`
while it writes or swaps. A missing or damaged index is never fatal: the worker replaces it with an empty one,
marked as needing a rebuild, and rebuilds it from the database."""
import logging
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from whoosh import index as whoosh_index
from whoosh.query import Every
from whoosh.util.filelock import FileLock
from whoosh.writing import LockError

from portal.search.schema import build_schema

log = logging.getLogger(__name__)

CURRENT = "current"
PREFIX = "index-"
REBUILD_MARKER = "rebuild-needed"  # in an index directory made empty by ensure_index(); gone with it
LOCK_NAME = "write.lock"
LOCK_WAIT_SECONDS = 10.0
LEFTOVER_AGE_SECONDS = 3600  # a rebuild's directory untouched this long was abandoned

_opened = {}  # root -> (directory `current` pointed at, FileIndex): one per process


class IndexBusy(Exception):
    """Another writer held the index for too long; the outbox retries later."""


class IndexUnavailable(Exception):
    """There is no index to read, or it cannot be read."""


def root():
    path = Path(current_app.config["SEARCH_INDEX_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def current_directory():
    """The directory `current` points at, or None."""
    link = root() / CURRENT
    try:
        return (link.parent / os.readlink(link)).resolve()
    except OSError:
        return None


def open_index():
    """The index searches read. Opening is cached per process; a swap is noticed by reading the symlink, and a
    new commit by the searcher that FileIndex.searcher() opens each time."""
    directory = current_directory()
    if directory is None:
        raise IndexUnavailable("no search index yet")
    key = str(root())
    cached = _opened.get(key)
    if cached and cached[0] == directory:
        return cached[1]
    try:
        ix = whoosh_index.open_dir(str(directory))
    except Exception as error:
        raise IndexUnavailable(f"cannot open the search index in {directory}: {error}") from error
    _opened[key] = (directory, ix)
    return ix


def forget():
    """Drop the cached index objects (tests that point SEARCH_INDEX_DIR elsewhere)."""
    _opened.clear()


def probe(ix):
    """Read a little of everything (table of contents, terms, stored fields) so that damage shows now."""
    with ix.searcher() as searcher:
        searcher.doc_count()
        next(iter(searcher.lexicon("id")), None)
        for hit in searcher.search(Every(), limit=1):
            hit.fields()


def new_directory():
    """A new empty index directory, not yet in use."""
    path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{datetime.now(UTC):%Y%m%dT%H%M%S%f}-", dir=root()))
    whoosh_index.create_in(str(path), build_schema())
    return path


def swap(directory):
    """Make `directory` the index searches read, atomically, then delete the one it replaces (and leftovers
    of abandoned rebuilds). Call with the write lock held."""
    base = root()
    previous = current_directory()
    temporary = base / f"{CURRENT}.{os.getpid()}.tmp"
    temporary.unlink(missing_ok=True)
    os.symlink(Path(directory).name, temporary)
    os.replace(temporary, base / CURRENT)
    if previous and previous != Path(directory).resolve():
        shutil.rmtree(previous, ignore_errors=True)
    _remove_leftovers(base, Path(directory).resolve())


def _remove_leftovers(base, keep):
    for path in base.glob(f"{PREFIX}*"):
        if path.resolve() != keep and time.time() - path.stat().st_mtime > LEFTOVER_AGE_SECONDS:
            shutil.rmtree(path, ignore_errors=True)


def create_empty():
    """Put an empty index, marked as needing a rebuild, in place of the current one. Call with the write lock
    held."""
    directory = new_directory()
    (directory / REBUILD_MARKER).touch()
    swap(directory)
    return open_index()


def needs_rebuild():
    directory = current_directory()
    return directory is None or (directory / REBUILD_MARKER).exists()


def ensure_index():
    """For the worker: make sure there is a readable index. Returns True when the index is empty for want of a
    rebuild (it was missing or damaged and has been replaced, or an earlier rebuild did not finish): the caller
    then rebuilds it from the database."""
    try:
        _readable()
    except Exception as error:
        log.warning("search index unusable (%s); replacing it with an empty one to rebuild", error)
        forget()
        with write_lock():
            create_empty()
        return True
    return needs_rebuild()


def _readable(attempts=2):
    for attempt in range(attempts):  # a swap between reading the link and opening the files is not damage
        try:
            probe(open_index())
            return
        except Exception:
            forget()
            if attempt == attempts - 1:
                raise


@contextmanager
def write_lock(timeout=None):
    """The single-writer lock of the live index (a file lock, so across processes too). Waits `timeout`
    seconds at most (SEARCH_LOCK_WAIT_SECONDS, 10 s by default), then raises IndexBusy."""
    if timeout is None:
        timeout = current_app.config.get("SEARCH_LOCK_WAIT_SECONDS", LOCK_WAIT_SECONDS)
    lock = FileLock(str(root() / LOCK_NAME))
    deadline = time.monotonic() + timeout
    while not lock.acquire(blocking=False):
        if time.monotonic() >= deadline:
            raise IndexBusy("another process is writing the search index")
        time.sleep(0.05)
    try:
        yield
    finally:
        lock.release()


@contextmanager
def live_writer():
    """A writer on the live index, committed at the end (or cancelled on error). Holds the write lock."""
    with write_lock():
        try:
            writer = open_index().writer(timeout=LOCK_WAIT_SECONDS)
        except LockError as error:
            raise IndexBusy(str(error)) from error
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
