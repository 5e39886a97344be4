"""Which staff member may take which action on a case: role permissions (accounts/roles.py) plus the rule that
agency staff act only on their own agency's cases. The state machine decides separately whether the case's
status allows the action now."""
from portal.accounts.roles import Permission as P
from portal.cases.visibility import can_reveal_identity, can_see_case
from portal.publication.rule import awaits_review


def _own_agency(user, complaint):
    return user.agency_id is not None and user.agency_id == complaint.agency_id


def _handles(user, complaint):
    """Agency staff handle their agency's cases; once a case has a named officer ("5 rõ"), only that officer and
    those who assign the agency's cases do."""
    return user.can(P.HANDLE_CASES) and _own_agency(user, complaint) and (
        complaint.assignee_id in (None, user.id) or user.can(P.ASSIGN_CASES))


def _assigns(user, complaint):
    return user.can(P.ASSIGN_CASES) and _own_agency(user, complaint)


RULES = {
    "accept": lambda user, complaint: user.can(P.TRIAGE),
    "reject": lambda user, complaint: user.can(P.TRIAGE),
    "merge": lambda user, complaint: user.can(P.TRIAGE),
    "transfer": lambda user, complaint: user.can(P.TRANSFER),
    "start": _handles,
    "reply": _handles,
    "answer": _handles,
    "close": _handles,
    "extension": _handles,
    "assign": _assigns,
    "decide_extension": lambda user, complaint: user.can(P.APPROVE_EXTENSIONS) and _own_agency(user, complaint),
    "note": lambda user, complaint: (user.can(P.HANDLE_CASES) and _own_agency(user, complaint)) or any(
        user.can(p) for p in (P.TRIAGE, P.FOLLOW_UP, P.REVEAL_IDENTITY)),
    "reveal": can_reveal_identity,
    # Not the agency: it could hide an answer it is not proud of.
    "unpublish": lambda user, complaint: user.can(P.MODERATE_PUBLICATION) and complaint.published_at is not None,
    "review_publication": lambda user, complaint: user.can(P.MODERATE_PUBLICATION) and awaits_review(complaint),
}


def may(user, action, complaint):
    return can_see_case(user, complaint) and RULES[action](user, complaint)
