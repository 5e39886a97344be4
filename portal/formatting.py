"""How times are written on the pages: Hanoi time, and deadlines as a countdown in office hours."""
from flask_babel import gettext as _

from portal.domain.deadlines import work_calendar
from portal.timeutil import to_local


def local_time(moment):
    return to_local(moment).strftime("%d/%m/%Y %H:%M") if moment else "—"


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
