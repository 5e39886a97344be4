"""The Department of Home Affairs' follow-up page: what is late or about to be, what was escalated, which
extensions were asked for, and how punctual each agency is.

Only codes, kinds, categories, agencies and dates are shown: never a filer's identity nor a title, which could
identify a denouncer."""
from dataclasses import dataclass

from flask import render_template, request
from flask_login import current_user

from inspections import bp
from portal.accounts.permissions import requires
from portal.accounts.roles import Permission
from portal.cases import statistics
from portal.cases.visibility import visible_cases_clause
from portal.domain.deadlines import work_calendar
from portal.timeutil import utcnow

PERIODS = (30, 90, 365)
DEFAULT_PERIOD = 90


@dataclass(frozen=True)
class FollowUp:
    due: list
    escalations: list
    pending_extensions: list
    decided_extensions: list
    on_time: statistics.OnTimeReport


def period_from(value):
    """The on-time period asked for in the query string, or the default one."""
    return int(value) if value in {str(days) for days in PERIODS} else DEFAULT_PERIOD


def follow_up_report(user, days, now):
    visible = visible_cases_clause(user)
    pending, decided = statistics.extension_requests(now, visible)
    return FollowUp(due=statistics.due_cases_by_agency(now, work_calendar(), visible),
                    escalations=statistics.recent_escalations(now, visible),
                    pending_extensions=pending, decided_extensions=decided,
                    on_time=statistics.on_time_report(now, days, visible))


@bp.route("/follow-up")
@requires(Permission.FOLLOW_UP)
def follow_up():
    days = period_from(request.args.get("days"))
    report = follow_up_report(current_user, days, utcnow())
    return render_template("inspections/follow_up.html", report=report, periods=PERIODS,
                           min_cases=statistics.MIN_CASES, near_due_hours=statistics.NEAR_DUE_HOURS)
