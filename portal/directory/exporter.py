"""Writing the directory back to YAML in the format `load_directory` reads."""
from pathlib import Path

import yaml
from sqlalchemy import select

from portal.directory.models import (
    Agency,
    CalendarDay,
    CannedReply,
    Category,
    KindClock,
    ProblemType,
    RoutingRule,
    Ward,
)
from portal.extensions import db


def export_directory(folder):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in directory_as_data().items():
        text = yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=120)
        (folder / f"{name}.yaml").write_text(f"# Exported by `flask --app portal directory export`.\n{text}",
                                             encoding="utf-8")


def directory_as_data():
    return {
        "wards": {"wards": [_named(w, kind=w.kind) for w in _all(Ward, Ward.code)]},
        "agencies": {"agencies": [_agency(a) for a in _all(Agency, Agency.code)]},
        "categories": {
            "categories": [_named(c) for c in _all(Category, Category.code) if c.active],
            "problem_types": [_named(p) for p in _all(ProblemType, ProblemType.code) if p.active],
        },
        "routing": {"rules": [_rule(r) for r in _all(RoutingRule, RoutingRule.id) if r.active]},
        "clocks": {"kinds": {c.kind: _clock(c) for c in _all(KindClock, KindClock.kind)}},
        "calendar": _calendar(_all(CalendarDay, CalendarDay.day)),
        "replies": {"replies": [{"category": r.category.code if r.category else None, "title": r.title,
                                 "body": r.body} for r in _all(CannedReply, CannedReply.id)]},
    }


def _all(model, order):
    return db.session.scalars(select(model).order_by(order)).all()


def _named(row, **extra):
    return {"code": row.code, "name_vi": row.name_vi, "name_en": row.name_en, **extra}


def _iso(day):
    return day.isoformat() if day else None


def _agency(agency):
    return _named(
        agency,
        kind=agency.kind,
        parent=agency.parent.code if agency.parent else None,
        ward=agency.ward.code if agency.ward else None,
        active_from=_iso(agency.active_from),
        active_until=_iso(agency.active_until),
        replaced_by=[successor.code for successor in agency.successors],
    )


def _rule(rule):
    return {
        "category": rule.category.code if rule.category else None,
        "problem_type": rule.problem_type.code if rule.problem_type else None,
        "ward": rule.ward.code if rule.ward else None,
        "ward_committee": rule.ward_committee,
        "agency": rule.agency.code if rule.agency else None,
        "note": rule.note,
    }


def _amount(amount, unit):
    return {"amount": amount, "unit": unit} if amount is not None else None


def _clock(clock):
    return {
        "accept": _amount(clock.accept_amount, clock.accept_unit),
        "resolve": _amount(clock.resolve_amount, clock.resolve_unit),
        "resolve_complex": _amount(clock.resolve_complex_amount, clock.resolve_complex_unit),
        "extension": _amount(clock.extension_amount, clock.extension_unit),
        "max_extensions": clock.max_extensions,
    }


def _calendar(days):
    return {
        "extra_days_off": [{"date": _iso(d.day), "name": d.name} for d in days if not d.is_working],
        "make_up_working_days": [{"date": _iso(d.day), "name": d.name} for d in days if d.is_working],
    }
