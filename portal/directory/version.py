"""The directory's version: one row whose stamp changes in the same transaction as every write to a directory
table, whoever writes (`flask directory load`, the routing admin pages, a test, a script through the ORM).

Each process keeps what it derives from the directory (the filing form's choices, see portal/directory/cache.py)
until the stamp it reads differs: one primary-key read per request, correct across gunicorn workers and the
command line. The stamp is random rather than a counter, so a rolled-back write can never leave a stamp that a
later, different write would reuse."""
import uuid
from itertools import chain

from flask import g, has_app_context, has_request_context
from sqlalchemy import String, event, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.directory.models import DIRECTORY_MODELS
from portal.extensions import db

ROW_ID = 1
_REQUEST_STAMP = "directory_stamp"


class DirectoryVersion(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    stamp: Mapped[str] = mapped_column(String(32))


_table = DirectoryVersion.__table__


def current_stamp(session=None):
    """The directory's stamp as this transaction sees it (None before the first directory write)."""
    session = session or db.session
    return session.execute(select(_table.c.stamp).where(_table.c.id == ROW_ID)).scalar()


def request_stamp():
    """The stamp, read once per request (a request's own directory write forgets it, see `bump`); read each
    time outside a request (the worker's context lasts across rounds)."""
    if not has_request_context():
        return current_stamp()
    if _REQUEST_STAMP not in g:
        setattr(g, _REQUEST_STAMP, current_stamp())
    return g.get(_REQUEST_STAMP)


def bump(session=None):
    """Mark the directory changed, in the session's transaction. Core writes to directory tables (the
    loader's successor links) call it themselves; ORM writes are caught by the flush hook below."""
    if has_app_context():
        g.pop(_REQUEST_STAMP, None)
    connection = (session or db.session).connection()
    stamp = uuid.uuid4().hex
    if connection.execute(update(_table).where(_table.c.id == ROW_ID).values(stamp=stamp)).rowcount == 0:
        connection.execute(insert(_table).values(id=ROW_ID, stamp=stamp))


@event.listens_for(Session, "before_flush")
def _stamp_directory_writes(session, _flush_context, _instances):
    if _directory_changed(session):
        bump(session)


def _directory_changed(session):
    if any(isinstance(row, DIRECTORY_MODELS) for row in chain(session.new, session.deleted)):
        return True
    return any(isinstance(row, DIRECTORY_MODELS) and session.is_modified(row) for row in session.dirty)
