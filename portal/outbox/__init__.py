"""Side effects after commit: rows written in the same transaction as the change they report, carried out
later by the worker, retried with backoff, marked done only when the other side accepted them."""
from portal.outbox.models import OutboxMessage, WorkerBeat  # noqa: F401
from portal.outbox.queue import enqueue  # noqa: F401
