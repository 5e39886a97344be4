"""Where the index lives: versioned directories `index-<timestamp>` under SEARCH_INDEX_DIR and a symlink
`current` to the one in use.

A rebuild fills a new directory while searches keep reading the old one, then swaps the symlink atomically
(`os.replace`), so a reader sees either index, never half of one. Only the worker writes; it holds `write.lock`
while it writes or swaps. A missing or damaged index is never fatal: the worker replaces it with an empty one,
marked as needing a rebuild, and rebuilds it from the database."""
import logging
import math
import os
import shutil
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.reading import SegmentReader
from whoosh.util.filelock import FileLock
from whoosh.writing import LockError

from portal.search.schema import build_schema

log = logging.getLogger(__name__)

CURRENT = "current"
PREFIX = "index-"
REBUILD_MARKER = "rebuild-needed"  # in an index directory made empty by ensure_index(); gone with it
LOCK_NAME = "write.lock"
LOCK_WAIT_SECONDS = 10.0
MERGE_FACTOR = 10  # segments of one size (1, 10, 100... documents) merged together once there are this many
LARGEST_MERGE = 20_000  # documents: larger segments come from rebuilds and are left as they are
LEFTOVER_AGE_SECONDS = 3600  # a rebuild's directory untouched this long was abandoned
# Each segment as plain files: Whoosh opens a compound segment by copying every file of it into memory
# (io.BytesIO over the mapped file), which at 200,000 complaints made every new searcher cost 300 ms.
SEGMENT_FILES = {"compound": False}
POSTINGS_PER_BLOCK = 1024  # searches read whole posting lists: larger blocks cost less per posting (Whoosh: 128)

_opened = {}  # root -> (directory `current` pointed at, FileIndex): one per process
_searchers = {}  # (thread, root) -> (directory, Searcher): searchers are not shared between threads
_searchers_lock = threading.Lock()


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


@contextmanager
def searcher():
    """A searcher on the current index. Each thread keeps its own (opening one reads every segment's files,
    most of a small search), refreshed when the worker has committed and replaced when `current` moves. A swap
    deleting the directory just as it opens is retried once; an index that cannot be read raises
    IndexUnavailable."""
    for attempt in range(2):
        try:
            reader = _thread_searcher()
            break
        except IndexUnavailable:
            raise
        except Exception as error:
            forget()
            if attempt:
                raise IndexUnavailable(f"cannot read the search index: {error}") from error
    yield reader


def _thread_searcher():
    key, directory = (threading.get_ident(), str(root())), current_directory()
    cached = _searchers.get(key)
    if cached and cached[0] == directory and cached[1].up_to_date():
        return cached[1]
    if cached:  # not Searcher.refresh(): in whoosh-reloaded 2.7.5 it keeps the old segments of documents
        _close(cached[1])  # deleted or updated since, so they would still be found
    _close_finished_threads()
    fresh = open_index().searcher()
    with _searchers_lock:
        _searchers[key] = (directory, fresh)
    return fresh


def _close_finished_threads():
    """Close the searchers of threads that have ended (a threaded server starts one per request): each holds a
    file of every segment open."""
    running = {thread.ident for thread in threading.enumerate()}
    with _searchers_lock:
        finished = [key for key in _searchers if key[0] not in running]
        closing = [_searchers.pop(key)[1] for key in finished]
    for reader in closing:
        _close(reader)


def _close(reader):
    try:
        reader.close()
    except Exception:  # its files may be gone already
        pass


def forget():
    """Drop the cached index and this thread's searchers (after a swap, or tests pointing SEARCH_INDEX_DIR
    elsewhere). Other threads replace theirs when they see `current` move."""
    _opened.clear()
    with _searchers_lock:
        mine = [_searchers.pop(key)[1] for key in list(_searchers) if key[0] == threading.get_ident()]
    for reader in mine:
        _close(reader)


def probe(ix):
    """Read a little of everything (table of contents, terms, stored fields) so that damage shows now."""
    with ix.searcher() as searcher:
        searcher.doc_count()
        next(iter(searcher.lexicon("id")), None)
        first = next(iter(searcher.reader().all_doc_ids()), None)  # not a search: it would visit every document
        if first is not None:
            searcher.stored_fields(first)


def new_directory():
    """A new empty index directory, not yet in use."""
    base = root()
    path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{datetime.now(UTC):%Y%m%dT%H%M%S%f}-", dir=base))
    path.chmod(base.stat().st_mode & 0o777)  # readable by whoever may read SEARCH_INDEX_DIR (the web processes)
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
        try:
            abandoned = path.resolve() != keep and time.time() - path.stat().st_mtime > LEFTOVER_AGE_SECONDS
        except OSError:  # removed meanwhile
            continue
        if abandoned:
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
        if current_directory() is None:
            log.info("no search index yet: building it")
        else:
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


def codec(compression=0):
    """How segments are written: uncompressed blocks of POSTINGS_PER_BLOCK (decompressing costs more time than
    the disk it saves)."""
    return W3Codec(blocklimit=POSTINGS_PER_BLOCK, compression=compression)


@contextmanager
def live_writer():
    """A writer on the live index, committed at the end (or cancelled on error). Holds the write lock."""
    with write_lock():
        try:
            writer = open_writer(open_index(), timeout=LOCK_WAIT_SECONDS)
        except LockError as error:
            raise IndexBusy(str(error)) from error
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        commit(writer)


def open_writer(ix, **options):
    """A writer of segments as searching wants them (see SEGMENT_FILES and codec)."""
    return ix.writer(codec=codec(), **SEGMENT_FILES, **options)


def commit(writer):
    writer.commit(mergetype=merge_by_size)


def merge_by_size(writer, segments):
    """The live writer's merge policy: segments of about the same size (by powers of ten) are merged once there
    are MERGE_FACTOR of them, up to LARGEST_MERGE documents, so a commit costs little and segments stay few.
    (Whoosh's own policy may merge the whole index on any commit: minutes at 200,000 complaints.) Segments whose
    documents are all deleted are dropped."""
    tiers = defaultdict(list)
    for segment in segments:
        if segment.doc_count() and segment.doc_count_all() < LARGEST_MERGE:
            tiers[int(math.log10(segment.doc_count_all()))].append(segment)
    merging = set()
    for tier in tiers.values():
        if len(tier) >= MERGE_FACTOR and sum(segment.doc_count_all() for segment in tier) <= LARGEST_MERGE:
            merging.update(segment.segment_id() for segment in tier)
            for segment in tier:
                reader = SegmentReader(writer.storage, writer.schema, segment)
                writer.add_reader(reader)
                reader.close()
    return [segment for segment in segments if segment.doc_count() and segment.segment_id() not in merging]
