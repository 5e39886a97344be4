"""Inspection cases, officials' records and the commission's review.

Every route checks Permission.VIEW_INSPECTIONS (or VIEW_OFFICIAL_RECORDS) first: the agencies' staff hold neither,
so the agency inspected is refused on every page, file and export. Acting on an inspection takes membership of
its team; the commission reads only. Views are thin: parse a form, call one operation, commit, redirect."""
from datetime import timedelta
from functools import wraps

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from inspections import actions, bp
from inspections import inspection_forms as f
from inspections.case_page import case_choices
from portal.accounts.models import User
from portal.accounts.permissions import requires
from portal.accounts.roles import Permission, Role, allows
from portal.cases.workflow import CaseError
from portal.complaints.attachments import path_of, store_staff_files
from portal.complaints.models import Attachment, Complaint
from portal.directory.choices import by_code
from portal.directory.models import Agency
from portal.exports import table_response
from portal.extensions import db
from portal.formatting import local_time
from portal.history import CaseEvent
from portal.oversight import operations as ops
from portal.oversight.models import Finding, InspectionCase, RecordView
from portal.oversight.records import inspections_page, most_substantiated, official_record, slow_to_correct
from portal.oversight.states import InspectionStatus, Origin, Recommendation, recommendation_label
from portal.paging import page_number
from portal.patterns.groups import DIMENSIONS, WINDOWS, complaints_in_group
from portal.timeutil import day_start, local_date, utcnow

S = InspectionStatus
OFFICIAL_KEY_LENGTH = RecordView.official_key.type.length
INSPECTORS = [role.value for role in Role if allows(role, Permission.CONDUCT_INSPECTIONS)]
# form name -> (form class, statuses in which it is offered)
FORMS = {
    "start": (f.StartForm, {S.OPENED.value}),
    "finding": (f.FindingForm, {S.INVESTIGATING.value}),
    "establish": (f.EstablishForm, {S.INVESTIGATING.value}),
    "reopen": (f.ReopenForm, {S.FINDINGS.value}),
    "recommend": (f.RecommendForm, {S.FINDINGS.value}),
    "close": (f.CloseForm, {S.RECOMMENDATION.value}),
    "party_notice": (f.PartyNoticeForm, set(S._value2member_map_)),
}


# What the inspection page shows, each relation loaded in one statement, not one per row.
INSPECTION_PAGE_LOADS = [joinedload(InspectionCase.agency), joinedload(InspectionCase.opened_by),
                         selectinload(InspectionCase.members), selectinload(InspectionCase.complaints),
                         selectinload(InspectionCase.findings).selectinload(Finding.files)]


def load_inspection(ref):
    inspection = db.session.scalars(select(InspectionCase).where(InspectionCase.reference == ref).options(
        *INSPECTION_PAGE_LOADS)).first()
    if inspection is None:
        abort(404)
    return inspection


def inspection_action(view):
    """Load the inspection named in the URL; only members of its team get through."""
    @wraps(view)
    @requires(Permission.VIEW_INSPECTIONS)
    def guarded(ref):
        inspection = load_inspection(ref)
        if not ops.may_conduct(current_user, inspection):
            abort(403)
        return view(inspection)
    return guarded


@bp.route("/inspections")
@requires(Permission.VIEW_INSPECTIONS)
def inspection_list():
    status = request.args.get("status", "")
    page = inspections_page(request.args.get("page", 1, type=page_number), status=status)
    return render_template("inspections/inspection_list.html", page=page, status=status, statuses=list(S))


@bp.route("/inspections/export.<any(csv, xlsx):fmt>")
@requires(Permission.VIEW_INSPECTIONS)
def inspection_export(fmt):
    rows = db.session.scalars(select(InspectionCase).options(joinedload(InspectionCase.agency))
                              .order_by(InspectionCase.created_at.desc()).limit(10_000)).all()
    header = [_("Reference"), _("Status"), _("Opened"), _("Agency"), _("Official"), _("Party member"),
              _("Recommendation"), _("Closed")]
    return table_response(fmt, "inspections", header, [[
        i.reference, i.status_enum.label, local_time(i.created_at), i.agency.name if i.agency else "",
        i.official_name, _("yes") if i.party_member else _("no"),
        recommendation_label(i.recommendation), local_time(i.closed_at)] for i in rows])


# ---------------------------------------------------------------------------------------------------------------
# Opening an inspection: from complaints, from a pattern group, or on the inspectors' own initiative
# ---------------------------------------------------------------------------------------------------------------

def open_form(formdata=None):
    form = f.OpenInspectionForm(formdata=formdata)
    form.agency.use(case_choices()["agency"])
    colleagues = db.session.scalars(select(User).where(User.active, User.role.in_(INSPECTORS)).order_by(User.name))
    form.members.choices = [(str(u.id), u.name) for u in colleagues if u.id != current_user.id]
    return form


