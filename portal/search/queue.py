"""Every committed change to a complaint queues an index update in the same transaction.

A session hook notes the complaints each flush touches; just before the commit it writes one outbox row per
complaint, so the index can never miss a change that the database kept, nor index one it rolled back."""
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.complaints.models import Complaint
from portal.outbox.models import OutboxMessage

TOPIC = "index"
PENDING_KEY = "complaints_to_index"
QUEUED_KEY = "complaints_queued_for_index"


@event.listens_for(Session, "after_flush")
def note_changed_complaints(session, _flush_context):
    index_later(session, {obj.id for obj in (*session.new, *session.dirty, *session.deleted)
                          if isinstance(obj, Complaint)})


def index_later(session, ids):
    """Queue index updates for complaints `ids` when `session` commits (each once): what a flush touches, and
    what bulk UPDATE statements change without the ORM seeing it."""
    if ids:
        session.info.setdefault(PENDING_KEY, set()).update(ids)


@event.listens_for(Session, "before_commit")
def queue_index_updates(session):
    session.flush()  # changes not flushed yet would be noted by the commit's own flush, after this hook: too late
    pending = session.info.pop(PENDING_KEY, set())
    queued = session.info.setdefault(QUEUED_KEY, set())
    for complaint_id in sorted(pending - queued):
        session.add(OutboxMessage(topic=TOPIC, payload={"complaint_id": complaint_id}, complaint_id=complaint_id))
    queued.update(pending)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def forget(session):
    session.info.pop(PENDING_KEY, None)
    session.info.pop(QUEUED_KEY, None)
