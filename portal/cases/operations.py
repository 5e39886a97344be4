"""What staff do to a case. Each operation checks the state machine and the version the page showed,
changes the case, appends its history event and queues the notifications; the request commits once."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.accounts.roles import Permission
from portal.cases import notify
from portal.cases.leadership import official_leads
from portal.cases.models import APPROVED, PENDING, REFUSED, ExtensionRequest
from portal.cases.redaction import MARKER, identity_left
from portal.cases.sharing import refuse_unshareable
from portal.cases.visibility import can_reveal_identity, is_secret_identity
from portal.cases.workflow import CaseError, check_version, move
from portal.domain.deadlines import clock_for, work_calendar
from portal.domain.enums import Kind, Status
from portal.extensions import db
from portal.history import record_event
from portal.publication.rule import await_review
from portal.timeutil import utcnow

REJECTION_REASONS = {
    "not_competent": _l("It is not within the competence of the city's administration."),
    "duplicate": _l("The same matter has already been submitted and is being handled."),
    "already_resolved": _l("The matter has already been resolved by a final decision."),
    "not_enough_information": _l("There is not enough information to handle it; please file again with details."),
    "court": _l("The matter is before a court."),
    "abusive": _l("The content is abusive or not a request to the administration."),
    "other": _l("Other reason (explained below)."),
}


def actor(user):
    return f"user:{user.id}"


def accept(complaint, user, *, version, agency, category, problem_type, ward=None, kind=None,
           complex_case=False, redacted_title=None, redacted_description=None, shared_files=(), looked_at=(),
           redacted_copies=(), copies_looked_at=False):
    """Intake accepts a new submission, with its classification and the agency that will handle it. For a tố
    cáo, `shared_files` are the ids of the filer's files the agency may see (`looked_at`: those whose pictures
    intake confirmed show no identity), and `redacted_copies` files intake made for the agency instead."""
    check_version(complaint, version)
    _refuse_partial_agency(complaint, agency)
    if is_secret_identity(complaint) and (kind or complaint.kind) != complaint.kind:
        # The filer chose a tố cáo and with it the secrecy of her name: another kind would show it to the agency.
        raise CaseError(_l("A denunciation stays a denunciation: its filer's identity is protected by law. If it "
                           "is not one, do not accept it and explain why, so that the resident can file again."))
    changes = _classify(complaint, kind=kind or complaint.kind, category=category, problem_type=problem_type,
                        ward=ward)
    if complaint.kind == Kind.TO_CAO.value:
        _protect_denouncer(complaint, redacted_title, redacted_description, shared_files, looked_at)
        for copy in redacted_copies:
            refuse_unshareable(complaint, copy, copies_looked_at)
    move(complaint, Status.ASSIGNED)
    now = utcnow()
    complaint.accepted_at, complaint.complex_case = now, bool(complex_case)
    complaint.resolve_due_at = resolution_deadline(complaint, now)
    complaint.routing_kept = agency.id == complaint.suggested_agency_id
    complaint.agency = agency
    accepted = record_event(complaint, "accepted", actor=actor(user), public=True, data={"changes": changes})
    _attach(complaint, accepted, redacted_copies)
    record_event(complaint, "assigned", actor=actor(user), public=True,
                 data={"agency": agency.code, "suggested": complaint.suggested_agency.code
                       if complaint.suggested_agency else None, "kept": complaint.routing_kept})
    notify.tell_resident(complaint, "accepted")
    _tell_agency(complaint, "assigned")


def _classify(complaint, **values):
    """Set the intake's classification; return what changed as {field: [before, after]}."""
    changes = {}
    for field, value in values.items():
        before = getattr(complaint, field)
        if before != value:
            changes[field] = [_code(before), _code(value)]
            setattr(complaint, field, value)
    return changes


def _code(value):
    return getattr(value, "code", value)