def _prefill(form, args):
    """What the address the inspector came from says: the complaints (?case=REF, repeated) or the pattern group
    (?dimension=&key=&days=) the inspection is opened from."""
    references = args.getlist("case")
    dimension, key = args.get("dimension", ""), args.get("key", "")
    if dimension in DIMENSIONS and key:
        days = args.get("days", 90, type=int)
        group = complaints_in_group(current_user, dimension, key, days if days in WINDOWS else 90, utcnow())
        references = [c.reference for c in group.items]
        form.pattern_dimension.data, form.pattern_key.data = dimension, key
        if dimension == "agency":
            form.agency.data = key
        if dimension == "official":
            form.official_name.data = group.items[0].official_name if group.items else key
    complaints = _complaints(references)
    form.cases.data = "\n".join(c.reference for c in complaints)
    if complaints and not form.agency.data and complaints[0].agency:
        form.agency.data = complaints[0].agency.code
    if complaints and not form.official_name.data:
        form.official_name.data = complaints[0].official_name
        form.official_position.data = complaints[0].official_position
    form.due.data = local_date(utcnow()) + timedelta(days=30)  # a Hanoi date, as the field says


def _complaints(references):
    wanted = {r.strip().upper() for r in references if r.strip()}
    if not wanted:
        return []
    return db.session.scalars(select(Complaint).where(Complaint.reference.in_(wanted))
                              .options(joinedload(Complaint.agency)).order_by(Complaint.id)).all()


def _typed_references(text):
    return [part for part in text.replace(",", "\n").split() if part]


@bp.route("/inspections/new", methods=["GET", "POST"])
@requires(Permission.CONDUCT_INSPECTIONS)
def open_inspection():
    if request.method == "GET":
        form = open_form()
        _prefill(form, request.args)
        return render_template("inspections/inspection_new.html", form=form)
    form = open_form(request.form)
    error = None
    if form.validate_on_submit():
        typed = _typed_references(form.cases.data)
        complaints = _complaints(typed)
        unknown = sorted({r.upper() for r in typed} - {c.reference for c in complaints})
        members = db.session.scalars(select(User).where(User.id.in_([int(i) for i in form.members.data]))).all()
        pattern = (form.pattern_dimension.data, form.pattern_key.data) \
            if form.pattern_dimension.data in DIMENSIONS and form.pattern_key.data else None
        try:
            if unknown:
                raise CaseError(_l("No complaint has the reference %(refs)s.", refs=", ".join(unknown)))
            inspection = ops.open_inspection(
                current_user, origin=_origin(complaints, pattern), allegations=form.allegations.data,
                due_at=day_start(form.due.data + timedelta(days=1)), agency=by_code(Agency, form.agency.data),
                desk=form.desk.data, official_name=form.official_name.data,
                official_position=form.official_position.data, party_member=form.party_member.data,
                plan=form.plan.data, members=members, complaints=complaints, unannounced=form.unannounced.data,
                pattern=pattern)
            db.session.commit()
            flash(_("Inspection %(ref)s opened.", ref=inspection.reference), "success")
            return redirect(url_for("inspections.inspection_page", ref=inspection.reference))
        except CaseError as refusal:
            db.session.rollback()
            error = str(refusal)
    error = error or _("Please check the form.")
    return render_template("inspections/inspection_new.html", form=form, error=error), 400


def _origin(complaints, pattern):
    """Where the inspection comes from: a pattern group, complaints, or the team's own initiative."""
    if pattern:
        return Origin.PATTERN.value
    return Origin.COMPLAINTS.value if complaints else Origin.OWN.value


# ---------------------------------------------------------------------------------------------------------------
# One inspection and what its team does with it
# ---------------------------------------------------------------------------------------------------------------

@bp.route("/inspections/<ref>")
@requires(Permission.VIEW_INSPECTIONS)
def inspection_page(ref):
    return render_inspection(load_inspection(ref))


def render_inspection(inspection, failed=None, error=None, status=200):
    forms = {}
    if ops.may_conduct(current_user, inspection):
        for name, (form_class, statuses) in FORMS.items():
            if inspection.status not in statuses:
                continue
            if name == "party_notice" and (inspection.party_notice_due_at is None or inspection.party_notified_at):
                continue
            form = failed if isinstance(failed, form_class) else form_class(formdata=None)
            if hasattr(form, "version"):
                form.version.data = inspection.version
            forms[name] = form
    events = db.session.scalars(select(CaseEvent).where(CaseEvent.inspection_id == inspection.id)
                                .order_by(CaseEvent.seq)).all()
    names = {f"user:{u.id}": u.name for u in db.session.scalars(select(User).where(User.id.in_(
        {int(e.actor.split(":")[1]) for e in events if e.actor.startswith("user:")})))}
    return render_template("inspections/inspection.html", i=inspection, forms=forms, events=events, error=error,
                           action_ref=inspection.reference,
                           actor_name=lambda who: names.get(who) or _("the portal"), now=utcnow(),
                           recommendation=Recommendation(inspection.recommendation) if inspection.recommendation
                           else None), status


