"""The staff case pages: the list, one case with the actions the viewer may take, and those actions.

Views are thin: load the case, check the policy, call one operation, commit, redirect; on a refusal the page is
shown again with what was typed and the reason."""
from functools import wraps

from flask import abort, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from inspections import actions, bp
from inspections.case_listing import PER_PAGE, case_list_page
from inspections.case_page import build_forms, canned_replies, officers_of, posted_form
from inspections.triage import similar_cases
from portal.accounts.models import User
from portal.accounts.roles import Permission
from portal.cases import operations as ops
from portal.cases.agency_files import NotShareable, file_namer, served_file
from portal.cases.models import ExtensionRequest
from portal.cases.policy import may
from portal.cases.visibility import can_see_case, case_view, may_download, may_see_event, tracking_code_clause
from portal.cases.workflow import CaseError
from portal.complaints.attachments import store_staff_files
from portal.complaints.models import Attachment, Complaint
from portal.directory.choices import by_code
from portal.directory.models import Agency, Category, ProblemType, Ward
from portal.domain.enums import Kind, Status
from portal.extensions import db
from portal.history import CaseEvent
from portal.oversight.records import linked_inspections
from portal.paging import record_id
from portal.publication import review
from portal.publication.moderation import withdraw_publication
from portal.timeutil import utcnow

# What every case page shows of the case's directory entries and filer: loaded with the case in one statement
# instead of one lazy load each.
CASE_PAGE_LOADS = [joinedload(relation) for relation in (
    Complaint.filer, Complaint.agency, Complaint.concerned_agency, Complaint.category, Complaint.problem_type,
    Complaint.ward)]


def load_case(ref):
    """The case with the staff reference `ref` (staff URLs never carry the resident's tracking code)."""
    complaint = db.session.scalars(select(Complaint).where(Complaint.reference == ref).options(
        *CASE_PAGE_LOADS)).first()
    if complaint is None or not can_see_case(current_user, complaint):
        abort(404)
    return complaint


def case_action(action):
    """Load the case named in the URL and let through only those the policy allows to take `action`."""
    def decorate(view):
        @wraps(view)
        @login_required
        def guarded(ref):
            complaint = load_case(ref)
            if not may(current_user, action, complaint):
                abort(403)
            return view(complaint)
        return guarded
    return decorate


@bp.route("/cases")
@login_required
def case_list():
    page, filters = case_list_page(current_user, request.args)
    officers = officers_of(current_user.agency_id) if current_user.can(Permission.ASSIGN_CASES) else []
    return render_template("inspections/case_list.html", page=page, filters=filters, now=utcnow(), per_page=PER_PAGE,
                           statuses=list(Status), kinds=list(Kind), officers=officers)


@bp.route("/cases/<ref>")
@login_required
def case_page(ref):
    return render_case(load_case(ref))


def render_case(complaint, failed=None, error=None, status=200, revealed=False):
    """The case page; `failed` is a form to show again as typed, `error` the reason it was refused."""
    forms = build_forms(current_user, complaint, failed, canned=request.args.get("canned", type=record_id))
    events = [e for e in db.session.scalars(select(CaseEvent).where(CaseEvent.complaint_id == complaint.id)
                                            .order_by(CaseEvent.seq)) if may_see_event(current_user, e)]
    pending = db.session.scalars(select(ExtensionRequest).where(
        ExtensionRequest.complaint_id == complaint.id, ExtensionRequest.status == "pending")).first()
    similar = similar_cases(complaint, current_user)
    inspections = linked_inspections(complaint) if current_user.can(Permission.VIEW_INSPECTIONS) else []
    view = case_view(current_user, complaint, revealed)
    return render_template("inspections/case.html", c=complaint, view=view,
                           file_name=file_namer(current_user, complaint, view.attachments),
                           forms=forms, events=events, pending_extension=pending, error=error, similar=similar,
                           canned=canned_replies(complaint) if "reply" in forms else [],
                           actor_name=actor_names(events), now=utcnow(), inspections=inspections,
                           action_ref=complaint.reference), status


ASSIGNMENTS = ("officer_assigned", "officer_reassigned")


