"""A resident's account (one per verified email) and the sign-in code last sent to an email."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from portal.complaints.models import Filer
from portal.complaints.validators import canonical_email
from portal.domain.enums import TitledEnum
from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow


class Notifications(TitledEnum):
    EACH = ("each", _l("An email on each update"))
    WEEKLY = ("weekly", _l("A weekly digest of what changed"))


class ResidentAccount(db.Model):
    __tablename__ = "resident_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # account_email(): canonical, lower case
    notifications: Mapped[str] = mapped_column(String(10), default=Notifications.EACH.value)
    locale: Mapped[str] = mapped_column(String(5), default="vi")  # of the last sign-in: the digest's language
    session_generation: Mapped[int] = mapped_column(Integer, default=0)  # signing out moves it on: every session ends
    created_at = mapped_column(UTCDateTime, default=utcnow)
    digest_since = mapped_column(UTCDateTime)  # the weekly digest reports the public events after this moment

    @property
    def notifications_enum(self):
        return Notifications(self.notifications)


class ResidentSignInCode(db.Model):
    """The code last sent to an email (a new request replaces it). The email itself is not stored, only its
    HMAC: typing somebody's address leaves no readable trace of it here."""

    __tablename__ = "resident_sign_in_code"
    email_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    digest: Mapped[str | None] = mapped_column(String(64))  # None once used or out of tries
    tries_left: Mapped[int] = mapped_column(Integer, default=0)
    expires_at = mapped_column(UTCDateTime)
    requested_at = mapped_column(UTCDateTime)


def account_email(typed):
    """The form an email is kept in by accounts (canonical, lower case), or None when it is not an email."""
    canonical = canonical_email((typed or "").strip())
    return canonical.lower() if canonical else None


def filed_with(email):
    """The SQL condition "the filer gave `email`", in any letter case (through the index on lower(email))."""
    return func.lower(Filer.email) == func.lower(email)
