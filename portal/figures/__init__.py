"""Figures the worker keeps up to date, so that the follow-up and patterns pages read a few summed rows instead
of scanning every case per request (see portal/figures/upkeep.py for how they are kept right)."""
from werkzeug.exceptions import Forbidden

from portal.accounts.roles import Permission


def city_wide(user):
    """The figures count every case, so only those who may see every case read them (None: the system itself).

    Today every role holding FOLLOW_UP or VIEW_PATTERNS also holds VIEW_ALL_CASES; should the roles table ever
    change, the page is refused rather than showing counts of cases the viewer may not see."""
    if user is not None and not user.can(Permission.VIEW_ALL_CASES):
        raise Forbidden("these figures count every agency's cases")

