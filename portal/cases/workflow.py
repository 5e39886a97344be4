"""The state machine of a case, and the version check that stops two people overwriting each other."""
from flask_babel import lazy_gettext as _l

from portal.domain.enums import Status

S = Status
TRANSITIONS = {
    S.RECEIVED: {S.ASSIGNED, S.REJECTED, S.MERGED, S.WITHDRAWN},  # accepting routes at once: accepted -> assigned
    S.ACCEPTED: {S.ASSIGNED, S.MERGED},
    S.ASSIGNED: {S.ASSIGNED, S.IN_PROGRESS, S.ANSWERED, S.MERGED},  # assigned -> assigned is a transfer
    S.IN_PROGRESS: {S.ASSIGNED, S.ANSWERED, S.MERGED},
    S.ANSWERED: {S.CLOSED, S.IN_PROGRESS},  # reopened when the resident is not satisfied
    S.REJECTED: set(),
    S.MERGED: set(),
    S.CLOSED: set(),
    S.WITHDRAWN: set(),  # by its filer, from their account, while it waited for the intake desk
}


class CaseError(ValueError):
    """An action the case cannot take now; the message tells the staff member why."""


class InvalidTransition(CaseError):
    pass


class VersionConflict(CaseError):
    """Somebody else changed the case after this page was opened."""


def allowed(complaint, target):
    return Status(target) in TRANSITIONS[Status(complaint.status)]


def move(complaint, target):
    """Change the status if the state machine allows it; otherwise refuse with the reason."""
    target = Status(target)
    if not allowed(complaint, target):
        raise InvalidTransition(_l("A case that is “%(now)s” cannot become “%(target)s”.",
                                   now=complaint.status_enum.label, target=target.label))
    before = complaint.status
    complaint.status = target.value
    return before


CONFLICT = _l("Somebody else changed this case while you were working on it. Their change is shown below; what "
              "you typed is kept, please check and send again.")


def check_version(complaint, seen_version):
    """Refuse a change made from a page showing an older version of the case."""
    if seen_version is not None and str(seen_version) != str(complaint.version):
        raise VersionConflict(CONFLICT)
