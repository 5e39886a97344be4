"""Filling in the real filing form, as a resident's browser would."""
import io
from contextlib import contextmanager
from types import SimpleNamespace

from PIL import Image
from sqlalchemy import select

from portal.complaints.models import Complaint
from portal.extensions import db
from portal.timeutil import freeze
from tests.conftest import csrf_token

VALID = {
    "kind": "phan_anh",
    "category": "dat_dai",
    "problem_type": "delay",
    "concerned_agency": "",
    "ward": "",
    "title": "Hồ sơ cấp sổ đỏ quá hạn",
    "description": "Tôi nộp hồ sơ cấp giấy chứng nhận từ tháng 3, đã quá hạn hai tháng mà chưa có kết quả.",
    "filer_type": "individual",
    "full_name": "Nguyễn Văn An",
    "phone": "0912 345 678",
    "email": "an.nguyen@example.com",
    "address": "12 Phố Huế, Hà Nội",
    "contact_preference": "email",
    "truthful": "y",
}


def post_form(client, files=(), token=None, **fields):
    """POST the filing form with valid answers, changed by `fields` (None removes a field)."""
    data = {**VALID, **fields}
    data = {key: value for key, value in data.items() if value is not None}
    data["csrf_token"] = token or csrf_token(client, "/complaints/new")
    data["attachments"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post("/complaints/new", data=data, content_type="multipart/form-data")


def photo_bytes(fmt="JPEG", size=(64, 48), exif=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    image.save(buffer, fmt, **({"exif": exif} if exif is not None else {}))
    return buffer.getvalue()


def latest_complaint(app):
    with app.app_context():
        complaint = db.session.scalars(select(Complaint).order_by(Complaint.id.desc())).first()
        return complaint.code if complaint else None


def complaint_count(app):
    with app.app_context():
        return len(db.session.scalars(select(Complaint.id)).all())


@contextmanager
def demo_data(runner, n, seed, now):
    """`n` demo complaints (with their inspections and figures) generated as of the frozen `now`; the clock stays
    frozen there inside the block."""
    with freeze(now):
        result = runner.invoke(args=["demo", "generate", str(n), "--seed", str(seed)])
        assert result.exit_code == 0, result.output
        yield


def queued_emails():
    """The emails in the outbox, oldest first, each with its `payload` unsealed as the worker reads it (a sent one
    keeps nothing but which email it was)."""
    from portal.outbox.models import OutboxMessage
    from portal.outbox.sealing import SEALED, unseal
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.topic == "email").order_by(OutboxMessage.id))
    return [SimpleNamespace(id=row.id, status=row.status, row=row,
                            payload=unseal(row.payload[SEALED]) if SEALED in row.payload else row.payload)
            for row in rows]


def approve_publication(app, code, reviewer_id, **edits):
    """The reviewer approves the public version of the case with tracking code `code` as the machine suggests it,
    changed by `edits` (subject, text, reply), if it waits for review."""
    from portal.accounts.models import User
    from portal.publication.review import approve_publication as approve
    from portal.publication.review import machine_version
    from portal.publication.rule import awaits_review
    with app.app_context():
        complaint = db.session.scalars(select(Complaint).where(Complaint.code == code)).one()
        if awaits_review(complaint):
            approve(complaint, db.session.get(User, reviewer_id), version=complaint.version,
                    **{**machine_version(complaint), **edits})
            db.session.commit()


def delivered_emails(smtp_server):
    """The emails the SMTP server received, as {to, subject, text, html}, oldest first (the outbox keeps none of a
    sent one's content)."""
    from email import message_from_bytes
    from email.header import decode_header, make_header
    found = []
    for envelope in smtp_server.mailbox.messages:
        message = message_from_bytes(envelope.content)
        parts = {part.get_content_type(): part.get_payload(decode=True).decode() for part in message.walk()
                 if part.get_content_type() in ("text/plain", "text/html")}
        found.append({"to": envelope.rcpt_tos[0], "subject": str(make_header(decode_header(message["Subject"]))),
                      "text": parts.get("text/plain", ""), "html": parts.get("text/html", "")})
    return found
