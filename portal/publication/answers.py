"""The published answers as the public sees them: the question and the agency's answer as a reviewer approved them
(portal/publication/review.py), with the case's place in the directory.

Only the fields below ever leave here: never the filer, the tracking code, the staff reference, the dossier
code, the official, attachments, internal notes, or any text a person has not approved."""
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.complaints.models import Complaint
from portal.extensions import db
from portal.i18n import localized
from portal.paging import page_of

PER_PAGE = 20
PUBLISHED = Complaint.published_at.is_not(None)  # the SQL face of publication.rule.published_since


@dataclass(frozen=True)
class PublicAnswer:
    id: int  # the public identifier: neither the tracking code nor the staff reference
    subject: str
    text: str
    reply: str
    category: str
    ward: str
    agency: str
    answered_at: datetime


class Memo(dict):
    """A dict that forgets its oldest entries past `size`."""

    def __init__(self, size):
        super().__init__()
        self.size = size

    def remember(self, key, value):
        self[key] = value
        while len(self) > self.size:
            self.pop(next(iter(self)), None)
        return value


def published_page(page, per_page=PER_PAGE):
    """Page `page` of the published answers, newest first (the partial index ix_complaint_published)."""
    total = db.session.scalar(select(func.count()).select_from(Complaint).where(PUBLISHED))
    query = _loading().where(PUBLISHED).order_by(Complaint.published_at.desc(), Complaint.id.desc())
    found = page_of(query, page, per_page, total, scalars=True)
    return replace(found, items=public_answers(found.items))


def published_answer(answer_id):
    """The published answer `answer_id`, or None (unknown, or not public)."""
    complaint = db.session.scalars(_loading().where(Complaint.id == answer_id, PUBLISHED)).first()
    return public_answers([complaint])[0] if complaint else None


def published_complaints(ids):
    """The complaints among `ids` that are public now, in the order of `ids` (search results: the index may
    lag behind the database by a worker round)."""
    found = {c.id: c for c in db.session.scalars(_loading().where(Complaint.id.in_(ids), PUBLISHED)).unique()}
    return [found[i] for i in ids if i in found]


def public_answers(complaints):
    return [_public(complaint) for complaint in complaints]


def _public(complaint):
    version = complaint.public_version
    return PublicAnswer(id=complaint.id, subject=version.subject, text=version.text, reply=version.reply,
                        category=_name(complaint.category), ward=_name(complaint.ward),
                        agency=_name(complaint.agency), answered_at=complaint.answered_at)


def _name(row):
    return localized(row.name_vi, row.name_en) if row is not None else ""


def _loading():
    return select(Complaint).options(joinedload(Complaint.public_version), joinedload(Complaint.category),
                                     joinedload(Complaint.ward), joinedload(Complaint.agency))
