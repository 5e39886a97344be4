"""The Department of Home Affairs' follow-up page: each agency's open, overdue and near-due cases and on-time rate
first (from the stored figures), then the late or nearly late cases a page at a time, the latest escalations and
the extension requests.

Only codes, kinds, categories, agencies and dates are shown: never a filer's identity nor a title, which could
identify a denouncer. The figures are city-wide, so the page is for roles that see every case."""
from dataclasses import dataclass

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from inspections import bp
from portal.accounts.permissions import requires
from portal.accounts.roles import Permission
from portal.cases import statistics
from portal.directory.models import Agency
from portal.domain.deadlines import work_calendar
from portal.extensions import db
from portal.figures import city_wide
from portal.figures.upkeep import figures_as_of
from portal.formatting import local_time
from portal.paging import Page, page_number
from portal.publication.review import queue_size
from portal.timeutil import utcnow

PERIODS = (30, 90, 365)
DEFAULT_PERIOD = 90


@dataclass(frozen=True)
class FollowUp:
    summary: list
    due: Page
    agency: Agency | None  # the agency the due list is narrowed to, if any
    officers: list  # that agency's figures per officer
    escalations: list
    escalation_count: int
    pending_extensions: list
    decided_extensions: list
    extension_counts: tuple
    on_time: statistics.OnTimeReport
    as_of: object
    publication: tuple  # (answers waiting for a reviewer, since when the oldest has waited)


def period_from(value):
    """The on-time period asked for in the query string, or the default one."""
    return int(value) if value in {str(days) for days in PERIODS} else DEFAULT_PERIOD


def agency_from(code):
    return db.session.scalars(select(Agency).where(Agency.code == code)).first() if code else None


def follow_up_report(user, days, now, page=1, agency=None):
    city_wide(user)
    summary = statistics.agency_summary(now, days)
    escalations, escalation_count = statistics.recent_escalations(now)
    pending, decided, extension_counts = statistics.extension_requests(now)
    due = statistics.due_cases(now, work_calendar(), page, agency.id if agency else None)
    officers = statistics.officer_summary(agency.id, now, days) if agency else []
    return FollowUp(summary=summary, due=due, agency=agency, officers=officers, escalations=escalations,
                    escalation_count=escalation_count, pending_extensions=pending, decided_extensions=decided,
                    extension_counts=extension_counts, on_time=statistics.on_time_report(summary, days),
                    as_of=figures_as_of(), publication=queue_size())


def agency_name(agency, code=None):
    """An agency's name; the code an escalation recorded if the agency is gone; or that there is none yet."""
    if agency is not None:
        return agency.name
    return code or _("No agency yet")


def percent(rate):
    return f"{int(round(rate * 100))}%" if rate is not None else "—"


def when(moment):
    return Markup('<span class="deadline text-nowrap">%s</span>') % local_time(moment) if moment else "—"


@bp.route("/follow-up")
@requires(Permission.FOLLOW_UP)
def follow_up():
    days = period_from(request.args.get("days"))
    now = utcnow()
    report = follow_up_report(current_user, days, now, page=request.args.get("page", 1, type=page_number),
                              agency=agency_from(request.args.get("agency")))
    return render_template("inspections/follow_up.html", report=report, periods=PERIODS, days=days, as_of=report.as_of,
                           min_cases=statistics.MIN_CASES, agency_name=agency_name, percent=percent, when=when,
                           now=now)
