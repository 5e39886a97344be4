"""API keys for other software (a city app, a hotline's system, a ward's kiosk) that files complaints over Open311.

A key is shown once, when it is created; only its SHA-256 digest is stored. The key is 256 random bits, so a plain
digest is enough (a slow password hash protects guessable secrets, which these are not)."""
import hashlib
import secrets

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow

PREFIX = "hn311_"


class ApiKey(db.Model):
    __tablename__ = "api_key"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(20))  # the key's first characters, to tell keys apart in `apikey list`
    created_at = mapped_column(UTCDateTime, default=utcnow)
    revoked_at = mapped_column(UTCDateTime)
    last_used_at = mapped_column(UTCDateTime)

    @property
    def active(self):
        return self.revoked_at is None


class ApiKeyError(Exception):
    """A refused key command, with the reason to print."""


def digest_of(key):
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(name):
    """(ApiKey, the key itself): the key is returned once and never stored."""
    name = " ".join(name.split())
    if not name:
        raise ApiKeyError("Give the key a name (the software or partner that will use it).")
    if db.session.scalars(select(ApiKey).where(ApiKey.name == name)).first() is not None:
        raise ApiKeyError(f"A key named {name!r} already exists.")
    key = PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(name=name, digest=digest_of(key), hint=key[:len(PREFIX) + 4], created_at=utcnow())
    db.session.add(row)
    return row, key


def revoke_key(name):
    row = db.session.scalars(select(ApiKey).where(ApiKey.name == name)).first()
    if row is None:
        raise ApiKeyError(f"No key is named {name!r}.")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


def active_key(key):
    """The active ApiKey for `key` as sent by a client, or None."""
    if not key:
        return None
    return db.session.scalars(select(ApiKey).where(ApiKey.digest == digest_of(key),
                                                   ApiKey.revoked_at.is_(None))).first()


def all_keys():
    return db.session.scalars(select(ApiKey).order_by(ApiKey.name)).all()
