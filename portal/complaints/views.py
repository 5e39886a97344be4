"""Filing a complaint (/complaints/new)."""
from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, validate_csrf
from markupsafe import Markup
from wtforms import ValidationError

from portal.complaints import attachments
from portal.complaints.forms import ComplaintForm
from portal.complaints.operations import FilerDetails, Submission, file_complaint
from portal.database import read_only
from portal.directory.cache import cached
from portal.extensions import csrf, db, limiter
from portal.i18n import current_language
from portal.tracking_links import tracking_token

bp = Blueprint("complaints", __name__, url_prefix="/complaints")


def _submission_limit():
    return current_app.config["SUBMISSION_RATE_LIMIT"]


def _too_many(limit):
    """Over the per-address limit: show the form again with everything typed, and say when to retry."""
    form = ComplaintForm().load_choices()
    flash(_("Too many submissions from your connection. Please wait a few minutes and send again; "
            "what you typed is still here."), "warning")
    page = render_template("complaints/new.html", form=form, files=attachments.pending())
    return make_response(page, 429)


def _counts(response):
    """A post counts against the limit when it filed a complaint or brought files (stored even when the form
    is invalid; 413: too many to read); correcting a typo without files does not."""
    if response.status_code in (303, 413):
        return True
    return any(file.filename for _, file in request.files.items(multi=True))


@bp.route("/new", methods=["GET", "POST"])
@csrf.exempt  # checked below by the form itself, so that an expired token keeps what was typed
@limiter.limit(_submission_limit, methods=["POST"], deduct_when=_counts,
               on_breach=_too_many)
def new():
    if request.method != "POST":  # GET, and HEAD like GET
        attachments.forget_pending()
        return render_template("complaints/new.html", form=ComplaintForm(), files=[], blank_fields=_blank_fields())
    form = ComplaintForm()
    cleaned = _clean_files(form)  # before the first query: the write transaction begins there and stays short
    with read_only():  # the lists and the checks only read: on SQLite the write lock is taken after them
        valid = form.load_choices().validate()
    files, upload_errors = _receive_files(form, cleaned)
    if valid and not upload_errors:
        complaint = file_complaint(_submission(form, files))
        opened = url_for("tracking.opened", token=tracking_token(complaint), new=1)  # before the commit expires it
        db.session.commit()
        attachments.forget_pending(filed=True)
        return redirect(opened, code=303)
    db.session.commit()  # keep the files that did arrive
    if form.website.data:
        return render_template("errors/error.html", code=400, title=_("Not sent"),
                               message=_("Your submission could not be accepted.")), 400
    return render_template("complaints/new.html", form=form, files=files, upload_errors=upload_errors), 400


def _blank_fields():
    """The fields of a blank form (everything but the CSRF token), rendered once per language and directory."""
    return cached("blank filing form", lambda: Markup(render_template(
        "complaints/_fields.html", form=ComplaintForm(formdata=None).load_choices(), files=[])))


def _clean_files(form):
    """Clean the files of this try (only for a genuine form post, never for a forged one), or None."""
    if form.meta.csrf:
        try:
            validate_csrf(form.csrf_token.data)
        except (ValidationError, CSRFError):
            return None
    return attachments.clean_files(request.files.getlist(form.attachments.name))


def _receive_files(form, cleaned):
    """Store the cleaned files with the session's earlier ones; a forged post only sees the earlier ones."""
    if cleaned is None:
        return attachments.pending(), []
    cleaned, refused = cleaned
    files, errors = attachments.accept_uploads(cleaned, removed_tokens=request.form.getlist("remove_file"))
    return files, refused + errors


def _submission(form, files):
    filer = None
    if not form.anonymous.data:
        filer = FilerDetails(**{name: form[name].data or "" for name in (
            "filer_type", "full_name", "organisation", "tax_code", "phone", "email", "address",
            "contact_preference")})
        if filer.filer_type != "business":
            filer.organisation = filer.tax_code = ""
    return Submission(
        kind=form.kind.data, category=form.category.data, problem_type=form.problem_type.data,
        title=form.title.data, description=form.description.data, ward=form.ward.data or "",
        concerned_agency=form.concerned_agency.data or "", official_name=form.official_name.data or "",
        official_position=form.official_position.data or "", procedure_name=form.procedure_name.data or "",
        dossier_code=form.dossier_code.data or "", filer=filer, attachments=files, locale=current_language(),
        publish=bool(form.publish.data))


@bp.context_processor
def kind_explanations():
    from portal.domain.enums import Kind
    return {"kinds": list(Kind), "zip": zip}
