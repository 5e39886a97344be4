"""The published answers as the public sees them: the question and the agency's answer, identities removed.

Only the fields below ever leave here: never the filer, the tracking code, the staff reference, the dossier
code, the official, attachments or internal notes. Texts go through the same redaction as a denunciation's
(portal/cases/redaction.py), then lose the case's own codes and the official's name."""
import re
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.cases.redaction import MARKER, redact, redact_anyone, redact_person
from portal.complaints.models import Complaint
from portal.extensions import db
from portal.history import CaseEvent
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


_redacted = Memo(2_000)


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
    replies = latest_replies([c.id for c in complaints])
    return [_public(complaint, replies.get(complaint.id, "")) for complaint in complaints]


def public_text(complaint, text):
    """`text` of `complaint` without anything that identifies its filer, its case or its official."""
    text = redact(text, complaint.filer, complaint.official_name, complaint.dossier_code)
    text = redact_person(text, complaint.official_name)
    for code in (complaint.code, complaint.reference):
        text = re.sub(re.escape(code), MARKER, text, flags=re.IGNORECASE)
    return redact_anyone(text)


def public_fields(complaint, reply):
    """(subject, text, reply) of `complaint` as published. The redaction costs a few milliseconds a text, so each
    process keeps the last results by everything they are made from (a page of answers is read far more often
    than its answers change)."""
    filer = complaint.filer
    key = (complaint.title, complaint.description, reply, complaint.official_name, complaint.dossier_code,
           complaint.code, complaint.reference, filer and (filer.full_name, filer.phone, filer.email, filer.address,
                                                           filer.tax_code, filer.organisation))
    found = _redacted.get(key)
    if found is None:
        found = _redacted.remember(key, tuple(public_text(complaint, text)
                                              for text in (complaint.title, complaint.description, reply)))
    return found


def _public(complaint, reply):
    subject, text, reply = public_fields(complaint, reply)
    return PublicAnswer(id=complaint.id, subject=subject, text=text, reply=reply,
                        category=_name(complaint.category), ward=_name(complaint.ward),
                        agency=_name(complaint.agency), answered_at=complaint.answered_at)


def _name(row):
    return localized(row.name_vi, row.name_en) if row is not None else ""


def _loading():
    return select(Complaint).options(joinedload(Complaint.filer), joinedload(Complaint.category),
                                     joinedload(Complaint.ward), joinedload(Complaint.agency))


def latest_replies(ids):
    """{complaint id: the text of its latest public answer}."""
    rows = db.session.execute(select(CaseEvent.complaint_id, CaseEvent.note)
                              .where(CaseEvent.complaint_id.in_(ids), CaseEvent.action == "answered",
                                     CaseEvent.public.is_(True))
                              .order_by(CaseEvent.complaint_id, CaseEvent.seq)) if ids else []
    return {complaint_id: note for complaint_id, note in rows}  # the last of each complaint's wins
