"""Kinds and states with Vietnamese and English titles (source strings are English; Vietnamese comes from
the catalog, so every title is translatable)."""
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice


class TitledEnum(StrEnum):
    """A string enum whose members carry a translatable label and, for some, a plain description."""

    def __new__(cls, value, label, description=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.description = description
        return member

    def __str__(self):
        return self.value

    @classmethod
    def choices(cls):
        return [SelectChoice(member.value, member.label) for member in cls]


class Kind(TitledEnum):
    PHAN_ANH = (
        "phan_anh",
        _l("Report (phản ánh)"),
        _l("A delay, a wrong or poor service you have seen or met. You may stay anonymous."),
    )
    KIEN_NGHI = (
        "kien_nghi",
        _l("Recommendation (kiến nghị)"),
        _l("A proposal to change a policy or a procedure. Your name and a contact are needed."),
    )
    KHIEU_NAI = (
        "khieu_nai",
        _l("Complaint (khiếu nại)"),
        _l("An administrative decision or act harmed you or your business and you ask for it to be reviewed. "
           "Your name and address are needed."),
    )
    TO_CAO = (
        "to_cao",
        _l("Denunciation (tố cáo)"),
        _l("An official broke the law. Individuals only; your name, address and contact are needed "
           "and are kept secret by law."),
    )

    @property
    def allows_anonymous(self):
        return self is Kind.PHAN_ANH

    @property
    def needs_address(self):
        return self in (Kind.KHIEU_NAI, Kind.TO_CAO)

    @property
    def individuals_only(self):
        return self is Kind.TO_CAO

    @property
    def may_be_published(self):
        """Only reports and recommendations: a khiếu nại is about the filer's own case, a tố cáo's filer is a
        secret."""
        return self in (Kind.PHAN_ANH, Kind.KIEN_NGHI)


class Status(TitledEnum):
    RECEIVED = ("received", _l("Received"), _l("Waiting for the intake desk to accept it."))
    ACCEPTED = ("accepted", _l("Accepted"), _l("Accepted and being sent to the responsible agency."))
    REJECTED = ("rejected", _l("Not accepted"), _l("Not accepted; the reason is given below."))
    MERGED = ("merged", _l("Merged"), _l("Handled together with another case about the same problem."))
    ASSIGNED = ("assigned", _l("Assigned"), _l("With the responsible agency."))
    IN_PROGRESS = ("in_progress", _l("In progress"), _l("The agency is handling it."))
    ANSWERED = ("answered", _l("Answered"), _l("The agency has answered; please rate the answer."))
    CLOSED = ("closed", _l("Closed"), _l("The case is closed."))
    WITHDRAWN = ("withdrawn", _l("Withdrawn"), _l("Withdrawn by the resident before it was accepted."))

    @property
    def is_open(self):
        return self not in (Status.REJECTED, Status.MERGED, Status.CLOSED, Status.WITHDRAWN)


class FilerType(TitledEnum):
    INDIVIDUAL = ("individual", _l("An individual"))
    BUSINESS = ("business", _l("A business or organisation"))


class ContactPreference(TitledEnum):
    EMAIL = ("email", _l("Email"))
    PHONE = ("phone", _l("Phone"))
