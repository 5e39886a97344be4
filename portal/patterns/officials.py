"""Officials named in complaints, grouped by a normalised key, with manual merges for what matching misses."""
from sqlalchemy import ForeignKey, String, bindparam, select, update
from sqlalchemy.orm import Mapped, mapped_column

from portal.complaints.models import Complaint
from portal.domain.text import official_key, procedure_key
from portal.extensions import db
from portal.figures.upkeep import refigure_later
from portal.search.queue import index_later
from portal.timeutil import UTCDateTime, utcnow


class OfficialAlias(db.Model):
    """`key` is the same person as `canonical` (merged by a staff member)."""

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    canonical: Mapped[str] = mapped_column(String(200), index=True)
    merged_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow)


def canonical_official(name):
    """The grouping key of an official's name, following manual merges; None when no official is named."""
    key = official_key(name)
    if not key:
        return None
    alias = db.session.get(OfficialAlias, key)
    return alias.canonical if alias else key


def set_grouping_keys(complaint):
    complaint.official_key = canonical_official(complaint.official_name)
    complaint.procedure_key = procedure_key(complaint.procedure_name) or None


def merge_officials(keys, canonical, user):
    """Treat every key in `keys` as the person `canonical`: past complaints move to it, future ones follow."""
    for key in set(keys) - {canonical}:
        alias = db.session.get(OfficialAlias, key) or OfficialAlias(key=key)
        alias.canonical, alias.merged_by_id = canonical, user.id
        db.session.add(alias)
        db.session.execute(update(OfficialAlias).where(OfficialAlias.canonical == key).values(canonical=canonical))
        moved = db.session.scalars(select(Complaint.id).where(Complaint.official_key == key)).all()
        db.session.execute(update(Complaint).where(Complaint.official_key == key)
                           .values(official_key=canonical, updated_at=Complaint.updated_at)
                           .execution_options(synchronize_session=False))
        index_later(db.session, moved)  # bulk updates bypass the flush hooks
        refigure_later(db.session, moved)


_table = Complaint.__table__
KEYS_BY_ID = _table.update().where(_table.c.id == bindparam("row_id")).values(  # not a change of the case:
    official_key=bindparam("official_key"), procedure_key=bindparam("procedure_key"),  # updated_at stays
    updated_at=_table.c.updated_at)


def backfill_keys(batch=2000):
    """Fill the grouping keys of complaints written without them (bulk imports, demo data)."""
    aliases = dict(db.session.execute(select(OfficialAlias.key, OfficialAlias.canonical)).all())
    done = 0
    while rows := db.session.execute(
            select(Complaint.id, Complaint.official_name, Complaint.procedure_name)
            .where(Complaint.official_key.is_(None), Complaint.procedure_key.is_(None),
                   (Complaint.official_name != "") | (Complaint.procedure_name != ""))
            .limit(batch)).all():
        index_later(db.session, [row.id for row in rows])
        refigure_later(db.session, [row.id for row in rows])
        db.session.execute(KEYS_BY_ID, [
            {"row_id": row.id, "official_key": _follow(aliases, official_key(row.official_name)) or "",
             "procedure_key": procedure_key(row.procedure_name) or ""} for row in rows])
        done += len(rows)
    db.session.commit()
    return done


def _follow(aliases, key):
    return aliases.get(key, key) if key else key
