"""Thresholds on repeated problems (e.g. three complaints about one official within 90 days). A group crossing a
threshold raises one alert per window, emailed to the Department of Home Affairs and the party commission."""
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.accounts.roles import Role
from portal.cases import notify
from portal.extensions import db
from portal.figures.upkeep import refresh_figures
from portal.patterns.groups import grouped
from portal.timeutil import UTCDateTime, to_local, utcnow

DEFAULT_THRESHOLDS = (  # (dimension, complaints, within days)
    ("official", 3, 90),
    ("procedure", 10, 30),
    ("ward", 30, 30),
)


class PatternAlert(db.Model):
    __table_args__ = (UniqueConstraint("dimension", "key", "days", "window_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dimension: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(300))
    label: Mapped[str] = mapped_column(String(300))
    days: Mapped[int] = mapped_column(Integer)
    window_start = mapped_column(db.Date)
    count: Mapped[int] = mapped_column(Integer)
    created_at = mapped_column(UTCDateTime, default=utcnow)


def window_start(today, days):
    """Windows are fixed blocks of `days` days, so the same group alerts again only in a later block."""
    ordinal = today.toordinal()
    return date.fromordinal(ordinal - ordinal % days)


def check_thresholds():
    """Raise the alerts due now, from the figures brought up to date first; returns the new PatternAlert rows."""
    now = refresh_figures()
    today = to_local(now).date()
    raised = []
    for dimension, count, days in current_app.config.get("PATTERN_THRESHOLDS", DEFAULT_THRESHOLDS):
        start = window_start(today, days)
        for group in grouped(None, dimension, days, now, min_count=count, limit=500):
            if _already_alerted(dimension, group.key, days, start):
                continue
            alert = PatternAlert(dimension=dimension, key=group.key, label=group.label[:300], days=days,
                                 window_start=start, count=group.count)
            db.session.add(alert)
            raised.append(alert)
    if raised:
        _announce(raised)
    db.session.commit()
    return raised


def _already_alerted(dimension, key, days, start):
    return db.session.scalars(select(PatternAlert.id).where(
        PatternAlert.dimension == dimension, PatternAlert.key == key, PatternAlert.days == days,
        PatternAlert.window_start == start)).first() is not None


def _announce(alerts):
    people = notify.staff_with_role(Role.HOME_AFFAIRS) + notify.staff_with_role(Role.COMMISSION)
    notify.tell_staff(people, "pattern_alert", _l("Repeated problems: %(n)d new alert(s)", n=len(alerts)),
                      alerts=alerts)
