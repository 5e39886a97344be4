"""Forms of the staff case pages. Each state-changing form carries the version of the case it was shown with."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from portal.cases.operations import REJECTION_REASONS
from portal.directory.cached_choices import DirectorySelectField
from portal.domain.enums import Kind
from portal.forms import TRIMMED, PortalForm


class CaseForm(PortalForm):
    version = HiddenField()


class AcceptForm(CaseForm):
    kind = SelectField(_l("Kind"), choices=Kind.choices())
    category = DirectorySelectField(_l("Field"), validators=[InputRequired(_l("Please choose the field."))])
    problem_type = DirectorySelectField(_l("Problem"), validators=[InputRequired(_l("Please choose the problem."))])
    ward = DirectorySelectField(_l("Ward or commune"), validators=[Optional()])
    agency = DirectorySelectField(_l("Handling agency"), validators=[InputRequired(_l("Please choose the agency."))])
    complex_case = BooleanField(_l("Complex case (longer legal time limit, for complaints)"))
    redacted_title = StringField(_l("Subject the agency will see"), filters=TRIMMED, validators=[Length(max=200)])
    redacted_description = TextAreaField(
        _l("Text the agency will see"), filters=TRIMMED,
        description=_l("Remove the denouncer's name, address, contact and anything else that could identify them."))
    shared_files = HiddenField()  # ticked attachment ids, read from the request (checkboxes), and those looked at
    redacted_copies = MultipleFileField(
        _l("Redacted copies for the agency"),
        description=_l("A file that names the denouncer is not shared: upload a copy with the identity removed "
                       "(blacked out, or retyped), which the agency receives instead."))
    copies_looked_at = BooleanField(_l("I have looked at the copies: no face, name, signature or document in them "
                                       "shows who the denouncer is"))


class RejectForm(CaseForm):
    reason = SelectField(_l("Reason"), choices=[SelectChoice(k, v) for k, v in REJECTION_REASONS.items()])
    note = TextAreaField(_l("Explanation for the resident"), filters=TRIMMED)


class MergeForm(CaseForm):
    into = StringField(_l("Code of the main case"), filters=TRIMMED,
                       validators=[InputRequired(_l("Please enter the code of the case to merge into."))])
    note = TextAreaField(_l("Note"), filters=TRIMMED)


class TransferForm(CaseForm):
    agency = DirectorySelectField(_l("New agency"), validators=[InputRequired(_l("Please choose the agency."))])
    reason = TextAreaField(_l("Reason (shown to the resident)"), filters=TRIMMED)


class AssignForm(CaseForm):
    officer = SelectField(_l("Officer"), validators=[InputRequired(_l("Please choose the officer."))])
    task = TextAreaField(_l("What the officer is to do"), filters=TRIMMED,
                         validators=[InputRequired(_l("Please say what the officer is to do.")), Length(max=2000)])
    reason = TextAreaField(_l("Reason for assigning it to someone else (when it had an officer)"), filters=TRIMMED,
                           validators=[Length(max=2000)])
    publish = BooleanField(_l("Show the officer's name to the resident"))


class StartForm(CaseForm):
    pass


class NoteForm(PortalForm):
    text = TextAreaField(_l("Internal note (staff only)"), filters=TRIMMED)
    # offered only where notes are confidential by default (a tố cáo, written by intake or an inspector)
    share_with_agency = BooleanField(_l("Share this note with the agency"),
                                     description=_l("Leave unticked if the note says anything about the denouncer."))


class ReplyForm(PortalForm):
    text = TextAreaField(_l("Reply to the resident (public)"), filters=TRIMMED)
    files = MultipleFileField(_l("Documents or photos"))


class AnswerForm(CaseForm):
    text = TextAreaField(_l("Answer to the resident (public)"), filters=TRIMMED)
    resolved = BooleanField(_l("The problem is resolved (evidence required)"))
    files = MultipleFileField(_l("Evidence: documents or photos"))


class CloseForm(CaseForm):
    note = TextAreaField(_l("Closing note (public)"), filters=TRIMMED)


class UnpublishForm(CaseForm):
    reason = TextAreaField(_l("Why it comes off the public pages (staff only)"), filters=TRIMMED,
                           description=_l("For instance: the text still shows who the resident is."))


class PublicationForm(CaseForm):
    subject = StringField(_l("Public subject"), filters=TRIMMED, validators=[Length(max=200)])
    text = TextAreaField(_l("Public question"), filters=TRIMMED, validators=[Length(max=10_000)],
                         description=_l("Suggested by the machine: read it against the original and remove anything "
                                        "that tells who anybody is (names, contacts, addresses, plates, codes)."))
    reply = TextAreaField(_l("Public answer"), filters=TRIMMED, validators=[Length(max=10_000)])


class DeclinePublicationForm(CaseForm):
    reason = TextAreaField(_l("Why it is not published (staff only)"), filters=TRIMMED)


class ExtensionForm(CaseForm):
    reason = TextAreaField(_l("Why more time is needed"), filters=TRIMMED)


class DecisionForm(PortalForm):
    request_id = HiddenField()
    note = TextAreaField(_l("Note"), filters=TRIMMED)


class RevealForm(PortalForm):
    reason = TextAreaField(_l("Why you need to see the denouncer's identity"), filters=TRIMMED)
