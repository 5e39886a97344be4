"""Storing residents' files under UPLOAD_DIR with random names, and finding them again.

A file is stored as soon as it arrives, even when another field of the form is wrong, so the resident does not
have to choose it again; until the complaint is filed it belongs to nobody but the session that sent it."""
import hashlib
import os
import secrets
from pathlib import Path

from flask import current_app, session
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.complaints.models import Attachment
from portal.complaints.uploads import UploadRejected, clean_upload
from portal.extensions import db

SESSION_KEY = "pending_uploads"


def upload_root():
    return Path(current_app.config["UPLOAD_DIR"])


def path_of(attachment):
    return upload_root() / attachment.stored_name[:2] / attachment.stored_name


def store(clean):
    """Write a cleaned file atomically and return its (not yet linked) Attachment."""
    stored_name = secrets.token_hex(16) + clean.extension
    target = upload_root() / stored_name[:2] / stored_name
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".part")
    temporary.write_bytes(clean.data)
    os.replace(temporary, target)
    attachment = Attachment(token=secrets.token_urlsafe(32), stored_name=stored_name,
                            original_name=clean.original_name, mime=clean.mime, size=len(clean.data),
                            sha256=hashlib.sha256(clean.data).hexdigest())
    db.session.add(attachment)
    return attachment


def pending():
    """The files this session uploaded for the complaint it is writing."""
    tokens = session.get(SESSION_KEY) or []
    if not tokens:
        return []
    rows = db.session.scalars(select(Attachment).where(Attachment.token.in_(tokens),
                                                       Attachment.complaint_id.is_(None)))
    return sorted(rows, key=lambda row: tokens.index(row.token))


def forget_pending():
    session.pop(SESSION_KEY, None)


def accept_uploads(files, removed_tokens=()):
    """Check and store newly sent files next to the ones kept from earlier tries.

    Returns (attachments, errors): the session's files after this request and a message per refused file."""
    kept = [a for a in pending() if a.token not in set(removed_tokens)]
    kept, errors = _check_and_store(files, kept)
    db.session.flush()
    session[SESSION_KEY] = [a.token for a in kept]
    return kept, errors


def store_staff_files(files):
    """Check and store files staff attach (evidence with an answer). Returns (attachments, errors)."""
    return _check_and_store(files, [])


def _check_and_store(files, kept):
    """Store each acceptable file after those in `kept`, within the count and size limits."""
    config = current_app.config
    errors = []
    for file in files:
        if not file or not file.filename:
            continue
        data = file.read(config["MAX_CONTENT_LENGTH"] + 1)
        error = _refusal(kept, data, config)
        if error is None:
            try:
                kept.append(store(clean_upload(data, file.filename)))
            except UploadRejected as rejected:
                error = rejected.message
        if error is not None:
            errors.append(error)
    return kept, errors


def _refusal(kept, data, config):
    if len(kept) >= config["MAX_ATTACHMENTS"]:
        return _l("You can attach at most %(count)d files.", count=config["MAX_ATTACHMENTS"])
    if sum(a.size for a in kept) + len(data) > config["MAX_ATTACHMENTS_BYTES"]:
        return _l("All files together may not exceed %(mb)d MB. Please send smaller photos.",
                  mb=config["MAX_ATTACHMENTS_BYTES"] // (1024 * 1024))
    return None

