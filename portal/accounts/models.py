"""A staff member. Passwords are argon2 hashes; repeated failures lock the account for a while.

A session names its account by id and session generation. Signing out or changing the password moves the
generation on, so every copy of an earlier session cookie, on any device or in anybody's hands, stops working
(sessions live in signed cookies, which the server cannot otherwise take back)."""
from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.roles import Role, allows
from portal.directory.models import Agency
from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow


class User(UserMixin, db.Model):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    password_hash: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until = mapped_column(UTCDateTime)
    last_login_at = mapped_column(UTCDateTime)
    created_at = mapped_column(UTCDateTime, default=utcnow)

    agency = relationship(Agency)

    @property
    def is_active(self):  # Flask-Login refuses disabled accounts
        return self.active

    @property
    def role_enum(self):
        return Role(self.role)

    def can(self, permission):
        return allows(self.role, permission)

    def get_id(self):
        return f"{self.id}:{self.session_generation}"

