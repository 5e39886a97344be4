"""What each process derives from the directory, kept until the directory changes.

An entry is rebuilt when the directory's stamp (portal/directory/version.py, one primary-key read) or today's
date differs from the ones it was built under: agencies open and close by date, with no write at midnight.
Entries are per language, since names are shown in the visitor's language. Builders return plain values, not
ORM rows (rows belong to the session of the request that loaded them)."""

from flask import current_app
from sqlalchemy import select

from portal.directory.models import Agency, Category, ProblemType, Ward
from portal.directory.version import request_stamp
from portal.extensions import db
from portal.i18n import current_language
from portal.timeutil import hanoi_today


def cached(name, build, by_language=True):
    """`build()`, or the value it returned for the same directory, date (and language), in this app."""
    entries = current_app.extensions.setdefault("directory_cache", {})  # (name, language) -> (key, value)
    key = (request_stamp(), hanoi_today())
    slot = (name, current_language() if by_language else None)
    entry = entries.get(slot)
    if entry is None or entry[0] != key:
        entry = entries[slot] = (key, build())
    return entry[1]


def code_ids(model):
    """{code: id} of every row of a directory table."""
    return cached(f"{model.__tablename__} ids", lambda: dict(db.session.execute(select(model.code, model.id)).all()),
                  by_language=False)


NAMED_TABLES = (Category, ProblemType, Ward, Agency)  # the tables a case names


def directory_names():
    """{table: {id: name in the visitor's language}}, so that a page showing a case does not load its category,
    problem type, ward and agency one by one."""
    return _names_keyed_by("names", lambda row: row.id)


def names_by_code():
    """{table: {code in lower case, as the search index stores it: name in the visitor's language}}, closed
    entries included (old cases still name them)."""
    return _names_keyed_by("names by code", lambda row: row.code.lower())


def _names_keyed_by(name, key):
    return cached(name, lambda: {model.__tablename__: {key(row): row.name for row in db.session.scalars(select(model))}
                                 for model in NAMED_TABLES})
