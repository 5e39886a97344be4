"""Changes to what is published queue an update of the public index, in the committing transaction.

Only complaints that are public, or were until this flush, are queued: the rest of the traffic never touches
the public index."""
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from portal.complaints.models import Complaint
from portal.outbox.models import OutboxMessage

TOPIC = "public_index"
PENDING_KEY = "complaints_to_publish"


def _touches_publication(complaint):
    return complaint.published_at is not None or inspect(complaint).attrs.published_at.history.has_changes()


@event.listens_for(Session, "after_flush")
def note_publication_changes(session, _flush_context):
    touched = {obj.id for obj in (*session.new, *session.dirty, *session.deleted)
               if isinstance(obj, Complaint) and _touches_publication(obj)}
    session.info.setdefault(PENDING_KEY, set()).update(touched)


@event.listens_for(Session, "before_commit")
def queue_public_index_updates(session):
    session.flush()  # what only the commit's own flush would write is noted now
    for complaint_id in sorted(session.info.pop(PENDING_KEY, set())):
        session.add(OutboxMessage(topic=TOPIC, payload={"complaint_id": complaint_id}, complaint_id=complaint_id))


@event.listens_for(Session, "after_rollback")
def forget(session):
    session.info.pop(PENDING_KEY, None)
