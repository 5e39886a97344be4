"""What inspectors and the Department of Home Affairs do with an inspection case. Each operation checks the state
machine and the version the page showed, changes the case, appends its history event (the hash chain shared with
the complaints) and queues the notifications; the request commits once.

Nothing of an inspection reaches the agency inspected: its events are never public, its emails go to inspection
roles only, and the complaints it grew from get one public update when it closes, in general words."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.accounts.roles import Permission, Role
from portal.cases import notify
from portal.cases.workflow import CaseError, check_version
from portal.complaints.codes import new_inspection_reference
from portal.domain.deadlines import work_calendar
from portal.extensions import db
from portal.history import record_event, record_inspection_event
from portal.oversight.models import Finding, InspectionCase
from portal.oversight.states import PARTY_NOTICE_DAYS, TRANSITIONS, InspectionStatus, Origin, Recommendation
from portal.patterns.officials import canonical_official
from portal.timeutil import to_local, utcnow

S = InspectionStatus


def actor(user):
    return f"user:{user.id}"


def may_conduct(user, inspection):
    """Members of the team (the one who opened it is one) act on an inspection; others who may see it read it."""
    return user.can(Permission.CONDUCT_INSPECTIONS) and any(member.id == user.id for member in inspection.members)


def move(inspection, target):
    target = S(target)
    if target not in TRANSITIONS[inspection.status_enum]:
        raise CaseError(_l("An inspection that is “%(now)s” cannot become “%(target)s”.",
                           now=inspection.status_enum.label, target=target.label))
    inspection.status = target.value


def open_inspection(user, *, origin, allegations, due_at, agency=None, desk="", official_name="",
                    official_position="", party_member=False, plan="", members=(), complaints=(),
                    unannounced=False, pattern=None):
    """A new inspection case, with the one who opened it in its team. `pattern` is (dimension, key) for an
    inspection opened from a repeated-problem group."""
    if not user.can(Permission.CONDUCT_INSPECTIONS):
        raise CaseError(_l("You may not open inspections."))
    if agency is None and not official_name:
        raise CaseError(_l("Please name the agency or the official to be inspected."))
    if not allegations:
        raise CaseError(_l("Please write what is alleged or what the check is about."))
    if due_at is None or due_at <= utcnow():
        raise CaseError(_l("Please set a deadline in the future."))
    if any(not m.can(Permission.CONDUCT_INSPECTIONS) or not m.active for m in members):
        raise CaseError(_l("Team members must be active inspectors or staff of the Department of Home Affairs."))
    inspection = InspectionCase(
        reference=new_inspection_reference(to_local(utcnow()).year), origin=Origin(origin).value,
        unannounced=bool(unannounced), agency=agency, desk=desk, official_name=official_name,
        official_position=official_position, official_key=canonical_official(official_name),
        party_member=bool(party_member), allegations=allegations, plan=plan, due_at=due_at, opened_by_id=user.id,
        pattern_dimension=pattern[0] if pattern else "", pattern_key=pattern[1] if pattern else "")
    inspection.members = _unique([user, *members])
    inspection.complaints = _unique(complaints)
    db.session.add(inspection)
    record_inspection_event(inspection, "inspection_opened", actor=actor(user), data={
        "origin": inspection.origin, "complaints": [c.reference for c in inspection.complaints],
        "members": [m.id for m in inspection.members], "pattern": list(pattern) if pattern else None})
    return inspection


def _unique(rows):
    seen = {}
    for row in rows:
        seen.setdefault(row.id, row)
    return list(seen.values())


def start_investigation(inspection, user, *, version):
    check_version(inspection, version)
    move(inspection, S.INVESTIGATING)
    record_inspection_event(inspection, "investigating", actor=actor(user))


def add_finding(inspection, user, *, text, substantiated, files=()):
    """A finding on the allegations, with its evidence files, while investigating."""
    if inspection.status != S.INVESTIGATING.value:
        raise CaseError(_l("Findings are recorded while the inspection is investigating."))
    if not text:
        raise CaseError(_l("Please describe the finding."))
    finding = Finding(inspection=inspection, text=text, substantiated=bool(substantiated), created_by_id=user.id)
    db.session.add(finding)
    db.session.flush()
    for attachment in files:
        attachment.finding_id = finding.id
    record_inspection_event(inspection, "finding_added", actor=actor(user), note=text,
                            data={"finding": finding.id, "substantiated": bool(substantiated), "files": len(files)})
    return finding


def establish_findings(inspection, user, *, version):
    check_version(inspection, version)
    if not inspection.findings:
        raise CaseError(_l("Record at least one finding first."))
    move(inspection, S.FINDINGS)
    record_inspection_event(inspection, "findings_established", actor=actor(user))


def reopen_investigation(inspection, user, *, version, reason):
    check_version(inspection, version)
    if not reason:
        raise CaseError(_l("Please say what must still be verified."))
    move(inspection, S.INVESTIGATING)
    record_inspection_event(inspection, "investigating", actor=actor(user), note=reason)


def recommend(inspection, user, *, version, recommendation, reason):
    """The measure the findings call for, with its reasoning. A measure against a party member starts the
    countdown to tell their party organisation; a referral to the commission is sent to it at once."""
    check_version(inspection, version)
    if recommendation not in Recommendation._value2member_map_:
        raise CaseError(_l("Please choose a recommendation."))
    if not reason:
        raise CaseError(_l("Please give the reasoning for the recommendation."))
    measure = Recommendation(recommendation)
    if measure is not Recommendation.NONE and not any(f.substantiated for f in inspection.findings):
        raise CaseError(_l("A measure needs at least one substantiated finding."))
    move(inspection, S.RECOMMENDATION)
    now = utcnow()
    inspection.recommendation, inspection.recommendation_reason = measure.value, reason
    if inspection.party_member and measure.disciplines:
        inspection.party_notice_due_at = work_calendar().deadline(now, PARTY_NOTICE_DAYS, "working_days")
    record_inspection_event(inspection, "recommended", actor=actor(user), note=reason, data={
        "recommendation": measure.value,
        "party_notice_due": inspection.party_notice_due_at.isoformat() if inspection.party_notice_due_at else None})
    if measure is Recommendation.PARTY_COMMISSION:
        _tell(Role.COMMISSION, inspection, "inspection_referred",
              _l("Inspection %(ref)s is referred to the commission", ref=inspection.reference))


def record_party_notice(inspection, user, *, note):
    """The party organisation of the disciplined member was told (with the document's number and date)."""
    if inspection.party_notice_due_at is None:
        raise CaseError(_l("This inspection does not call for a notice to a party organisation."))
    if inspection.party_notified_at is not None:
        raise CaseError(_l("The party organisation has already been told."))
    if not note:
        raise CaseError(_l("Please give the notice's number and date."))
    inspection.party_notified_at = utcnow()
    record_inspection_event(inspection, "party_notified", actor=actor(user), note=note)


def close(inspection, user, *, version):
    """Close the inspection. Each complaint it grew from gets one public update saying that it concluded and
    what followed, in general words (Recommendation.public_outcome), and its filer is told by email."""
    check_version(inspection, version)
    move(inspection, S.CLOSED)
    inspection.closed_at = utcnow()
    record_inspection_event(inspection, "inspection_closed", actor=actor(user))
    outcome = Recommendation(inspection.recommendation).public_outcome
    for complaint in inspection.complaints:
        # Only an event: a change of the complaint's row would move its version, and an agency officer whose form
        # then met "somebody else changed this case" with nothing new on the page could guess an inspection.
        record_event(complaint, "inspection_concluded", public=True, note=str(outcome))
        notify.tell_resident(complaint, "inspection_concluded", outcome=outcome)


def check_party_notices(now=None):
    """The worker's watch: a party organisation not told within five working days is escalated, once, to the
    commission and the Department of Home Affairs. Returns how many were escalated."""
    now = now or utcnow()
    missed = db.session.scalars(select(InspectionCase).where(
        InspectionCase.party_notice_due_at < now, InspectionCase.party_notified_at.is_(None),
        InspectionCase.party_notice_escalated_at.is_(None))).all()
    for inspection in missed:
        inspection.party_notice_escalated_at = now
        record_inspection_event(inspection, "party_notice_missed",
                                data={"due": inspection.party_notice_due_at.isoformat()})
        for role in (Role.COMMISSION, Role.HOME_AFFAIRS):
            _tell(role, inspection, "party_notice_missed",
                  _l("Party organisation not told in time: inspection %(ref)s", ref=inspection.reference))
    db.session.commit()
    return len(missed)


def _tell(role, inspection, event, subject):
    notify.tell_staff(notify.staff_with_role(role), event, subject, inspection=inspection)
