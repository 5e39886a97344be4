"""Writing the index: the worker's handler for queued updates, the full rebuild, and the consistency check.

The worker is the only writer. A queued batch is applied with one writer and one commit; if the index is busy
(a rebuild swapping it) the handler raises IndexBusy and the outbox retries the batch later. A rebuild fills a
new directory while searches read the old one, catches up with what changed meanwhile, then swaps."""
import shutil
from dataclasses import dataclass, field
from datetime import timedelta
from multiprocessing import cpu_count

from flask import current_app
from sqlalchemy import func, select
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader, W3Segment, _lenfield
from whoosh.util.numeric import byte_to_length

from portal.complaints.models import Complaint
from portal.extensions import db
from portal.outbox.worker import handles
from portal.search import store
from portal.search.documents import document, load
from portal.search.queue import TOPIC
from portal.timeutil import utcnow

BATCH = 2_000
PARALLEL_FROM = 5_000  # below this, starting processes costs more than it saves
CATCH_UP_MARGIN = timedelta(minutes=10)  # transactions open when the rebuild started commit a little later
WRITER_MEMORY_MB = 768  # per writing process (SEARCH_REBUILD_MEMORY_MB)
DOCUMENT_KB = 80  # a writer's memory per complaint as Whoosh counts it: 20,000 per session ran at full speed


@handles(TOPIC, batch=True)
def index_complaints(payloads):
    """Apply queued complaint changes: update what exists, delete what no longer does."""
    if store.ensure_index():
        reindex()  # the rebuild reads the database as it is now, these changes included
        return
    ids = sorted({int(p["complaint_id"]) for p in payloads if p.get("complaint_id") is not None})
    if ids:
        with store.live_writer() as writer:
            _apply(writer, ids)


def _apply(writer, ids, chunk=1_000):
    """Write the current state of complaints `ids`: their documents, or their deletion (chunked: SQLite
    limits the parameters of one statement)."""
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        found = set()
        for complaint in db.session.scalars(load(part).execution_options(populate_existing=True)).unique():
            writer.update_document(**document(complaint))
            found.add(complaint.id)
        for gone in set(part) - found:
            writer.delete_by_term("id", str(gone))


def reindex(progress=None):
    """Build a fresh index from the database and swap it in; returns how many complaints it holds.
    `progress(done, total)` is called as documents are added."""
    started = utcnow()
    total = db.session.scalar(select(func.count(Complaint.id)))
    directory = store.new_directory()
    try:
        count = _build(whoosh_index.open_dir(str(directory)), total, progress)
        with store.write_lock():
            _catch_up(whoosh_index.open_dir(str(directory)), started)
            store.swap(directory)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    store.forget()
    return count


def _build(ix, total, progress):
    """Add every complaint, in sessions of writers that each fit in memory: a writer whose postings outgrow its
    memory sorts them through temporary files at half the speed, so a session commits its segments (one per
    process) before that."""
    config = current_app.config
    parallel = total >= config.get("SEARCH_PARALLEL_FROM", PARALLEL_FROM) and cpu_count() > 1
    memory = config.get("SEARCH_REBUILD_MEMORY_MB", WRITER_MEMORY_MB)
    per_session = config.get("SEARCH_REBUILD_SESSION_DOCS") or memory * 1024 // DOCUMENT_KB * (2 if parallel else 1)
    count, writer = 0, None
    try:
        for complaint in db.session.scalars(load().execution_options(yield_per=BATCH)):
            writer = writer or _bulk_writer(ix, parallel, memory)
            writer.add_document(**document(complaint))
            count += 1
            if count % per_session == 0:
                writer, finished = None, writer
                finished.commit(merge=False)
            if progress and count % 500 == 0:
                progress(count, total)
    except BaseException:
        if writer is not None:
            writer.cancel()
        raise
    if writer is not None:
        writer.commit(merge=False)
    if progress:
        progress(count, total)
    return count


def _bulk_writer(ix, parallel, memory):
    """Whoosh's multiprocessing writer for large rebuilds (the analyzers are picklable for it), each process
    writing its own segment, with the rebuild codec below."""
    options = {"limitmb": memory, "codec": RebuildCodec(blocklimit=store.POSTINGS_PER_BLOCK, compression=0),
               **store.SEGMENT_FILES}
    if parallel:
        return ix.writer(procs=2, multisegment=True, batchsize=250, **options)
    return ix.writer(**options)


class RebuildCodec(W3Codec):
    """The store's codec, faster to write a whole index with: the field lengths are read once per field rather
    than once per posting (about a sixth of a rebuild). The segments it writes record Whoosh's own codec, so the
    index on disk holds nothing of ours."""

    def per_document_reader(self, storage, segment):
        return _LengthsOnce(storage, segment)

    def new_segment(self, storage, indexname):
        return W3Segment(store.codec(self._compression), indexname)


class _LengthsOnce(W3PerDocReader):
    def doc_field_length(self, docnum, fieldname, default=0):
        cache = self.__dict__.setdefault("_lengths", {})
        if fieldname not in cache:
            column = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            cache[fieldname] = None if column is None else [byte_to_length(b) if b else None for b in column]
        lengths = cache[fieldname]
        return default if lengths is None else lengths[docnum]


def _catch_up(ix, started):
    """Bring the new index up to date with what changed while it was built (the worker kept updating the old
    one meanwhile), including complaints deleted since."""
    changed = db.session.scalars(select(Complaint.id).where(Complaint.updated_at >= started - CATCH_UP_MARGIN))
    changed = set(changed)
    with ix.searcher() as searcher:
        indexed = {int(term) for term in searcher.lexicon("id")}
    existing = set(db.session.scalars(select(Complaint.id)))
    stale = changed | (existing - indexed) | (indexed - existing)
    if stale:
        writer = store.open_writer(ix)
        _apply(writer, sorted(stale))
        store.commit(writer)


@dataclass
class Differences:
    """What `check` found: complaints missing from the index, documents older than their complaint,
    documents of complaints that no longer exist."""

    missing: list = field(default_factory=list)
    stale: list = field(default_factory=list)
    extra: list = field(default_factory=list)
    repaired: bool = False
    rebuilt: bool = False  # the index was missing or damaged: rebuilt from the database before comparing

    def __bool__(self):
        return bool(self.missing or self.stale or self.extra)

    @property
    def count(self):
        return len(self.missing) + len(self.stale) + len(self.extra)


def check(repair=True):
    """Compare the index with the database (ids and versions) and, with `repair`, fix what differs. Without an
    index to read, every complaint is missing (and `repair` rebuilds the index first)."""
    rebuilt = repair and store.ensure_index()
    if rebuilt:
        reindex()
    differences = _compare(_readable_index())
    differences.rebuilt = rebuilt
    if repair and differences:
        with store.live_writer() as writer:
            _apply(writer, differences.missing + differences.stale + differences.extra)
        differences.repaired = True
    return differences


def _readable_index():
    try:
        ix = store.open_index()
        store.probe(ix)
        return ix
    except Exception:
        return None


def _compare(ix):
    in_db = dict(db.session.execute(select(Complaint.id, Complaint.version)).all())
    in_index = {}
    if ix is not None:
        with ix.searcher() as searcher:
            in_index = {int(fields["id"]): fields.get("version") for fields in searcher.all_stored_fields()}
    return Differences(
        missing=sorted(set(in_db) - set(in_index)),
        stale=sorted(i for i in set(in_db) & set(in_index) if in_db[i] != in_index[i]),
        extra=sorted(set(in_index) - set(in_db)),
    )

