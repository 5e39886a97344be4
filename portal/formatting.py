"""How times are written on the pages: Hanoi time, and deadlines as a countdown in office hours."""
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal.cases.visibility import resident_time_exact
from portal.domain.deadlines import work_calendar
from portal.timeutil import to_local


def local_time(moment):
    return to_local(moment).strftime("%d/%m/%Y %H:%M") if moment else "—"


def local_date(moment):
    return to_local(moment).strftime("%d/%m/%Y") if moment else "—"


def resident_time(moment, kind):
    """When the filer of a case of `kind` did something (filed, rated), as the signed-in staff member may see it:
    to the minute, or the date only (visibility.resident_time_exact says why)."""
    exact = resident_time_exact(current_user, kind)
    return local_time(moment) if exact else local_date(moment)


def countdown(due, now):
    """'5 working hours left' before the deadline; 'overdue by 2 days' after it."""
    if due is None:
        return ""
    if due < now:
        late = now - due
        if late.days:
            return _("overdue by %(n)d day(s)", n=late.days)
        return _("overdue by %(n)d hour(s)", n=max(1, late.seconds // 3600))
    hours = work_calendar().working_hours_between(now, due)
    if hours >= 8:
        return _("%(n)d working day(s) left", n=int(hours // 8))
    return _("%(n)d working hour(s) left", n=max(1, round(hours)))


def waited(since, now):
    """How long something has waited in a queue: '3 days', '5 hours'."""
    if since is None:
        return "—"
    elapsed = now - since
    if elapsed.days:
        return ngettext("%(num)d day", "%(num)d days", elapsed.days)
    return ngettext("%(num)d hour", "%(num)d hours", max(1, elapsed.seconds // 3600))
