"""Writing to the outbox: part of the caller's transaction, so the message exists exactly when the change does."""
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.timeutil import utcnow


def enqueue(topic, payload, *, complaint=None):
    message = OutboxMessage(topic=topic, payload=payload, complaint_id=complaint.id if complaint else None,
                            available_at=utcnow())
    db.session.add(message)
    return message