def _protect_denouncer(complaint, title, description, shared_files, looked_at):
    if not (title and description):
        raise CaseError(_l("A denunciation goes to the agency only as a redacted text: please fill in the "
                           "subject and the text the agency will see, without anything that identifies the "
                           "denouncer."))
    _refuse_identity(complaint, _l("The subject the agency will see"), title)
    _refuse_identity(complaint, _l("The text the agency will see"), description)
    complaint.redacted_title, complaint.redacted_description = title, description
    shared, looked_at = set(shared_files), set(looked_at)
    for attachment in complaint.attachments:
        if attachment.id in shared:
            refuse_unshareable(complaint, attachment, attachment.id in looked_at)
        attachment.shared_with_agency = attachment.id in shared


def _refuse_identity(complaint, field, text):
    """Refuse a redacted text that still identifies the denouncer, naming what is left in it."""
    left = identity_left(text, complaint.filer, complaint.official_name, complaint.dossier_code)
    if left:
        raise CaseError(_l("%(field)s still contains %(items)s. Please remove it (the suggested text replaces it "
                           "with “%(marker)s”) before sending the case to the agency.", field=field,
                           items=", ".join(str(item) for item in left), marker=MARKER))


def _refuse_identity_from_knower(complaint, user, field, text):
    """Refuse a text the agency will read on a tố cáo when its author may know the denouncer (intake,
    inspectors) and it names them. Only theirs: checking what agency staff type would confirm their guesses."""
    if text and is_secret_identity(complaint) and user.can(Permission.REVEAL_IDENTITY):
        _refuse_identity(complaint, field, text)


def _refuse_partial_agency(complaint, agency):
    if official_leads(complaint, agency):
        raise CaseError(_l("The official named in this case leads %(agency)s: send it to the supervising body or "
                           "to the Department of Home Affairs.", agency=agency.name))


def resolution_deadline(complaint, start):
    """When the answer is due for a case accepted (or reopened) at `start`: the kind's period, or its longer
    period for a complex case."""
    clock = clock_for(complaint.kind)
    if complaint.complex_case and clock.resolve_complex_amount:
        return work_calendar().deadline(start, clock.resolve_complex_amount, clock.resolve_complex_unit)
    return work_calendar().deadline(start, clock.resolve_amount, clock.resolve_unit)


def reject(complaint, user, *, version, reason, note=""):
    check_version(complaint, version)
    if reason not in REJECTION_REASONS:
        raise CaseError(_l("Please choose a reason for not accepting it."))
    if reason == "other" and not note:
        raise CaseError(_l("Please explain the reason to the resident."))
    move(complaint, Status.REJECTED)
    complaint.rejection_reason, complaint.closed_at = reason, utcnow()
    record_event(complaint, "rejected", actor=actor(user), public=True, note=note, data={"reason": reason})
    notify.tell_resident(complaint, "rejected", reason=REJECTION_REASONS[reason], note=note)


def merge(complaint, into, user, *, version, note=""):
    """Handle a duplicate with its main case: the resident follows the main case from now on."""
    check_version(complaint, version)
    if into is None or into.id == complaint.id or not into.status_enum.is_open:
        raise CaseError(_l("Choose an open case, other than this one, to merge into."))
    if is_secret_identity(complaint) != is_secret_identity(into):
        # Merged, the two would be shown side by side (the agency's links, the resident's code of the main case).
        raise CaseError(_l("A denunciation is merged only with another denunciation: it is handled under the Law "
                           "on Denunciations and its filer's identity is protected. Handle the two separately."))
    _refuse_identity_from_knower(complaint, user, _l("The note"), note)
    move(complaint, Status.MERGED)
    complaint.merged_into, complaint.closed_at = into, utcnow()
    record_event(complaint, "merged", actor=actor(user), public=True, note=note, data={"into": into.code})
    record_event(into, "duplicate_merged", actor=actor(user), data={"from": complaint.code})
    notify.tell_resident(complaint, "merged")


