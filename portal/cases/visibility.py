"""Who sees which case and which of its fields: the one place that decides, used by pages, lists, exports,
emails and the API alike.

The law on denunciations (Luật Tố cáo 2018, Art. 9 and 47) makes the denouncer's name, address, contact and
handwriting a secret: the accused agency never receives them, and those with a need to know (intake,
inspectors) see them only by an explicit, logged reveal."""
from dataclasses import dataclass

from sqlalchemy import false, true

from portal.accounts.roles import Permission
from portal.cases.redaction import redact
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
    """The agency of a tố cáo works from the redacted text; intake and inspectors see what was filed (the text,
    and the dossier code, which names the filer's own dossier)."""
    return not is_secret_identity(complaint) or user.can(Permission.REVEAL_IDENTITY)


def agency_details(complaint):
    """(official's name, official's position, procedure) as those who may not see the original text see them.
    The denouncer types them like the text ("cấp sổ cho hộ bà …"): on a tố cáo they are machine-redacted, the
    accused official's own name kept."""
    details = (complaint.official_name or "", complaint.official_position or "", complaint.procedure_name or "")
    if not is_secret_identity(complaint):
        return details
    return tuple(redact(text, complaint.filer, complaint.official_name, complaint.dossier_code) if text else ""
                 for text in details)


def may_see_tracking_code(user, complaint):
    """The tracking code opens the resident's public page and is what the resident quotes, so it stays with those
    who deal with residents. Agency roles never see it, for any kind: staff pages name cases by their reference,
    and a tố cáo's code in the accused agency's hands would let it probe /track. Of the other roles, a tố cáo's
    code is seen only by those who may reveal identities."""
    if user.can(Permission.REVEAL_IDENTITY):
        return True
    return not user.can(Permission.HANDLE_CASES) and not is_secret_identity(complaint)


def tracking_code_clause(user):
    """The SQL condition for the cases `user` may find by their tracking code (the rule of may_see_tracking_code)."""
    if user.can(Permission.REVEAL_IDENTITY):
        return true()
    if user.can(Permission.HANDLE_CASES):
        return false()
    return Complaint.kind != Kind.TO_CAO.value


def resident_time_exact(user, kind):
    """Whether `user` may see to the minute when the filer of a case of `kind` did something (filed, rated).
    The accused agency also sees the times of the denouncer's named complaints: a tố cáo filed in the same
    sitting would pair up with them, so it is shown the date only."""
    return kind != Kind.TO_CAO.value or user.can(Permission.REVEAL_IDENTITY)


def main_case_code(complaint):
    """The tracking code of the case `complaint` was merged into, as the filer of `complaint` may be told it. A
    tố cáo's code belongs to its own filer alone: anybody may file a duplicate to be merged into it, and the
    accused holding the code could use up the case's tries on /track, so it is never told ("")."""
    main = complaint.merged_into
    return main.code if main is not None and not is_secret_identity(main) else ""


def may_pair(user, complaint, other):
    """Whether `other` may be listed beside `complaint` as similar to it. A tố cáo shown as like another kind of
    case (same dossier, same words) would point from the denouncer's named complaints to the denunciation, so
    only those who may reveal identities see such pairs."""
    same_secrecy = is_secret_identity(complaint) == is_secret_identity(other)
    return can_see_case(user, other) and (same_secrecy or user.can(Permission.REVEAL_IDENTITY))


INSPECTION_EVENTS = {"inspection_concluded"}  # on a complaint: the public update when its inspection closes


def may_see_event(user, event):
    """Whether `user` is shown this history event. Who looked at a denouncer's identity, and the notes intake
    and inspectors keep confidential on a tố cáo ("called the denouncer back at 0912…"), are for those who may
    reveal identities: the accused agency must not learn or confirm who denounced it."""
    if user.can(Permission.REVEAL_IDENTITY):
        return True
    if event.action in INSPECTION_EVENTS and not user.can(Permission.VIEW_INSPECTIONS):
        return False  # the agency inspected never learns of the inspection from its complaints
    return event.action != "identity_revealed" and not (event.data or {}).get("confidential")


@dataclass(frozen=True)
class CaseView:
    """The fields of a complaint as one staff member may see them."""

    reference: str  # how staff name the case; everyone who sees the case sees it
    tracking_code: str | None  # the resident's code, or None when the viewer may not see it
    title: str
    description: str
    dossier_code: str  # the filer's own dossier: a tố cáo's leads to its filer, so it is hidden like the text
    official_name: str
    official_position: str
    procedure_name: str
    filer: object | None  # the Filer, or None when hidden or anonymous
    identity_hidden: bool
    attachments: list
    merged_into: object | None  # the main case, or None when it may not be shown beside this one (may_pair)


def case_view(user, complaint, revealed=False):
    """What `user` sees of `complaint`. `revealed` is True only on the response to a logged reveal."""
    hidden = is_secret_identity(complaint) and not (revealed and can_reveal_identity(user, complaint))
    original = sees_original_text(user, complaint)
    title = complaint.title if original else (complaint.redacted_title or "")
    description = complaint.description if original else (complaint.redacted_description or "")
    files = [a for a in complaint.attachments if original or a.shared_with_agency]
    official, position, procedure = ((complaint.official_name or "", complaint.official_position or "",
                                      complaint.procedure_name or "") if original else agency_details(complaint))
    return CaseView(reference=complaint.reference,
                    tracking_code=complaint.code if may_see_tracking_code(user, complaint) else None,
                    title=title, description=description, dossier_code=complaint.dossier_code if original else "",
                    official_name=official, official_position=position, procedure_name=procedure,
                    filer=None if hidden else complaint.filer,
                    identity_hidden=hidden and complaint.filer is not None, attachments=files,
                    merged_into=_main_case(user, complaint))


def _main_case(user, complaint):
    """The case `complaint` was merged into, where `user` may see the two side by side: a link from a named
    complaint to a denunciation (or back) would pair the denouncer with the denunciation."""
    main = complaint.merged_into
    return main if main is not None and may_pair(user, complaint, main) else None


def may_download(user, attachment):
    complaint = attachment.complaint
    if complaint is None or not can_see_case(user, complaint):
        return False
    return attachment in case_view(user, complaint).attachments


def open311_clause(key):
    """The SQL condition for the requests an Open311 client (`key`, or None without one) may list or read: those it
    filed itself. No tố cáo is filed over the API, and one filed on the portal is unknown to it, so that its code
    cannot be probed there either."""
    return Complaint.api_key_id == key.id if key is not None else false()


def open311_frozen(complaint):
    """Whether an Open311 client sees its request as it stood when filed: intake found it to be a denunciation, and
    the software that filed it (a ward's kiosk, say) must learn nothing more, not even that it vanished."""
    return is_secret_identity(complaint)


def unknown_by_code(complaint):
    """Whether /track answers a code alone as if no case had it: a request other software filed that intake found
    to be a denunciation, since that software holds the code and learns nothing more from the API either. Its
    filer opens it with the private link sent to them."""
    return complaint.channel == "api" and open311_frozen(complaint)
