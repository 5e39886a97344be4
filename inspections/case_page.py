"""What the case page offers: the forms for the actions the viewer may take in the case's current status."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from inspections import forms as f
from portal.accounts.models import User
from portal.accounts.roles import Permission, Role, allows
from portal.cases.operations import may_keep_confidential
from portal.cases.policy import may
from portal.cases.redaction import redact
from portal.cases.statistics import officer_load
from portal.directory.cache import cached
from portal.directory.cached_choices import translated_choices
from portal.directory.choices import agency_choices, category_choices, problem_type_choices, ward_choices
from portal.directory.models import CannedReply
from portal.domain.enums import Kind, Status
from portal.extensions import db
from portal.publication.review import machine_version

S = Status
HANDLERS = [role.value for role in Role if allows(role, Permission.HANDLE_CASES)]
HANDLING = {S.ASSIGNED.value, S.IN_PROGRESS.value}
OPEN = {S.RECEIVED.value, S.ACCEPTED.value} | HANDLING
# form name -> (form class, policy action, statuses in which it is offered)
FORMS = {
    "accept": (f.AcceptForm, "accept", {S.RECEIVED.value}),
    "reject": (f.RejectForm, "reject", {S.RECEIVED.value}),
    "merge": (f.MergeForm, "merge", OPEN),
    "transfer": (f.TransferForm, "transfer", HANDLING),
    "assign": (f.AssignForm, "assign", HANDLING),
    "start": (f.StartForm, "start", {S.ASSIGNED.value}),
    "reply": (f.ReplyForm, "reply", HANDLING),
    "answer": (f.AnswerForm, "answer", HANDLING),
    "extension": (f.ExtensionForm, "extension", HANDLING),
    "decide": (f.DecisionForm, "decide_extension", HANDLING),
    "close": (f.CloseForm, "close", {S.ANSWERED.value}),
    "note": (f.NoteForm, "note", set(S._value2member_map_)),
    "reveal": (f.RevealForm, "reveal", set(S._value2member_map_)),
    "unpublish": (f.UnpublishForm, "unpublish", {S.ANSWERED.value, S.CLOSED.value}),
    "publish": (f.PublicationForm, "review_publication", {S.ANSWERED.value, S.CLOSED.value}),
    "decline_publication": (f.DeclinePublicationForm, "review_publication", {S.ANSWERED.value, S.CLOSED.value}),
}


def posted_form(name, complaint):
    """The form `name` filled from the request being handled."""
    form = FORMS[name][0]()
    _load_choices(form, complaint)
    return form


def build_forms(user, complaint, failed=None, canned=None):
    """{name: form} for the page. `failed` is shown again as typed (with the case's current version, so it can
    be sent again)."""
    forms = {}
    for name, (form_class, action, statuses) in FORMS.items():
        if complaint.status not in statuses or not may(user, action, complaint):
            continue
        if failed is not None and isinstance(failed, form_class):
            form = failed
        else:
            form = form_class(formdata=None)
            _prefill(name, form, complaint, canned)
        if name == "note" and not may_keep_confidential(user, complaint):
            del form.share_with_agency
        if name == "accept" and complaint.kind != Kind.TO_CAO.value:
            del form.redacted_copies, form.copies_looked_at
        _load_choices(form, complaint)
        if hasattr(form, "version"):
            form.version.data = complaint.version
        forms[name] = form
    return forms


def _load_choices(form, complaint):
    lists = case_choices()
    for name in ("category", "problem_type", "ward", "agency"):
        if hasattr(form, name):
            form[name].use(lists[name])
    if hasattr(form, "officer"):
        form.officer.choices = [("", _l("— Choose —"))] + [
            (str(officer.id), _l("%(name)s (%(open)d open)", name=officer.name, open=open_cases))
            for officer, open_cases in officers_of(complaint.agency_id)]


def officers_of(agency_id):
    """[(officer, open cases they own)]: the agency's active staff who handle cases, by name, with their load as
    the worker last counted it."""
    officers = db.session.scalars(select(User).where(
        User.agency_id == agency_id, User.active, User.role.in_(HANDLERS)).order_by(User.name, User.id)).all()
    load = officer_load(agency_id)
    return [(officer, load.get(officer.id, 0)) for officer in officers]


def case_choices():
    """The directory lists of the intake and transfer forms in the viewer's language, kept until the directory
    changes (one list of agencies rendered per request cost a case page half its time)."""
    return cached("case form choices", lambda: {name: translated_choices(choices) for name, choices in {
        "category": category_choices(), "problem_type": problem_type_choices(),
        "ward": ward_choices(_l("No particular ward")), "agency": agency_choices(_l("— Choose —"))}.items()})


def _prefill(name, form, complaint, canned):
    if name == "accept":
        form.kind.data = complaint.kind
        form.category.data = complaint.category.code
        form.problem_type.data = complaint.problem_type.code
        form.ward.data = complaint.ward.code if complaint.ward else ""
        form.agency.data = complaint.agency.code if complaint.agency else ""
        if complaint.kind == Kind.TO_CAO.value:
            form.redacted_title.data = complaint.redacted_title or _suggest(complaint, complaint.title)
            form.redacted_description.data = (complaint.redacted_description
                                              or _suggest(complaint, complaint.description))
    if name == "publish":
        for field_name, text in machine_version(complaint).items():
            form[field_name].data = text
    if name in ("reply", "answer") and canned:
        reply = db.session.get(CannedReply, canned)
        if reply is not None:
            form.text.data = reply.body


def _suggest(complaint, text):
    """The machine's redaction of a tố cáo's text: intake reads it and removes what the machine could not know."""
    return redact(text, complaint.filer, complaint.official_name, complaint.dossier_code)


def canned_replies(complaint):
    return db.session.scalars(select(CannedReply).where(or_(CannedReply.category_id == complaint.category_id,
                                                            CannedReply.category_id.is_(None)))).all()