def transfer(complaint, agency, user, *, version, reason):
    check_version(complaint, version)
    if not reason:
        raise CaseError(_l("Please give the reason for the transfer."))
    if agency is None or agency.id == complaint.agency_id or not agency.is_active():
        raise CaseError(_l("Choose another agency that is active today."))
    _refuse_partial_agency(complaint, agency)
    _refuse_identity_from_knower(complaint, user, _l("The reason for the transfer"), reason)
    move(complaint, Status.ASSIGNED)
    before, complaint.agency = complaint.agency, agency
    _unassign(complaint)  # the new agency's head names its own officer
    record_event(complaint, "transferred", actor=actor(user), public=True, note=reason,
                 data={"from": before.code if before else None, "to": agency.code})
    notify.tell_resident(complaint, "transferred", agency=agency)
    _tell_agency(complaint, "assigned")


def assign_officer(complaint, officer, user, *, version, task, reason="", publish=False):
    """The agency head names the officer who owns the case and what they are to do ("5 rõ": rõ người, rõ việc).
    A reassignment says why. The event stays among staff; the filer sees the name only if `publish`."""
    check_version(complaint, version)
    if complaint.status not in (Status.ASSIGNED.value, Status.IN_PROGRESS.value):
        raise CaseError(_l("Only a case being handled by the agency can be assigned to an officer."))
    if officer is None or officer.agency_id != complaint.agency_id or not officer.active \
            or not officer.can(Permission.HANDLE_CASES):
        raise CaseError(_l("Choose an active officer of the handling agency."))
    if not task:
        raise CaseError(_l("Please say what the officer is to do."))
    before = complaint.assignee_id
    if before is not None and not reason:
        raise CaseError(_l("Please give the reason for assigning the case to someone else."))
    if before == officer.id and task == complaint.assignee_task and bool(publish) == complaint.assignee_public:
        raise CaseError(_l("The case is already assigned so."))
    complaint.assignee, complaint.assignee_task, complaint.assignee_public = officer, task, bool(publish)
    record_event(complaint, "officer_assigned" if before is None else "officer_reassigned", actor=actor(user),
                 note=reason, data={"officer": officer.id, "from": before, "task": task, "public": bool(publish)})
    notify.tell_staff([officer], "officer_assigned", _l("Case %(code)s is assigned to you", code=complaint.reference),
                      c=complaint, task=task)


def _unassign(complaint):
    complaint.assignee, complaint.assignee_task, complaint.assignee_public = None, "", False


def start(complaint, user, *, version):
    check_version(complaint, version)
    move(complaint, Status.IN_PROGRESS)
    record_event(complaint, "in_progress", actor=actor(user), public=True)


def add_note(complaint, user, *, text, share_with_agency=False):
    """An internal note: staff only, never shown to the resident. On a tố cáo, a note by someone who may reveal
    the denouncer's identity stays among those who may, unless they choose to share it with the agency."""
    if not text:
        raise CaseError(_l("The note is empty."))
    confidential = may_keep_confidential(user, complaint) and not share_with_agency
    if not confidential:
        _refuse_identity_from_knower(complaint, user, _l("A note shared with the agency"), text)
    return record_event(complaint, "note", actor=actor(user), note=text,
                        data={"confidential": True} if confidential else None)


def may_keep_confidential(user, complaint):
    """Whether `user`'s notes on `complaint` are confidential unless shared (the note form then offers sharing)."""
    return is_secret_identity(complaint) and user.can(Permission.REVEAL_IDENTITY)


def reply(complaint, user, *, text, files=()):
    """A public message to the resident that does not end the case."""
    if not text:
        raise CaseError(_l("Please write the reply."))
    if not complaint.status_enum.is_open:
        raise CaseError(_l("This case is closed."))
    event = record_event(complaint, "replied", actor=actor(user), public=True, note=text)
    _attach(complaint, event, files)
    notify.tell_resident(complaint, "replied", text=text)
    return event


