"""What the oversight pages read: a named official's record, the "slow to correct" list, and the commission's
lists. An official's complaints per month come from the figures the worker keeps per official and day (GroupDay);
the "slow to correct" counts read each warned official's own complaints since the measure, through the
(official_key, created_at) index; inspections come from their own small table. Nothing scans every complaint."""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.complaints.models import Complaint
from portal.extensions import db
from portal.figures.models import GroupDay
from portal.oversight.models import Finding, InspectionCase, RecordView, inspection_complaint
from portal.oversight.states import InspectionStatus, Recommendation
from portal.paging import page_of
from portal.timeutil import day_start, local_date

SLOW_AFTER = 2  # complaints naming the official after a corrective measure that mark them "slow to correct"
PER_PAGE = 50


@dataclass(frozen=True)
class OfficialRecord:
    key: str
    name: str
    by_month: list  # [(first day of the month, complaints filed naming the official)], oldest first
    inspections: list  # InspectionCase about them, newest first
    slow: "SlowToCorrect | None"


def official_record(key, user):
    """The record of the official with the grouping key `key`, and the view logged (in the caller's commit)."""
    db.session.add(RecordView(user_id=user.id, official_key=key))
    months = {}
    for day, filed in db.session.execute(select(GroupDay.day, GroupDay.filed).where(
            GroupDay.dimension == "official", GroupDay.key == key)):
        month = date(day.year, day.month, 1)
        months[month] = months.get(month, 0) + filed
    label = db.session.scalar(select(func.max(GroupDay.label)).where(
        GroupDay.dimension == "official", GroupDay.key == key))
    inspections = db.session.scalars(select(InspectionCase).where(InspectionCase.official_key == key)
                                     .options(joinedload(InspectionCase.agency), selectinload(InspectionCase.findings))
                                     .order_by(InspectionCase.created_at.desc())).unique().all()
    name = label or next((i.official_name for i in inspections), key)
    slow = next((s for s in slow_to_correct(keys={key})), None)
    return OfficialRecord(key=key, name=name, by_month=sorted(months.items()), inspections=inspections, slow=slow)


@dataclass(frozen=True)
class SlowToCorrect:
    key: str
    name: str
    inspection: InspectionCase  # the latest closed inspection with a corrective measure
    measure: Recommendation
    since: int  # complaints naming them filed after the day it closed


def slow_to_correct(keys=None):
    """Officials who were reminded, warned or criticised by a closed inspection and about whom complaints of the
    same kind kept coming afterwards (at least SLOW_AFTER naming them, filed after the Hanoi day it closed, about
    the problems of the inspection's complaints, or any problem when it had none): the case the city's plan asks
    the Department of Home Affairs to act on. Most complaints since first. Each count reads the official's own
    complaints since then, through the (official_key, created_at) index."""
    query = select(InspectionCase).where(
        InspectionCase.status == InspectionStatus.CLOSED.value, InspectionCase.official_key.is_not(None),
        InspectionCase.recommendation.in_([m.value for m in Recommendation if m.corrects]))
    if keys is not None:
        query = query.where(InspectionCase.official_key.in_(keys))
    latest = {}
    for inspection in db.session.scalars(query.order_by(InspectionCase.closed_at)):
        latest[inspection.official_key] = inspection
    found = []
    for key, inspection in latest.items():
        after = day_start(local_date(inspection.closed_at) + timedelta(days=1))
        same_kind = [Complaint.problem_type_id.in_({c.problem_type_id for c in inspection.complaints})] \
            if inspection.complaints else []
        since = db.session.scalar(select(func.count()).select_from(Complaint).where(
            Complaint.official_key == key, Complaint.created_at >= after, *same_kind))
        if since >= SLOW_AFTER:
            found.append(SlowToCorrect(key=key, name=inspection.official_name, inspection=inspection,
                                       measure=Recommendation(inspection.recommendation), since=int(since)))
    return sorted(found, key=lambda s: (-s.since, s.name))


def linked_inspections(complaint):
    """The inspections a complaint is part of, newest first (for the roles that may see inspections)."""
    return db.session.scalars(select(InspectionCase).join(
        inspection_complaint, inspection_complaint.c.inspection_id == InspectionCase.id).where(
        inspection_complaint.c.complaint_id == complaint.id).order_by(InspectionCase.created_at.desc())).all()


def inspections_page(page=1, status="", party_members=False, referred=False):
    """A page of inspection cases, newest first, with how many there are."""
    conditions = []
    if status in InspectionStatus._value2member_map_:
        conditions.append(InspectionCase.status == status)
    if party_members:
        conditions.append(InspectionCase.party_member.is_(True))
    if referred:
        conditions.append(InspectionCase.recommendation == Recommendation.PARTY_COMMISSION.value)
    total = db.session.scalar(select(func.count()).select_from(InspectionCase).where(*conditions))
    query = select(InspectionCase).where(*conditions).options(joinedload(InspectionCase.agency)) \
        .order_by(InspectionCase.created_at.desc(), InspectionCase.id.desc())
    return page_of(query, page, PER_PAGE, total, scalars=True)


@dataclass(frozen=True)
class FindingsCount:
    key: str
    name: str
    substantiated: int
    inspections: int


def most_substantiated(limit=20):
    """Officials with the most substantiated findings across inspections, most first."""
    rows = db.session.execute(
        select(InspectionCase.official_key, func.max(InspectionCase.official_name),
               func.count(Finding.id), func.count(func.distinct(InspectionCase.id)))
        .join(Finding, Finding.inspection_id == InspectionCase.id)
        .where(Finding.substantiated.is_(True), InspectionCase.official_key.is_not(None))
        .group_by(InspectionCase.official_key)
        .order_by(func.count(Finding.id).desc(), InspectionCase.official_key).limit(limit))
    return [FindingsCount(key, name, found, inspections) for key, name, found, inspections in rows]
