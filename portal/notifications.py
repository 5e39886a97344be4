"""Emails: rendered in the recipient's language when the event happens, queued in the outbox, sent by the worker.

Templates are `templates/emails/<event>.txt` and `.html`, rendered from the same context. The rendered message
(address, text, links, codes) is sealed in the outbox row (portal/outbox/sealing.py) and dropped once sent: the row
keeps only what operators need (which email, to how many, its status, attempts and errors)."""
import smtplib
import uuid

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Message

from portal.extensions import mail
from portal.outbox import enqueue
from portal.outbox.sealing import SEALED, Unreadable, seal, unseal
from portal.outbox.worker import PermanentFailure, handles


def queue_email(event, recipient, *, locale, subject, complaint=None, **context):
    """Render `event`'s email for `recipient` and put it in the outbox (sent after commit)."""
    return enqueue("email", render_email(event, recipient, locale=locale, subject=subject, **context),
                   complaint=complaint)


def render_email(event, recipient, *, locale, subject, **context):
    """The outbox payload of `event`'s email for `recipient`: the message sealed, and which email it is."""
    with force_locale(locale):
        message = {
            "to": recipient,
            "subject": str(subject),
            "text": render_template(f"emails/{event}.txt", **context),
            "html": render_template(f"emails/{event}.html", **context),
            "message_id": f"<{uuid.uuid4().hex}@{_mail_domain()}>",
        }
    return {SEALED: seal(message), "email": event, "recipients": 1}


def _mail_domain():
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    return sender.rsplit("@", 1)[-1].strip(">") if "@" in sender else "localhost"


@handles("email")
def send_email(payload):
    """Hand one email to the SMTP server. The Message-ID stays the same across retries, so a receiving system
    can drop the rare copy sent twice (accepted, then the worker died before noting it)."""
    try:
        payload = unseal(payload[SEALED])
    except Unreadable as error:
        raise PermanentFailure(str(error)) from error
    message = Message(
        subject=payload["subject"],
        recipients=[payload["to"]],
        body=payload["text"],
        html=payload["html"],
        extra_headers={"Message-ID": payload["message_id"]},
    )
    try:
        mail.send(message)
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPNotSupportedError, UnicodeEncodeError) as error:
        # refused, or an address the servers on the way cannot carry (accents before the @): never sent by retrying
        raise PermanentFailure(str(error)) from error
    except smtplib.SMTPResponseException as error:
        if 500 <= error.smtp_code < 600:
            raise PermanentFailure(str(error)) from error
        raise
