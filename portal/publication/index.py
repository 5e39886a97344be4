"""The public search index: a Whoosh index of its own, in `public/` under SEARCH_INDEX_DIR, that only ever
receives the published answers' approved public versions, never the staff index's text.

The same analyzers as the staff index (portal/search/analysis.py): every word folded (`dat dai` finds
`đất đai`), and the accented words once more as written, to rank the exact spelling first. It is kept by the
worker from the outbox (portal/publication/queue.py) and rebuilt from the database by `flask search
reindex` (with the staff index) or `reindex-public`, and by the worker when it is missing."""
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema
from whoosh.writing import CLEAR, LockError

from portal.complaints.models import Complaint
from portal.extensions import db
from portal.outbox.worker import handles
from portal.publication.answers import PUBLISHED, published_complaints
from portal.publication.queue import TOPIC
from portal.search import store
from portal.search.analysis import accented_analyzer, folded_analyzer
from portal.search.schema import EXACT, TEXT_FIELD

BATCH = 500
_opened = {}  # directory -> FileIndex, one per process


def schema():
    return Schema(id=ID(stored=True, unique=True),
                  **{TEXT_FIELD: TEXT(analyzer=folded_analyzer()), EXACT: TEXT(analyzer=accented_analyzer())})


def directory():
    return Path(current_app.config["SEARCH_INDEX_DIR"]) / "public"


def open_index():
    """The public index, or None before its first build."""
    path = directory()
    if not whoosh_index.exists_in(str(path)):
        return None
    if str(path) not in _opened:
        _opened[str(path)] = whoosh_index.open_dir(str(path))
    return _opened[str(path)]


def version(ix):
    """What names the index as it is now, for what is kept of its searches: a new generation means a change, and
    an index lost and built again starts its generations over, so its place and the generation's time count too."""
    try:
        written = ix.last_modified()
    except FileNotFoundError:  # a writer's commit removed that generation just now: read the newer one
        written = ix.last_modified()
    return str(directory()), ix.latest_generation(), written


@handles(TOPIC, batch=True)
def index_published(payloads):
    """Apply queued publication changes: index what is public now, delete what no longer is."""
    ix = open_index()
    if ix is None:
        rebuild()  # reads the database as it is now, these changes included
        return
    ids = sorted({int(p["complaint_id"]) for p in payloads})
    with _writer(ix) as writer:
        for start in range(0, len(ids), BATCH):
            _apply(writer, ids[start:start + BATCH])


def _apply(writer, ids):
    published = published_complaints(ids)
    _add(writer, published)
    for gone in set(ids) - {complaint.id for complaint in published}:
        writer.delete_by_term("id", str(gone))


def build_if_missing():
    """For the worker's schedule: a new installation, or a lost index, is built without waiting for a change."""
    return rebuild() if open_index() is None else 0


def rebuild():
    """Index every published answer afresh, replacing what the index held; returns how many."""
    path = directory()
    path.mkdir(parents=True, exist_ok=True)
    ix = open_index() or whoosh_index.create_in(str(path), schema())
    count, after = 0, 0
    with _writer(ix, mergetype=CLEAR) as writer:
        while batch := db.session.scalars(select(Complaint.id).where(PUBLISHED, Complaint.id > after)
                                          .order_by(Complaint.id).limit(BATCH)).all():
            _add(writer, published_complaints(batch))
            count, after = count + len(batch), batch[-1]
    _opened.clear()
    return count


def _add(writer, complaints):
    for complaint in complaints:
        text = _text(complaint)
        writer.update_document(id=str(complaint.id), **{TEXT_FIELD: text, EXACT: text})


def _text(complaint):
    """The approved public version, the subject twice (a word of the subject weighs more), and the directory's
    names."""
    public = complaint.public_version
    names = [name for row in (complaint.category, complaint.ward, complaint.agency) if row is not None
             for name in (row.name_vi, row.name_en)]
    return "\n".join([public.subject, public.subject, public.text, public.reply, *names])


@contextmanager
def _writer(ix, mergetype=store.merge_by_size):
    """One writer, committed at the end; an index held by another writer is retried later by the outbox."""
    try:
        writer = store.open_writer(ix, timeout=store.LOCK_WAIT_SECONDS)
    except LockError as error:
        raise store.IndexBusy(str(error)) from error
    try:
        yield writer
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=mergetype)