def answer(complaint, user, *, version, text, resolved, files=()):
    """The agency's answer. A resolved problem needs evidence: vague answers without proof are the first
    reason residents are dissatisfied."""
    check_version(complaint, version)
    if not text:
        raise CaseError(_l("Please write the answer to the resident."))
    if resolved and not files:
        raise CaseError(_l("Please attach evidence that the problem is resolved (a document or a photo)."))
    move(complaint, Status.ANSWERED)
    complaint.answered_at = utcnow()
    await_review(complaint)
    event = record_event(complaint, "answered", actor=actor(user), public=True, note=text,
                         data={"resolved": bool(resolved), "evidence": len(files)})
    _attach(complaint, event, files)
    notify.tell_resident(complaint, "answered", text=text)


def _attach(complaint, event, files):
    for attachment in files:
        attachment.complaint, attachment.event_id, attachment.shared_with_agency = complaint, event.id, True


def close(complaint, user, *, version, note=""):
    check_version(complaint, version)
    move(complaint, Status.CLOSED)
    complaint.closed_at = utcnow()
    record_event(complaint, "closed", actor=actor(user), public=True, note=note)


def request_extension(complaint, user, *, version, reason):
    check_version(complaint, version)
    if not reason:
        raise CaseError(_l("Please give the reason for needing more time."))
    if complaint.status not in (Status.ASSIGNED.value, Status.IN_PROGRESS.value):
        raise CaseError(_l("Only a case being handled can be extended."))
    if any(r.status == PENDING for r in _requests(complaint)):
        raise CaseError(_l("An extension request is already waiting for the agency head."))
    _within_limit(complaint)
    request = ExtensionRequest(complaint=complaint, requested_by=user, reason=reason)
    db.session.add(request)
    record_event(complaint, "extension_requested", actor=actor(user), note=reason)
    heads = [u for u in notify.agency_staff(complaint.agency) if u.role == "agency_head"]
    notify.tell_staff(heads, "extension_requested", _l("Extension requested for %(code)s", code=complaint.reference),
                      c=complaint, reason=reason)
    return request


def _requests(complaint):
    return db.session.scalars(select(ExtensionRequest).where(ExtensionRequest.complaint_id == complaint.id)).all()


def _within_limit(complaint):
    clock = clock_for(complaint.kind)
    if complaint.extensions_used >= clock.max_extensions:
        raise CaseError(_l("The law allows at most %(n)d extension(s) for this kind of case.",
                           n=clock.max_extensions))
    return clock


def decide_extension(request, user, *, approve, note=""):
    """The agency head approves (the deadline moves by the kind's extension) or refuses."""
    complaint = request.complaint
    if request.status != PENDING:
        raise CaseError(_l("This request has already been decided."))
    if user.agency_id != complaint.agency_id:
        raise CaseError(_l("Only the head of the handling agency decides its extensions."))
    request.status, request.decided_by, request.decided_at = (APPROVED if approve else REFUSED), user, utcnow()
    request.decision_note = note
    if not approve:
        record_event(complaint, "extension_refused", actor=actor(user), note=note)
        return
    clock = _within_limit(complaint)
    before = complaint.resolve_due_at
    complaint.resolve_due_at = work_calendar().deadline(before, clock.extension_amount, clock.extension_unit)
    complaint.extensions_used += 1
    complaint.resolve_reminded_at = complaint.resolve_escalated_at = None
    record_event(complaint, "extended", actor=actor(user), public=True, note=request.reason,
                 data={"from": before.isoformat(), "to": complaint.resolve_due_at.isoformat()})
    notify.tell_resident(complaint, "extended", reason=request.reason)


def reveal_identity(complaint, user, *, reason):
    """Intake or an inspector looks at a denouncer's identity: allowed with a reason, and always recorded."""
    if not can_reveal_identity(user, complaint):
        raise CaseError(_l("You may not see this denouncer's identity."))
    if not reason or len(reason.strip()) < 10:
        raise CaseError(_l("Please give the reason you need to see the identity (at least 10 characters)."))
    record_event(complaint, "identity_revealed", actor=actor(user), note=reason)


def _tell_agency(complaint, event):
    notify.tell_staff(notify.agency_staff(complaint.agency), event,
                      _l("New case %(code)s for your agency", code=complaint.reference), c=complaint)
