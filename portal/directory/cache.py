"""What each process derives from the directory, kept until the directory changes.

An entry is rebuilt when the directory's stamp (portal/directory/version.py, one primary-key read) or today's
date differs from the ones it was built under: agencies open and close by date, with no write at midnight.
Entries are per language, since names are shown in the visitor's language. Builders return plain values, not
ORM rows (rows belong to the session of the request that loaded them)."""
from datetime import date

from portal.directory.version import current_stamp
from portal.i18n import current_language

_entries = {}  # (name, language) -> ((stamp, date), value)


def cached(name, build):
    """`build()`, or the value it returned for the same directory, date and language."""
    key = (current_stamp(), date.today())
    slot = (name, current_language())
    entry = _entries.get(slot)
    if entry is None or entry[0] != key:
        entry = _entries[slot] = (key, build())
    return entry[1]
