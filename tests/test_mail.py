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
    assert not greeting.startswith("Hello")  # the catalog has it
    parts = {part.get_content_type(): part.get_payload(decode=True).decode()
             for part in message_from_bytes(smtp_server.mailbox.messages[0].content).walk()
             if part.get_content_type() in ("text/plain", "text/html")}
    assert greeting in parts["text/plain"] and greeting in parts["text/html"]


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


# Nothing personal outlives its use

def stored(app):
    """The email rows as a copy of the database holds them."""
    with app.app_context():
        return [(m.status, m.payload, m.last_error) for m in db.session.scalars(email_rows())]


def test_a_queued_email_is_sealed_and_a_sent_one_keeps_nothing_but_its_name(app, client, smtp_server):
    post_form(client, email="binh@example.com")
    [(status, payload, _error)] = stored(app)
    assert status == PENDING and set(payload) == {"sealed", "email", "recipients"}
    assert "binh" not in str(payload) and "HN-" not in str(payload) and "/track/" not in str(payload)
    work(app)
    [(status, payload, _error)] = stored(app)
    assert status == DONE and payload == {"email": "acknowledgment", "recipients": 1}
    assert smtp_server.mailbox.messages[0].rcpt_tos == ["binh@example.com"]


def test_a_refusal_keeps_no_address_and_a_discarded_message_keeps_nothing(app, client, smtp_server, runner):
    async def refuse(server, session, envelope, address, options):
        return "550 5.1.1 <binh@example.com>: Recipient address rejected"
    smtp_server.handler.handle_RCPT = refuse
    post_form(client, email="binh@example.com")
    work(app)
    [(status, payload, error)] = stored(app)
    assert status == FAILED and "sealed" in payload and "550" in error and "binh" not in error
    assert "1 message(s) discarded" in runner.invoke(args=["outbox", "discard"]).output
    [(status, payload, error)] = stored(app)
    assert status == "discarded" and "sealed" not in payload
    assert client.get("/healthz").get_json()["outbox"]["failed"] == 0


def test_a_message_sealed_under_another_key_is_given_up(app, client, smtp_server, monkeypatch):
    post_form(client)
    monkeypatch.setitem(app.config, "SECRET_KEY", "a rotated secret key")
    work(app)
    [(status, _payload, error)] = stored(app)
    assert status == FAILED and "another secret key" in error and smtp_server.mailbox.messages == []


def test_emails_stored_in_full_before_are_sealed_or_dropped(tmp_path):
    """Migration 0023: a sent email keeps only that it was one; one not sent yet is sealed, and still goes."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from portal.outbox.sealing import unseal
    from tests.conftest import ROOT, migrated_app
    app = migrated_app(tmp_path, "mail_migration")
    message = {"to": "an@example.com", "subject": "HN-2026-AAAAA", "text": "t", "html": "h", "message_id": "<x@y>"}
    with app.app_context():
        downgrade(directory=str(ROOT / "migrations"), revision="0022")
        for status in ("done", "pending"):
            db.session.execute(text("INSERT INTO outbox_message (topic, payload, status, attempts, last_error, "
                                    "available_at, created_at) VALUES ('email', :payload, :status, 0, '', "
                                    "'2026-03-01 03:00:00+00:00', '2026-03-01 03:00:00+00:00')"),
                               {"payload": __import__("json").dumps(message), "status": status})
        db.session.commit()
        upgrade(directory=str(ROOT / "migrations"))
        rows = dict(db.session.execute(text("SELECT status, payload FROM outbox_message")).all())
        done, pending = (__import__("json").loads(rows[s]) if isinstance(rows[s], str) else rows[s]
                         for s in ("done", "pending"))
        assert "an@example.com" not in str(done) + str(pending) and "sealed" not in done
        assert unseal(pending["sealed"]) == message
        db.engine.dispose()


def test_an_address_no_server_can_carry_is_given_up_not_retried_forever(app, smtp_server):
    """One stored before the form refused them: accents before the @."""
    from portal.notifications import queue_email
    with app.test_request_context():
        queue_email("password_reset", "nguyễn@example.com", locale="vi", subject="x", user=None, link="x")
        db.session.commit()
    work(app)
    [(status, _payload, error)] = stored(app)
    assert status == FAILED and "nguyễn" not in error and smtp_server.mailbox.messages == []
