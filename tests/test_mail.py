"""Acknowledgments go through the outbox to a real SMTP server on loopback, and survive the server being down."""
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

from flask_babel import force_locale, gettext
from sqlalchemy import select

from portal.extensions import db
from portal.outbox.models import DONE, FAILED, PENDING, OutboxMessage
from portal.outbox.worker import run_once
from portal.timeutil import freeze, utcnow
from tests.helpers import post_form, queued_emails


def work(app):
    """One worker round; returns how many emails it tried (index updates go by the same round)."""
    with app.app_context():
        before = {m.id: (m.status, m.attempts) for m in db.session.scalars(email_rows())}
        run_once()
        db.session.expire_all()
        after = db.session.scalars(email_rows()).all()
        return sum(1 for m in after if (m.status, m.attempts) != before.get(m.id))


def email_rows():
    return select(OutboxMessage).where(OutboxMessage.topic == "email")


def statuses(app):
    with app.app_context():
        return sorted(m.status for m in queued_emails())


def subject(envelope):
    return str(make_header(decode_header(message_from_bytes(envelope.content)["Subject"])))


def test_acknowledgment_is_delivered_after_commit(app, client, smtp_server):
    post_form(client, email="binh@example.com")
    assert smtp_server.mailbox.messages == []  # nothing is sent inside the request
    assert work(app) == 1
    [envelope] = smtp_server.mailbox.messages
    assert envelope.rcpt_tos == ["binh@example.com"]
    body = message_from_bytes(envelope.content)
    text = next(part for part in body.walk() if part.get_content_type() == "text/plain")
    content = text.get_payload(decode=True).decode()
    assert "http://portal.test/track/" in content
    assert "HN-" in subject(envelope)
    assert statuses(app) == [DONE]


def test_vietnamese_filers_get_a_vietnamese_email(app, smtp_server):
    client = app.test_client()  # no language chosen: Vietnamese
    post_form(client)
    work(app)
    assert "HN-" in subject(smtp_server.mailbox.messages[0])
    with app.test_request_context(), force_locale("vi"):
        greeting = gettext("Hello %(name)s,", name="Nguyễn Văn An")
        [message] = queued_emails()
    assert not greeting.startswith("Hello")  # the catalog has it
    assert greeting in message.payload["text"] and greeting in message.payload["html"]


def test_server_down_then_back_every_acknowledgment_arrives_exactly_once(app, client, smtp_server):
    smtp_server.stop()
    for number in range(3):
        assert post_form(client, email=f"dan{number}@example.com").status_code == 303  # filing never waits
    assert work(app) == 3
    assert statuses(app) == [PENDING] * 3
    with app.app_context():
        assert all(m.attempts == 1 and "Connection" in m.last_error for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.topic == "email")))
    smtp_server.start()
    assert work(app) == 0  # backing off: not due yet
    with freeze(utcnow() + timedelta(minutes=2)):
        assert work(app) == 3
        assert work(app) == 0
    received = sorted(e.rcpt_tos[0] for e in smtp_server.mailbox.messages)
    assert received == ["dan0@example.com", "dan1@example.com", "dan2@example.com"]
    assert statuses(app) == [DONE] * 3


def test_a_killed_worker_leaves_its_rows_to_be_retried(app, client, smtp_server):
    post_form(client)
    with app.app_context():
        from portal.outbox.worker import claim
        assert len(claim(10)) >= 1  # claimed, then the worker dies before sending
    assert work(app) == 0  # leased: another worker leaves it alone
    with freeze(utcnow() + timedelta(minutes=6)):
        assert work(app) == 1
    assert len(smtp_server.mailbox.messages) == 1


def test_an_address_refused_for_good_is_marked_failed_and_shown(app, client, smtp_server):
    async def refuse(server, session, envelope, address, options):
        return "550 No such user here"
    smtp_server.handler.handle_RCPT = refuse
    post_form(client)
    work(app)
    assert statuses(app) == [FAILED]
    health = client.get("/healthz").get_json()
    assert health["outbox"]["failed"] == 1 and health["status"] == "degraded"


def test_a_sent_email_whose_outcome_cannot_be_recorded_at_once_is_not_sent_again(app, client, smtp_server,
                                                                                 monkeypatch):
    """The database was busy just after the mail server accepted the message: the recording is retried, not
    the send, so the row is done and no copy follows when the lease ends."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from portal.outbox import worker
    post_form(client)
    busy = iter([True])
    original_done = worker._done

    def done_after_one_busy_try(message):
        if next(busy, False):
            raise OperationalError("UPDATE outbox_message", {}, sqlite3.OperationalError("database is locked"))
        original_done(message)
    monkeypatch.setattr(worker, "_done", done_after_one_busy_try)
    monkeypatch.setattr(worker.time, "sleep", lambda seconds: None)
    work(app)
    with freeze(utcnow() + timedelta(minutes=6)):
        work(app)
    assert len(smtp_server.mailbox.messages) == 1
    assert statuses(app) == [DONE]
