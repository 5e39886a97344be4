"""The filing form. Every message says what to change; what was typed is kept on any error."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, MultipleFileField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from portal.complaints.operations import FilerDetails, Submission
from portal.complaints.validators import canonical_email, canonical_phone, canonical_tax_code, email_problem
from portal.directory.cache import cached
from portal.directory.cached_choices import DirectorySelectField, translated_choices
from portal.directory.choices import agency_choices, category_choices, problem_type_choices, ward_choices
from portal.domain.enums import ContactPreference, FilerType, Kind
from portal.forms import TRIMMED, PortalForm


def filing_choices():
    """The form's four lists in the visitor's language, kept until the directory changes."""
    return cached("filing choices", _build_filing_choices)


def _build_filing_choices():
    lists = {"category": [SelectChoice("", _l("— Choose a field —"))] + category_choices(),
             "problem_type": problem_type_choices(),
             "ward": ward_choices(_l("Not about a particular place")),
             "concerned_agency": agency_choices(_l("I don't know"))}
    return {name: translated_choices(choices) for name, choices in lists.items()}


class ComplaintForm(PortalForm):
    kind = RadioField(_l("What are you submitting?"), choices=Kind.choices(), default=Kind.PHAN_ANH.value,
                      validators=[InputRequired(_l("Please choose what you are submitting."))])
    concerned_agency = DirectorySelectField(
        _l("Agency concerned"), validate_choice=True,
        description=_l("The office you dealt with. Choose “I don't know” if unsure."))
    official_name = StringField(_l("Official's name"), filters=TRIMMED, validators=[Optional(), Length(max=200)],
                                description=_l("Optional: the person your report is about."))
    official_position = StringField(_l("Official's position"), filters=TRIMMED,
                                    validators=[Optional(), Length(max=200)])
    procedure_name = StringField(_l("Administrative procedure"), filters=TRIMMED,
                                 validators=[Optional(), Length(max=300)],
                                 description=_l("Optional: e.g. land use certificate, business registration."))
    dossier_code = StringField(_l("Dossier code (mã hồ sơ)"), filters=TRIMMED,
                               validators=[Optional(), Length(max=60)],
                               description=_l("Optional: the code on your receipt, if your dossier is late."))
    category = DirectorySelectField(_l("Field"), validators=[InputRequired(_l("Please choose the field it concerns."))])
    problem_type = RadioField(_l("What went wrong?"),
                              validators=[InputRequired(_l("Please choose what went wrong."))])
    ward = DirectorySelectField(_l("Ward or commune"), description=_l("Where it happened, if it concerns a place."))
    title = StringField(_l("Subject"), filters=TRIMMED, validators=[
        InputRequired(_l("Please give a short subject.")),
        Length(min=5, max=200, message=_l("The subject should be between 5 and 200 characters."))])
    description = TextAreaField(_l("What happened"), filters=TRIMMED, validators=[
        InputRequired(_l("Please describe what happened.")),
        Length(min=20, max=10000,
               message=_l("Please describe what happened in 20 to 10,000 characters: when, where, who."))])
    attachments = MultipleFileField(_l("Photos or documents"),
                                    description=_l("Up to 5 files: JPEG, PNG, WebP photos, PDF or Word (DOCX) "
                                                   "documents, or plain text; 10 MB each, 25 MB in total."))

    anonymous = BooleanField(_l("Send without my name (reports only; you will not get a personal reply)"))
    filer_type = RadioField(_l("You are"), choices=FilerType.choices(), default=FilerType.INDIVIDUAL.value)
    full_name = StringField(_l("Full name"), filters=TRIMMED, validators=[Length(max=200)])
    organisation = StringField(_l("Business or organisation name"), filters=TRIMMED,
                               validators=[Length(max=300)])
    tax_code = StringField(_l("Tax code"), filters=TRIMMED, description=_l("10 digits, or 13 for a branch."))
    phone = StringField(_l("Phone"), filters=TRIMMED, render_kw={"type": "tel", "autocomplete": "tel"})
    email = StringField(_l("Email"), filters=TRIMMED, render_kw={"type": "email", "autocomplete": "email"})
    address = StringField(_l("Address"), filters=TRIMMED, validators=[Length(max=500)],
                          render_kw={"autocomplete": "street-address"})
    contact_preference = RadioField(_l("How should we contact you?"), choices=ContactPreference.choices(),
                                    default=ContactPreference.EMAIL.value)
    publish = BooleanField(
        _l("I agree that my question and the agency's answer may be published, without my name or contact"),
        description=_l("Reports and recommendations only. Leave it unticked and nothing is published."))
    truthful = BooleanField(_l("I confirm that what I have written is true."),
                            validators=[InputRequired(_l("Please confirm that what you wrote is true."))])
    website = StringField(_l("Leave this field empty"), render_kw={"autocomplete": "off", "tabindex": "-1"})

    def load_choices(self):
        """Fill the lists from the directory (active entries only), built once per directory version."""
        lists = filing_choices()
        for name in ("category", "ward", "concerned_agency"):
            self[name].use(lists[name])
        self.problem_type.choices = lists["problem_type"].choices
        return self

    # Cross-field rules from the law on each kind.
    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        kind = Kind(self.kind.data) if self.kind.data in Kind._value2member_map_ else None
        if kind is None:
            return False
        if self.website.data:
            return False  # the honeypot: only robots fill it in
        return all([self._check_identity(kind), self._check_publication(kind)]) and valid

    def _check_publication(self, kind):
        if not self.publish.data or kind.may_be_published:
            return True
        return self._error(self.publish, _l("A %(kind)s is never published: please untick this box, or choose "
                                            "“Report” or “Recommendation”.", kind=kind.label))

    def _check_identity(self, kind):
        if self.anonymous.data:
            if kind.allows_anonymous:
                return True
            return self._error(self.anonymous, _l("A %(kind)s cannot be anonymous: please give your name and "
                                                  "contact, or choose “Report”.", kind=kind.label))
        checks = [self._check_name(), self._check_contact(), self._check_address(kind), self._check_business(kind)]
        return all(checks)

    def _check_name(self):
        return bool(self.full_name.data) or self._error(self.full_name, _l("Please give your full name."))

    def _check_contact(self):
        ok = True
        if self.phone.data:
            self.phone.data = canonical_phone(self.phone.data) or self.phone.data
            if not self.phone.data.startswith("+"):
                ok = self._error(self.phone, _l("This does not look like a Vietnamese phone number. "
                                                "Example: 0912 345 678."))
        if self.email.data:
            problem = email_problem(self.email.data)
            if problem is not None:
                ok = self._error(self.email, problem)
            else:
                self.email.data = canonical_email(self.email.data)
        if not (self.phone.data or self.email.data):
            ok = self._error(self.phone, _l("Please give a phone number or an email so we can reach you."))
        preferred = self.contact_preference
        if preferred.data == ContactPreference.EMAIL.value and not self.email.data and self.phone.data:
            ok = self._error(self.email, _l("You asked to be contacted by email: please give your email, "
                                            "or choose phone."))
        if preferred.data == ContactPreference.PHONE.value and not self.phone.data and self.email.data:
            ok = self._error(self.phone, _l("You asked to be contacted by phone: please give your phone number, "
                                            "or choose email."))
        return ok

    def _check_address(self, kind):
        if kind.needs_address and not self.address.data:
            return self._error(self.address, _l("A %(kind)s needs your address.", kind=kind.label))
        return True

    def _check_business(self, kind):
        if self.filer_type.data != FilerType.BUSINESS.value:
            return True
        if kind.individuals_only:
            return self._error(self.filer_type, _l("A denunciation can only be made by an individual, "
                                                   "in your own name."))
        ok = bool(self.organisation.data) or self._error(self.organisation,
                                                         _l("Please give the business or organisation name."))
        canonical = canonical_tax_code(self.tax_code.data)
        if canonical is None:
            return self._error(self.tax_code, _l("A tax code has 10 digits, or 13 for a branch "
                                                 "(e.g. 0101234567 or 0101234567-001)."))
        self.tax_code.data = canonical
        return ok

    @staticmethod
    def _error(field, message):
        field.errors = list(field.errors) + [message]
        return False


FILER_FIELDS = ("filer_type", "full_name", "organisation", "tax_code", "phone", "email", "address",
                "contact_preference")


def submission_of(form, attachments, *, locale, channel="web"):
    """The Submission a validated form describes (the web form's, or the one the API fills in)."""
    filer = None
    if not form.anonymous.data:
        filer = FilerDetails(**{name: form[name].data or "" for name in FILER_FIELDS})
        if filer.filer_type != FilerType.BUSINESS.value:
            filer.organisation = filer.tax_code = ""
    return Submission(
        kind=form.kind.data, category=form.category.data, problem_type=form.problem_type.data,
        title=form.title.data, description=form.description.data, ward=form.ward.data or "",
        concerned_agency=form.concerned_agency.data or "", official_name=form.official_name.data or "",
        official_position=form.official_position.data or "", procedure_name=form.procedure_name.data or "",
        dossier_code=form.dossier_code.data or "", filer=filer, attachments=list(attachments), locale=locale,
        channel=channel, publish=bool(form.publish.data))
