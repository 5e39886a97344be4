"""Following a case (/track).

The code alone shows the kind, the status and the dates, nothing else: not the subject, not the agency, and for
a tố cáo not even the case it was merged into. What the filer wrote, the public history, the replies and the
filer's own files are shown only to a browser that proved it is the filer's (portal.tracking_access says how:
the signed link; for the other kinds the code plus the phone or email given when filing; for a tố cáo a one-time
code sent to the filer's own email, asked for with an answer that is the same whether the typed contact is right
or not). Nothing here ever shows the filer's identity, internal notes or redacted parts.

For a tố cáo the unverified page is deliberately the same whoever asks: the code may have reached the accused,
and a page that told a right guess of the filer's contact from a wrong one would name the denouncer."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from portal.cases.operations import REJECTION_REASONS
from portal.cases.ratings import ASPECT_LABELS, LEVELS, can_rate, rate
from portal.cases.visibility import main_case_code, unknown_by_code
from portal.cases.workflow import CaseError
from portal.complaints.attachments import path_of
from portal.complaints.codes import normalise
from portal.complaints.models import Attachment, Complaint
from portal.directory.cache import directory_names
from portal.directory.choices import by_code
from portal.directory.models import Agency
from portal.extensions import db, limiter
from portal.forms import PortalForm
from portal.history import CaseEvent
from portal.timeutil import utcnow
from portal.tracking_access import (
    CODE_LIFETIME,
    attempts_exhausted,
    contact_matches,
    count_attempt,
    needs_one_time_code,
    redeem_code,
    request_code,
)
from portal.tracking_links import code_from_token, tracking_token

bp = Blueprint("tracking", __name__)
LEVEL_CHOICES = [SelectChoice(str(level), label) for level, label in LEVELS.items()]
CHOOSE = _l("Please choose one of the five levels.")
VERIFIED = "verified_cases"
TOO_MANY = _l("There have been too many attempts to open this case, so it stays closed for a while to protect it. "
              "Please try again in an hour, or open it with the private link you were given when filing.")


class RatingForm(PortalForm):
    """One question per SIPAS aspect, five levels each; the comment is shown to the agency."""

    access = RadioField(ASPECT_LABELS["access"], choices=LEVEL_CHOICES, validators=[InputRequired(CHOOSE)])
    procedure = RadioField(ASPECT_LABELS["procedure"], choices=LEVEL_CHOICES, validators=[InputRequired(CHOOSE)])
    conduct = RadioField(ASPECT_LABELS["conduct"], choices=LEVEL_CHOICES, validators=[InputRequired(CHOOSE)])
    result = RadioField(ASPECT_LABELS["result"], choices=LEVEL_CHOICES, validators=[InputRequired(CHOOSE)])
    handling = RadioField(ASPECT_LABELS["handling"], choices=LEVEL_CHOICES, validators=[InputRequired(CHOOSE)])
    comment = TextAreaField(_l("Anything you want to add (optional)"), validators=[Length(max=2000)])


class TrackForm(PortalForm):
    code = StringField(_l("Tracking code"), validators=[InputRequired(_l("Please enter your tracking code."))],
                       render_kw={"placeholder": "HN-2026-7KQ4M", "autocapitalize": "characters"})
    contact = StringField(_l("Phone or email given when filing"),
                          description=_l("Optional: add it to see the answers and the history."))


class OneTimeCodeForm(PortalForm):
    """The code from the email sent to a denouncer who asked for one."""

    one_time_code = StringField(_l("One-time code from the email"),
                                validators=[InputRequired(_l("Please enter the code from the email."))],
                                render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"})


def _track_limit():
    return current_app.config["TRACK_RATE_LIMIT"]


@bp.route("/track", methods=["GET", "POST"])
@limiter.limit(_track_limit)
def track():
    form = TrackForm(request.form if request.method == "POST" else None,
                     code=request.args.get("code", ""))
    code = normalise(form.code.data) if form.code.data else None
    complaint = _find(code)
    if form.code.data and complaint is None:
        form.code.errors = [_("No case has this code. Please check it: it looks like HN-2026-7KQ4M.")]
    elif request.method == "POST" and form.validate() and form.contact.data:
        if needs_one_time_code(complaint):
            return _send_one_time_code(complaint, form.contact.data)
        if attempts_exhausted(complaint):
            form.contact.errors = [str(TOO_MANY)]
            return _render(form, complaint, 429)
        if contact_matches(complaint, form.contact.data):
            verify(complaint)
            return redirect(url_for(".track", code=complaint.code), code=303)
        count_attempt(complaint)
        form.contact.errors = [_("This phone or email does not match the one given when filing. "
                                 "The status is shown below; the details stay private.")]
    status = 400 if form.errors else 200
    return _render(form, complaint, status)


def _send_one_time_code(complaint, typed_contact):
    """The same page whether or not `typed_contact` is the filer's: the typed contact is not shown again, and the
    email, when there is one, leaves later through the outbox."""
    form = TrackForm(formdata=None, code=complaint.code)
    if attempts_exhausted(complaint):
        form.contact.errors = [str(TOO_MANY)]
        return _render(form, complaint, 429)
    count_attempt(complaint)
    request_code(complaint, typed_contact)
    db.session.commit()
    return _render(form, complaint, code_form=OneTimeCodeForm(formdata=None))


@bp.route("/track/<code>/one-time", methods=["POST"])
@limiter.limit(_track_limit)
def one_time(code):
    """A denouncer's one-time code: right once, it opens the case in this browser."""
    complaint = _find(normalise(code))
    if complaint is None or not needs_one_time_code(complaint):
        abort(404)
    form = OneTimeCodeForm()
    if form.validate():
        if attempts_exhausted(complaint):
            form.one_time_code.errors = [str(TOO_MANY)]
            return _render(TrackForm(formdata=None, code=complaint.code), complaint, 429, code_form=form)
        if redeem_code(complaint, form.one_time_code.data):
            db.session.commit()
            verify(complaint)
            return redirect(url_for(".track", code=complaint.code), code=303)
        count_attempt(complaint)
        db.session.commit()  # the wrong try counts against the code
        form.one_time_code.errors = [_("This code is not right or no longer valid. A code works once, within "
                                       "%(minutes)d minutes: ask for a new one if needed.",
                                       minutes=CODE_LIFETIME.seconds // 60)]
    return _render(TrackForm(formdata=None, code=complaint.code), complaint, 400, code_form=form)


def _render(form, complaint, status=200, rating_form=None, code_form=None):
    files = complaint.attachments if _verified(complaint) else []
    names = directory_names() if _verified(complaint) else None  # the names the full page shows
    ratable = complaint is not None and _verified(complaint) and can_rate(complaint)
    just_filed = complaint is not None and session.pop("just_filed", None) == complaint.code
    return render_template("tracking/track.html", form=form, complaint=complaint, just_filed=just_filed, names=names,
                           own_files=[f for f in files if f.event_id is None],
                           evidence=_by_event(files), rejection_reason=rejection_reason, agency_name=agency_name,
                           private_link=url_for(".opened", token=tracking_token(complaint), _external=True)
                           if just_filed else None,
                           full=_verified(complaint), events=_public_events(complaint), now=utcnow(),
                           code_form=code_form, main_code=main_case_code(complaint) if complaint else "",
                           one_time=complaint is not None and needs_one_time_code(complaint),
                           rating_form=(rating_form or RatingForm(formdata=None)) if ratable else None), status


@bp.route("/track/<code>/rating", methods=["POST"])
@limiter.limit(_track_limit)
def rating(code):
    """The resident's rating of the answer (only from a session that proved it may see the case)."""
    complaint = _find(normalise(code))
    if complaint is None or not _verified(complaint):
        abort(404)
    form = RatingForm()
    if form.validate():
        try:
            rate(complaint, {aspect: form[aspect].data for aspect in ASPECT_LABELS}, form.comment.data or "")
        except CaseError as refusal:
            flash(str(refusal), "warning")
        else:
            db.session.commit()
            flash(_("Thank you for your rating.") if complaint.status == "closed" else
                  _("Thank you. The case has been reopened and the Department of Home Affairs informed."), "success")
            return redirect(url_for(".track", code=complaint.code), code=303)
    return _render(TrackForm(code=complaint.code), complaint, 400, rating_form=form)


@bp.route("/track/<token>")
@limiter.limit(_track_limit)
def opened(token):
    """A signed link from an email or the confirmation page: trust it, then show the plain page."""
    complaint = _case(code_from_token(token))  # the signed link proves it is the filer's
    if complaint is None:
        flash(_("This link is no longer valid. Please enter your tracking code."), "warning")
        return redirect(url_for(".track"))
    verify(complaint)
    if request.args.get("new"):
        session["just_filed"] = complaint.code
    return redirect(url_for(".track", code=complaint.code))


@bp.route("/attachments/<token>")
def attachment(token):
    """A complaint's file, only for someone allowed to see the complaint."""
    row = db.session.scalars(select(Attachment).where(Attachment.token == token)).first()
    if row is None or row.complaint is None or not _verified(row.complaint):
        abort(404)
    return send_file(path_of(row), mimetype=row.mime, download_name=row.original_name,
                     as_attachment=row.mime == "application/pdf", max_age=0)


def _by_event(files):
    grouped = {}
    for file in files:
        if file.event_id is not None:
            grouped.setdefault(file.event_id, []).append(file)
    return grouped


def rejection_reason(code):
    return REJECTION_REASONS.get(code, "")


def agency_name(code):
    agency = by_code(Agency, code)
    return agency.name if agency else ""


def _find(code):
    """The case with tracking code `code`, if /track may say it exists to this browser."""
    complaint = _case(code)
    if complaint is not None and unknown_by_code(complaint) and not _verified(complaint):
        return None
    return complaint


def _case(code):
    return db.session.scalars(select(Complaint).where(Complaint.code == code)).first() if code else None


def verify(complaint):
    """Trust this browser with the case's details (it proved it is the filer's: a link, a code, an account)."""
    codes = set(session.get(VERIFIED) or [])
    codes.add(complaint.code)
    session[VERIFIED] = sorted(codes)[-20:]


def _verified(complaint):
    return complaint is not None and complaint.code in (session.get(VERIFIED) or [])


def _public_events(complaint):
    if not _verified(complaint):
        return []
    return db.session.scalars(select(CaseEvent).where(CaseEvent.complaint_id == complaint.id, CaseEvent.public)
                              .order_by(CaseEvent.seq)).all()
