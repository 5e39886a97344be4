"""The worker: claims due outbox rows, carries each out, and records the result.

A row is leased (locked_until) before it is worked on, so a worker killed half-way leaves it to be retried
once the lease ends; on PostgreSQL the claim uses FOR UPDATE SKIP LOCKED so several workers never take the
same row. A failure waits longer each time (capped), and only errors that cannot heal (the mail server refusing
the address for good) stop the retries and show on /healthz."""
import time
from collections import namedtuple
from datetime import timedelta
from functools import partial

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.exc import OperationalError

from portal.cases.redaction import PUBLIC, redact
from portal.database import read_only
from portal.domain.deadlines import forget_calendar
from portal.extensions import db
from portal.outbox.models import DONE, FAILED, PENDING, OutboxMessage, WorkerBeat
from portal.outbox.sealing import without_sealed
from portal.timeutil import utcnow

LEASE = timedelta(minutes=5)
RECORD_PATIENCE = 120  # seconds spent retrying to record an outcome; well within the lease
HANDLERS = {}
BATCH_TOPICS = set()  # topics whose handler takes every due payload at once (one index writer per round)


class PermanentFailure(Exception):
    """The other side refused for good: retrying cannot help."""


def handles(topic, batch=False):
    """Register the function that carries out one topic's messages (with `batch`, a list of payloads)."""
    def register(function):
        HANDLERS[topic] = function
        if batch:
            BATCH_TOPICS.add(topic)
        return function
    return register


Leased = namedtuple("Leased", "id topic payload")


def claim(limit):
    """Lease up to `limit` due rows and return them (committed, so other workers skip them)."""
    now = utcnow()
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == PENDING, OutboxMessage.available_at <= now)
        .where(or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now))
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for row in rows:
        row.locked_until = now + LEASE
    leased = [Leased(row.id, row.topic, row.payload) for row in rows]
    db.session.commit()
    return leased


def backoff(attempts):
    """Seconds to wait after the n-th failure: 30 s, 1 min, 2 min... up to the configured cap."""
    return min(30 * 2 ** (attempts - 1), current_app.config["OUTBOX_MAX_BACKOFF_SECONDS"])


def process(message):
    """Carry out one leased row, then record the outcome."""
    _carry_out([message], lambda: HANDLERS[message.topic](message.payload))


def process_batch(messages):
    """Carry out leased rows of a batch topic together; they succeed or are retried together."""
    _carry_out(messages, lambda: HANDLERS[messages[0].topic]([m.payload for m in messages]))


def _carry_out(messages, call):
    """Call the handler outside any write transaction (it only reads the database), then record what happened.

    Once the other side accepted the message, only the recording is retried, never the call: an email is sent
    once. Only a worker killed between the mail server's acceptance and the recording (or a database down for
    longer than RECORD_PATIENCE) leaves the row to be sent again after its lease, with the same Message-ID."""
    try:
        with read_only():
            call()
    except Exception as error:  # PermanentFailure stops the retries; any other fault is retried later
        _record(messages, partial(_failed, error=error, give_up=isinstance(error, PermanentFailure)))
    else:
        _record(messages, _done)


def _record(messages, outcome):
    """Apply `outcome` to the rows and commit, retrying while the database is busy or briefly away."""
    deadline = time.monotonic() + RECORD_PATIENCE
    while True:
        try:
            for row in db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_([m.id for m in messages]))):
                outcome(row)
            db.session.commit()
            return
        except OperationalError:
            db.session.rollback()
            if time.monotonic() >= deadline:
                raise
            current_app.logger.warning("recording outbox %s failed; retrying", [m.id for m in messages])
            time.sleep(0.5)


def _done(message):
    message.status, message.done_at, message.locked_until = DONE, utcnow(), None
    message.payload = without_sealed(message.payload)  # nothing personal outlives its use


def _failed(message, error, give_up):
    reported = redact(f"{type(error).__name__}: {error}", scope=PUBLIC)  # a mail server names the address
    current_app.logger.warning("outbox %s (%s) failed: %s", message.id, message.topic, reported)
    message.attempts += 1
    message.last_error = reported[:2000]
    message.locked_until = None
    if give_up:
        message.status = FAILED
    else:
        message.available_at = utcnow() + timedelta(seconds=backoff(message.attempts))


def run_once(limit=None):
    """One round: every due row, batch after batch. Returns how many rows were worked on."""
    limit = limit or current_app.config["OUTBOX_BATCH_SIZE"]
    done = 0
    while messages := claim(limit):
        batched = [m for m in messages if m.topic in BATCH_TOPICS]
        for topic in sorted({m.topic for m in batched}):
            process_batch([m for m in batched if m.topic == topic])
        for message in messages:
            if message.topic not in BATCH_TOPICS:
                process(message)
        done += len(messages)
    beat()
    return done


def beat(error=""):
    row = db.session.get(WorkerBeat, "worker") or WorkerBeat(name="worker")
    row.last_run_at, row.last_error = utcnow(), error
    db.session.add(row)
    db.session.commit()


def run_forever(jobs=(), poll_seconds=None, rounds=None):
    """The worker's loop: the outbox, then any scheduled job that is due. A database outage is waited out,
    never fatal."""
    poll_seconds = poll_seconds or current_app.config["WORKER_POLL_SECONDS"]
    count = 0
    while rounds is None or count < rounds:
        try:
            run_once()
            for job in jobs:
                job.run_if_due()
        except Exception:
            current_app.logger.exception("worker round failed; retrying")
            db.session.rollback()
        db.session.remove()
        forget_calendar()  # calendar edits reach the next round
        count += 1
        time.sleep(poll_seconds)


class PeriodicJob:
    """A function run by the worker every `seconds` (deadline checks, clean-ups)."""

    def __init__(self, seconds, function):
        self.seconds, self.function, self.last = seconds, function, None

    def run_if_due(self):
        if self.last is None or time.monotonic() - self.last >= self.seconds:
            self.function()
            self.last = time.monotonic()