def actor_names(events):
    """A function naming each event's actor: the staff member's name, or the resident / the system."""
    ids = {int(e.actor.split(":")[1]) for e in events if e.actor.startswith("user:")}
    ids |= {e.data["officer"] for e in events if e.action in ASSIGNMENTS}
    names = {f"user:{u.id}": u.name for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
    labels = {"resident": _("the resident"), "system": _("the portal")}
    return lambda actor: names.get(actor) or labels.get(actor, actor)


def carry_out(complaint, form, operation, success):
    """Validate `form`, run `operation()`, commit and go back to the case; or show the form again."""
    return actions.carry_out(complaint, form, operation, success, render=render_case,
                             reload=lambda: load_case(complaint.reference),
                             done=url_for("inspections.case_page", ref=complaint.reference))


@bp.route("/cases/<ref>/accept", methods=["POST"])
@case_action("accept")
def accept(complaint):
    form = posted_form("accept", complaint)
    return carry_out(complaint, form, lambda: ops.accept(
        complaint, current_user, version=form.version.data, agency=by_code(Agency, form.agency.data),
        category=by_code(Category, form.category.data), problem_type=by_code(ProblemType, form.problem_type.data),
        ward=by_code(Ward, form.ward.data), kind=form.kind.data, complex_case=form.complex_case.data,
        redacted_title=form.redacted_title.data, redacted_description=form.redacted_description.data,
        shared_files=_ids(request.form.getlist("share_file")), looked_at=_ids(request.form.getlist("looked_at")),
        redacted_copies=_staff_files("redacted_copies"), copies_looked_at=bool(request.form.get("copies_looked_at"))),
        _("Accepted and sent to the agency."))


def _ids(values):
    """The row ids a form names; anything that cannot name a row is left out."""
    return {number for number in map(record_id, values) if number is not None}


@bp.route("/cases/<ref>/reject", methods=["POST"])
@case_action("reject")
def reject(complaint):
    form = posted_form("reject", complaint)
    return carry_out(complaint, form, lambda: ops.reject(
        complaint, current_user, version=form.version.data, reason=form.reason.data, note=form.note.data),
        _("The submission was not accepted; the resident is told why."))


@bp.route("/cases/<ref>/merge", methods=["POST"])
@case_action("merge")
def merge(complaint):
    form = posted_form("merge", complaint)
    return carry_out(complaint, form, lambda: ops.merge(
        complaint, _visible_case(form.into.data), current_user, version=form.version.data, note=form.note.data),
        _("Merged into the main case."))


def _visible_case(typed):
    """The case named by its reference, or by its tracking code where the viewer may see codes."""
    typed = (typed or "").strip().upper()
    complaint = db.session.scalars(select(Complaint).where(
        (Complaint.reference == typed) | ((Complaint.code == typed) & tracking_code_clause(current_user)))).first()
    return complaint if complaint is not None and can_see_case(current_user, complaint) else None


@bp.route("/cases/<ref>/transfer", methods=["POST"])
@case_action("transfer")
def transfer(complaint):
    form = posted_form("transfer", complaint)
    return carry_out(complaint, form, lambda: ops.transfer(
        complaint, by_code(Agency, form.agency.data), current_user, version=form.version.data,
        reason=form.reason.data), _("Transferred."))


@bp.route("/cases/<ref>/assign", methods=["POST"])
@case_action("assign")
def assign(complaint):
    form = posted_form("assign", complaint)
    officer_id = record_id(form.officer.data)
    return carry_out(complaint, form, lambda: ops.assign_officer(
        complaint, db.session.get(User, officer_id) if officer_id else None, current_user,
        version=form.version.data, task=form.task.data, reason=form.reason.data, publish=form.publish.data),
        _("The case is assigned; the officer is told by email."))


@bp.route("/cases/<ref>/start", methods=["POST"])
@case_action("start")
def start(complaint):
    form = posted_form("start", complaint)
    return carry_out(complaint, form, lambda: ops.start(complaint, current_user, version=form.version.data),
                     _("You are handling this case."))


@bp.route("/cases/<ref>/note", methods=["POST"])
@case_action("note")
def note(complaint):
    form = posted_form("note", complaint)
    return carry_out(complaint, form, lambda: ops.add_note(
        complaint, current_user, text=form.text.data, share_with_agency=form.share_with_agency.data),
        _("Note added."))


@bp.route("/cases/<ref>/unpublish", methods=["POST"])
@case_action("unpublish")
def unpublish(complaint):
    form = posted_form("unpublish", complaint)
    return carry_out(complaint, form, lambda: withdraw_publication(
        complaint, current_user, version=form.version.data, reason=form.reason.data),
        _("Taken off the public pages."))


@bp.route("/cases/<ref>/publish", methods=["POST"])
@case_action("review_publication")
def publish(complaint):
    form = posted_form("publish", complaint)
    return carry_out(complaint, form, lambda: review.approve_publication(
        complaint, current_user, version=form.version.data, subject=form.subject.data, text=form.text.data,
        reply=form.reply.data), _("Published on the public pages."))


@bp.route("/cases/<ref>/decline-publication", methods=["POST"])
@case_action("review_publication")
def decline_publication(complaint):
    form = posted_form("decline_publication", complaint)
    return carry_out(complaint, form, lambda: review.decline_publication(
        complaint, current_user, version=form.version.data, reason=form.reason.data), _("Not published."))


@bp.route("/cases/<ref>/reply", methods=["POST"])
@case_action("reply")
def reply(complaint):
    form = posted_form("reply", complaint)
    return carry_out(complaint, form, lambda: ops.reply(
        complaint, current_user, text=form.text.data, files=_evidence()), _("Reply sent to the resident."))


@bp.route("/cases/<ref>/answer", methods=["POST"])
@case_action("answer")
def answer(complaint):
    form = posted_form("answer", complaint)
    return carry_out(complaint, form, lambda: ops.answer(
        complaint, current_user, version=form.version.data, text=form.text.data, resolved=form.resolved.data,
        files=_evidence()), _("Answer sent to the resident."))


def _evidence():
    return _staff_files("files")


def _staff_files(field):
    """The files sent in `field`, checked and stored; a refused one is the operation's refusal."""
    files, errors = store_staff_files(request.files.getlist(field))
    if errors:
        raise CaseError(" ".join(str(error) for error in errors))
    return files


@bp.route("/cases/<ref>/close", methods=["POST"])
@case_action("close")
def close(complaint):
    form = posted_form("close", complaint)
    return carry_out(complaint, form, lambda: ops.close(
        complaint, current_user, version=form.version.data, note=form.note.data), _("Case closed."))


@bp.route("/cases/<ref>/extension", methods=["POST"])
@case_action("extension")
def extension(complaint):
    form = posted_form("extension", complaint)
    return carry_out(complaint, form, lambda: ops.request_extension(
        complaint, current_user, version=form.version.data, reason=form.reason.data),
        _("Extension requested; the agency head decides."))


@bp.route("/cases/<ref>/extension/decide", methods=["POST"])
@case_action("decide_extension")
def decide_extension(complaint):
    form = posted_form("decide", complaint)
    request_id = record_id(form.request_id.data)
    extension_request = db.session.get(ExtensionRequest, request_id) if request_id else None
    if extension_request is None or extension_request.complaint_id != complaint.id:
        return render_case(complaint, failed=form, error=_("There is no extension request to decide."), status=400)
    approve = request.form.get("decision") == "approve"
    return carry_out(complaint, form, lambda: ops.decide_extension(
        extension_request, current_user, approve=approve, note=form.note.data),
        _("Extension approved.") if approve else _("Extension refused."))


@bp.route("/cases/<ref>/reveal", methods=["POST"])
@case_action("reveal")
def reveal(complaint):
    form = posted_form("reveal", complaint)
    if not form.validate_on_submit():
        return render_case(complaint, failed=form, status=400)
    try:
        ops.reveal_identity(complaint, current_user, reason=form.reason.data)
    except CaseError as refusal:
        return render_case(complaint, failed=form, error=str(refusal), status=400)
    db.session.commit()  # the reveal is recorded before anything is shown
    return render_case(complaint, revealed=True)


@bp.route("/files/<token>")
@login_required
def staff_file(token):
    attachment = db.session.scalars(select(Attachment).where(Attachment.token == token)).first()
    if attachment is None or not may_download(current_user, attachment):
        abort(404)
    try:
        served = served_file(current_user, attachment)
    except NotShareable:
        abort(404)
    response = send_file(served.path, mimetype=attachment.mime, download_name=served.name, as_attachment=True,
                         max_age=0, etag=served.dated)
    if not served.dated:
        del response.headers["Last-Modified"]
    return response