def carry_out(inspection, form, operation, success):
    return actions.carry_out(inspection, form, operation, success, render=render_inspection,
                             reload=lambda: load_inspection(inspection.reference),
                             done=url_for("inspections.inspection_page", ref=inspection.reference))


@bp.route("/inspections/<ref>/start", methods=["POST"])
@inspection_action
def inspection_start(inspection):
    form = f.StartForm()
    return carry_out(inspection, form, lambda: ops.start_investigation(
        inspection, current_user, version=form.version.data), _("The investigation is under way."))


@bp.route("/inspections/<ref>/finding", methods=["POST"])
@inspection_action
def inspection_finding(inspection):
    form = f.FindingForm()
    return carry_out(inspection, form, lambda: ops.add_finding(
        inspection, current_user, text=form.text.data, substantiated=form.substantiated.data, files=_evidence()),
        _("Finding recorded."))


def _evidence():
    files, errors = store_staff_files(request.files.getlist("files"))
    if errors:
        raise CaseError(" ".join(str(error) for error in errors))
    return files


@bp.route("/inspections/<ref>/establish", methods=["POST"])
@inspection_action
def inspection_establish(inspection):
    form = f.EstablishForm()
    return carry_out(inspection, form, lambda: ops.establish_findings(
        inspection, current_user, version=form.version.data), _("Findings established."))


@bp.route("/inspections/<ref>/reopen", methods=["POST"])
@inspection_action
def inspection_reopen(inspection):
    form = f.ReopenForm()
    return carry_out(inspection, form, lambda: ops.reopen_investigation(
        inspection, current_user, version=form.version.data, reason=form.reason.data),
        _("The investigation goes on."))


@bp.route("/inspections/<ref>/recommend", methods=["POST"])
@inspection_action
def inspection_recommend(inspection):
    form = f.RecommendForm()
    return carry_out(inspection, form, lambda: ops.recommend(
        inspection, current_user, version=form.version.data, recommendation=form.recommendation.data,
        reason=form.reason.data), _("Recommendation recorded."))


@bp.route("/inspections/<ref>/party-notice", methods=["POST"])
@inspection_action
def inspection_party_notice(inspection):
    form = f.PartyNoticeForm()
    return carry_out(inspection, form, lambda: ops.record_party_notice(inspection, current_user, note=form.note.data),
                     _("The notice to the party organisation is recorded."))


@bp.route("/inspections/<ref>/close", methods=["POST"])
@inspection_action
def inspection_close(inspection):
    form = f.CloseForm()
    return carry_out(inspection, form, lambda: ops.close(inspection, current_user, version=form.version.data),
                     _("Inspection closed; the residents of its complaints are told that it concluded."))


@bp.route("/inspections/<ref>/files/<token>")
@requires(Permission.VIEW_INSPECTIONS)
def inspection_file(ref, token):
    inspection = load_inspection(ref)
    attachment = db.session.scalars(select(Attachment).where(Attachment.token == token)).first()
    findings = {finding.id: number for number, finding in enumerate(inspection.findings, start=1)}
    if attachment is None or attachment.finding_id not in findings:
        abort(404)
    # A neutral name: the inspection, the finding's number and the file's; never what the uploader called it.
    extension = attachment.stored_name.rsplit(".", 1)[-1]
    name = f"{inspection.reference}-{findings[attachment.finding_id]}-{attachment.id}.{extension}"
    return send_file(path_of(attachment), mimetype=attachment.mime, download_name=name, as_attachment=True, max_age=0)


# ---------------------------------------------------------------------------------------------------------------
# Officials' records and the commission's review
# ---------------------------------------------------------------------------------------------------------------

@bp.route("/officials/<path:key>")
@requires(Permission.VIEW_OFFICIAL_RECORDS)
def official_page(key):
    if len(key) > OFFICIAL_KEY_LENGTH:  # no official has such a key (and the view log could not hold it)
        abort(404)
    record = official_record(key, current_user)
    db.session.commit()  # the view is logged before the record is shown
    return render_template("inspections/official.html", record=record)


@bp.route("/commission")
@requires(Permission.VIEW_INSPECTIONS)
def commission():
    return render_template(
        "inspections/commission.html",
        party_members=inspections_page(request.args.get("page", 1, type=page_number), party_members=True),
        referred=inspections_page(1, referred=True).items, leaders=most_substantiated(), slow=slow_to_correct(),
        can_see_records=current_user.can(Permission.VIEW_OFFICIAL_RECORDS))
