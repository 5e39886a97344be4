"""Storing residents' files under UPLOAD_DIR with random names, and finding them again.

A file is stored as soon as it arrives, even when another field of the form is wrong, so the resident does not
have to choose it again; until the complaint is filed it belongs to nobody but the session that sent it."""
import hashlib
import os
import secrets
from pathlib import Path

from flask import current_app, session
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from limits import RateLimitItemPerDay
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal.complaints.models import UNCLAIMED, Attachment
from portal.complaints.uploads import UploadRejected, clean_upload
from portal.extensions import db, limiter

SESSION_KEY = "pending_uploads"
SESSION_BYTES_KEY = "pending_upload_bytes"
MB = 1024 * 1024
DEFAULT_ADDRESS_BUDGET = 50 * MB  # a day: two full forms and some, for everybody behind one address


def upload_root():
    return Path(current_app.config["UPLOAD_DIR"])


def path_of(attachment):
    return upload_root() / attachment.stored_name[:2] / attachment.stored_name


def store(clean):
    """Write a cleaned file atomically and return its (not yet linked) Attachment.

    The file is removed again if the transaction that adds its row does not commit, so a failed request leaves
    no file without a row."""
    stored_name = secrets.token_hex(16) + clean.extension
    target = upload_root() / stored_name[:2] / stored_name
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".part")
    temporary.write_bytes(clean.data)
    os.replace(temporary, target)
    db.session.info.setdefault(_WRITTEN, []).append(target)
    attachment = Attachment(token=secrets.token_urlsafe(32), stored_name=stored_name,
                            original_name=clean.original_name, mime=clean.mime, size=len(clean.data),
                            sha256=hashlib.sha256(clean.data).hexdigest())
    db.session.add(attachment)
    return attachment


def discard(attachment):
    """Delete an unlinked upload: its row now, its file once that deletion is committed."""
    db.session.delete(attachment)
    db.session.info.setdefault(_DISCARDED, []).append(path_of(attachment))


_WRITTEN, _DISCARDED = "portal.uploads.written", "portal.uploads.discarded"


@event.listens_for(Session, "after_commit")
def _files_follow_commit(session):
    session.info.pop(_WRITTEN, None)
    for path in session.info.pop(_DISCARDED, []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_transaction_end")
def _files_follow_rollback(session, transaction):
    if transaction.parent is None:  # the whole transaction ended without a commit: its new files go
        session.info.pop(_DISCARDED, None)
        for path in session.info.pop(_WRITTEN, []):
            path.unlink(missing_ok=True)


def pending():
    """The files this session uploaded for the complaint it is writing."""
    tokens = session.get(SESSION_KEY) or []
    if not tokens:
        return []
    rows = db.session.scalars(select(Attachment).where(Attachment.token.in_(tokens), UNCLAIMED))
    return sorted(rows, key=lambda row: tokens.index(row.token))


def forget_pending(filed=False):
    """A new form starts without the earlier files; once a complaint is filed its files no longer count against
    the session's budget."""
    session.pop(SESSION_KEY, None)
    if filed:
        session.pop(SESSION_BYTES_KEY, None)


def clean_files(files):
    """Read and clean the sent files: the slow part (photos are re-encoded), done before the transaction.

    Returns (clean files, a message per refused file)."""
    cleaned, errors = [], []
    for file in files:
        if not file or not file.filename:
            continue
        try:
            cleaned.append(clean_upload(file.read(current_app.config["MAX_CONTENT_LENGTH"] + 1), file.filename))
        except UploadRejected as rejected:
            errors.append(rejected.message)
    return cleaned, errors


def accept_uploads(cleaned, removed_tokens=()):
    """Store newly cleaned files next to the ones kept from earlier tries; the ones removed are deleted.

    Returns (attachments, errors): the session's files after this request and a message per refused file."""
    kept = []
    for attachment in pending():
        if attachment.token in set(removed_tokens):
            discard(attachment)
            session[SESSION_BYTES_KEY] = max(0, session.get(SESSION_BYTES_KEY, 0) - attachment.size)
        else:
            kept.append(attachment)
    kept, errors = _store_within_limits(cleaned, kept, budget=_budget_refusal)
    db.session.flush()
    session[SESSION_KEY] = [a.token for a in kept]
    return kept, errors


def store_staff_files(files):
    """Check and store files staff attach (evidence with an answer). Returns (attachments, errors)."""
    cleaned, errors = clean_files(files)
    stored, refused = _store_within_limits(cleaned, [])
    return stored, errors + refused


def _store_within_limits(cleaned, kept, budget=lambda size: None):
    """Store each clean file after those in `kept`, within the count and size limits and the `budget`."""
    errors = []
    for clean in cleaned:
        error = _refusal(kept, clean.data, current_app.config) or budget(len(clean.data))
        if error is None:
            kept.append(store(clean))
        else:
            errors.append(error)
    return kept, errors


def _refusal(kept, data, config):
    if len(kept) >= config["MAX_ATTACHMENTS"]:
        return _l("You can attach at most %(count)d files.", count=config["MAX_ATTACHMENTS"])
    if sum(a.size for a in kept) + len(data) > config["MAX_ATTACHMENTS_BYTES"]:
        return _l("All files together may not exceed %(mb)d MB. Please send smaller photos.",
                  mb=config["MAX_ATTACHMENTS_BYTES"] // MB)
    return None


def _budget_refusal(size):
    """Charge a resident's file to the session's and the address's budgets, or say why it cannot be kept.

    Files are stored before the rest of the form is valid (so a resident never chooses them twice), so without a
    budget a script could fill the disk with invalid posts. A session may keep what the form itself holds (files
    it removed no longer count); an address may store UPLOAD_BYTES_PER_ADDRESS a day, for every session."""
    used = session.get(SESSION_BYTES_KEY, 0)
    if used + size > current_app.config["MAX_ATTACHMENTS_BYTES"]:
        return _l("You have already sent %(mb)d MB of files with this form, as much as one submission may hold. "
                  "Please send your complaint with the files you have, or remove one before adding another.",
                  mb=used // MB)
    if not _address_may_store(size):
        return _l("Too many files have been sent from your connection today. Please send your complaint without "
                  "new files, or add them tomorrow.")
    session[SESSION_BYTES_KEY] = used + size
    return None


def _address_may_store(size):
    """Count `size` bytes against the sender's daily budget, if there is room (kept where the rate limits are)."""
    if not limiter.enabled:
        return True
    budget = RateLimitItemPerDay(current_app.config.get("UPLOAD_BYTES_PER_ADDRESS", DEFAULT_ADDRESS_BUDGET))
    address = get_remote_address()
    if not limiter.limiter.test(budget, "upload-bytes", address, cost=size):
        return False
    return limiter.limiter.hit(budget, "upload-bytes", address, cost=size)
