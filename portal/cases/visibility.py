"""Who sees which case and which of its fields: the one place that decides, used by pages, lists, exports,
emails and the API alike.

The law on denunciations (Luật Tố cáo 2018, Art. 9 and 47) makes the denouncer's name, address, contact and
handwriting a secret: the accused agency never receives them, and those with a need to know (intake,
inspectors) see them only by an explicit, logged reveal."""
from dataclasses import dataclass

from sqlalchemy import false, true

from portal.accounts.roles import Permission
from portal.complaints.models import Complaint
from portal.domain.enums import Kind


def can_see_case(user, complaint):
    """Agency staff see their agency's cases once intake has accepted them (the routing suggestion before that
    is only a suggestion); roles that follow every agency see all."""
    if user.can(Permission.VIEW_ALL_CASES):
        return True
    return (user.can(Permission.HANDLE_CASES) and user.agency_id is not None
            and complaint.agency_id == user.agency_id and complaint.accepted_at is not None)


def visible_cases_clause(user):
    """The SQL condition for the cases `user` may list or search (the same rule as can_see_case)."""
    if user.can(Permission.VIEW_ALL_CASES):
        return true()
    if user.can(Permission.HANDLE_CASES) and user.agency_id is not None:
        return (Complaint.agency_id == user.agency_id) & Complaint.accepted_at.is_not(None)
    return false()


def is_secret_identity(complaint):
    return complaint.kind == Kind.TO_CAO.value


def can_reveal_identity(user, complaint):
    return is_secret_identity(complaint) and user.can(Permission.REVEAL_IDENTITY) and can_see_case(user, complaint)


def sees_original_text(user, complaint):
    """The agency of a tố cáo works from the redacted text; intake and inspectors see what was filed."""
    return not is_secret_identity(complaint) or user.can(Permission.REVEAL_IDENTITY)


def may_pair(user, complaint, other):
    """Whether `other` may be listed beside `complaint` as similar to it. A tố cáo shown as like another kind of
    case (same dossier, same words) would point from the denouncer's named complaints to the denunciation, so
    only those who may reveal identities see such pairs."""
    same_secrecy = is_secret_identity(complaint) == is_secret_identity(other)
    return can_see_case(user, other) and (same_secrecy or user.can(Permission.REVEAL_IDENTITY))


def may_see_event(user, event):
    """Whether `user` is shown this history event. Who looked at a denouncer's identity, and the notes intake
    and inspectors keep confidential on a tố cáo ("called the denouncer back at 0912…"), are for those who may
    reveal identities: the accused agency must not learn or confirm who denounced it."""
    if user.can(Permission.REVEAL_IDENTITY):
        return True
    return event.action != "identity_revealed" and not (event.data or {}).get("confidential")


@dataclass(frozen=True)
class CaseView:
    """The fields of a complaint as one staff member may see them."""

    title: str
    description: str
    filer: object | None  # the Filer, or None when hidden or anonymous
    identity_hidden: bool
    attachments: list


def case_view(user, complaint, revealed=False):
    """What `user` sees of `complaint`. `revealed` is True only on the response to a logged reveal."""
    hidden = is_secret_identity(complaint) and not (revealed and can_reveal_identity(user, complaint))
    original = sees_original_text(user, complaint)
    title = complaint.title if original else (complaint.redacted_title or "")
    description = complaint.description if original else (complaint.redacted_description or "")
    files = [a for a in complaint.attachments if original or a.shared_with_agency]
    return CaseView(title=title, description=description, filer=None if hidden else complaint.filer,
                    identity_hidden=hidden and complaint.filer is not None, attachments=files)


def may_download(user, attachment):
    complaint = attachment.complaint
    if complaint is None or not can_see_case(user, complaint):
        return False
    return attachment in case_view(user, complaint).attachments
