"""The deadline watch, run by the worker every few minutes and by `flask deadlines check`.

Two working days before a deadline the people who must act are reminded; once it has passed the case is
escalated to the Department of Home Affairs (an event on the case, and the daily digest). Each happens once
per deadline: an extension sets a new deadline and so a new reminder. Nothing is ever silently overdue."""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.accounts.roles import Role
from portal.cases import notify
from portal.complaints.models import Complaint
from portal.domain.deadlines import work_calendar
from portal.extensions import db
from portal.history import record_event
from portal.outbox.models import WorkerBeat
from portal.timeutil import to_local, utcnow

REMIND_WITHIN_HOURS = 16  # two working days of eight office hours
DEADLINES = {  # status group -> (deadline column, reminded column, escalated column, what must happen)
    "accept": ("accept_due_at", "accept_reminded_at", "accept_escalated_at", _l("accepted")),
    "resolve": ("resolve_due_at", "resolve_reminded_at", "resolve_escalated_at", _l("resolved")),
}


def open_cases_due_before(moment):
    """Cases whose current deadline falls before `moment` (the stored deadline of open cases, indexed)."""
    return db.session.scalars(select(Complaint).where(Complaint.current_due_at < moment)
                              .order_by(Complaint.id)).all()


def check_deadlines():
    """Remind and escalate what is due; returns (reminders sent, cases escalated)."""
    now, calendar = utcnow(), work_calendar()
    reminded = escalated = 0
    for complaint in open_cases_due_before(now + timedelta(days=7)):
        which = "accept" if complaint.waiting_for_acceptance else "resolve"
        due_field, reminded_field, escalated_field, what = DEADLINES[which]
        due = getattr(complaint, due_field)
        if due < now and getattr(complaint, escalated_field) is None:
            _escalate(complaint, which, due, escalated_field, now)
            escalated += 1
        elif due >= now and getattr(complaint, reminded_field) is None \
                and calendar.working_hours_between(now, due) <= REMIND_WITHIN_HOURS:
            _remind(complaint, which, due, what)
            setattr(complaint, reminded_field, now)
            reminded += 1
    db.session.commit()
    return reminded, escalated


def _escalate(complaint, which, due, escalated_field, now):
    setattr(complaint, escalated_field, now)
    record_event(complaint, "escalated", data={"deadline": which, "due": due.isoformat(),
                                               "agency": complaint.agency.code if complaint.agency else None})


def _remind(complaint, which, due, what):
    people = notify.staff_with_role(Role.INTAKE) if which == "accept" else notify.agency_staff(complaint.agency)
    notify.tell_staff(people, "deadline_reminder",
                      _l("Deadline in two working days: %(code)s", code=complaint.reference),
                      c=complaint, due=due, what=what)


def send_daily_digest(force=False):
    """Once a day (from 07:00 Hanoi time), the list of overdue cases to every Home Affairs account."""
    now = utcnow()
    beat = db.session.get(WorkerBeat, "daily-digest") or WorkerBeat(name="daily-digest")
    today = to_local(now).date()
    if not force and (to_local(now).hour < 7 or (beat.last_run_at and to_local(beat.last_run_at).date() == today)):
        return False
    overdue = [_digest_row(c) for c in open_cases_due_before(now)]
    if overdue:
        notify.tell_staff(notify.staff_with_role(Role.HOME_AFFAIRS), "daily_digest",
                          _l("Overdue cases on %(day)s: %(n)d", day=today.strftime("%d/%m/%Y"), n=len(overdue)),
                          cases=sorted(overdue, key=lambda row: row["agency_name"]))
    beat.last_run_at = now
    db.session.add(beat)
    db.session.commit()
    return True


def _digest_row(complaint):
    return {"reference": complaint.reference, "kind": str(complaint.kind_enum.label),
            "agency_name": complaint.agency.name_vi if complaint.agency else "—",
            "due": to_local(complaint.current_deadline).strftime("%d/%m/%Y %H:%M")}
