"""Loading the directory from YAML files and writing it back in the same format.

Loading is an upsert by code: loading twice changes nothing, and an edited file updates rows in place, so the
complaints that point at an agency keep pointing at it. Entries that disappear from a file are closed or
switched off, never deleted."""
from datetime import date, timedelta
from pathlib import Path

import yaml
from sqlalchemy import delete, insert, select

from portal.directory.models import (
    Agency,
    CalendarDay,
    CannedReply,
    Category,
    KindClock,
    ProblemType,
    RoutingRule,
    Ward,
    agency_successors,
)
from portal.directory.version import bump
from portal.extensions import db
from portal.timeutil import hanoi_today

DATA_DIR = Path(__file__).parent / "data"
FILES = ("wards", "agencies", "categories", "routing", "clocks", "calendar", "replies")


def read_folder(folder):
    """The parsed YAML files of a directory folder, by name."""
    return {name: yaml.safe_load((Path(folder) / f"{name}.yaml").read_text(encoding="utf-8")) for name in FILES}


class Changes:
    """Counts what a load created, updated and closed, per table."""

    def __init__(self):
        self.counts = {}

    def add(self, table, what):
        key = (table, what)
        self.counts[key] = self.counts.get(key, 0) + 1

    def __bool__(self):
        return bool(self.counts)

    def lines(self):
        return [f"{table}: {count} {what}" for (table, what), count in sorted(self.counts.items())]


def load_directory(folder=DATA_DIR):
    """Bring the database in line with the folder's files; returns the Changes (empty when nothing differed)."""
    data = read_folder(folder)
    changes = Changes()
    wards = _upsert(Ward, data["wards"]["wards"], ("name_vi", "name_en", "kind"), changes)
    categories = _upsert(Category, data["categories"]["categories"], ("name_vi", "name_en"), changes,
                         switch_off_missing=True)
    problem_types = _upsert(ProblemType, data["categories"]["problem_types"], ("name_vi", "name_en"), changes,
                            switch_off_missing=True)
    agencies = _load_agencies(data["agencies"]["agencies"], wards, changes)
    _load_rules(data["routing"]["rules"], categories, problem_types, wards, agencies, changes)
    _load_clocks(data["clocks"]["kinds"], changes)
    _load_calendar(data["calendar"], changes)
    _load_replies(data["replies"]["replies"], categories, changes)
    db.session.flush()
    if changes:
        bump()  # the successor links are Core writes, which the flush hook does not see
    return changes


def _upsert(model, entries, fields, changes, switch_off_missing=False):
    """Create or update rows by code; returns {code: row} for every row of the table."""
    rows = {row.code: row for row in db.session.scalars(select(model))}
    for entry in entries:
        row = rows.get(entry["code"])
        if row is None:
            row = rows[entry["code"]] = model(code=entry["code"])
            db.session.add(row)
            changes.add(model.__tablename__, "created")
        if _assign(row, {field: entry.get(field) for field in fields}) and row.id is not None:
            changes.add(model.__tablename__, "updated")
    if switch_off_missing:
        listed = {entry["code"] for entry in entries}
        for code, row in rows.items():
            active = code in listed
            if row.active is None:  # created by this load
                row.active = active
            elif row.active != active:
                row.active = active
                changes.add(model.__tablename__, "switched on" if active else "switched off")
    return rows


def _assign(row, values):
    """Set attributes that differ; True if any did."""
    changed = False
    for field, value in values.items():
        if getattr(row, field) != value:
            setattr(row, field, value)
            changed = True
    return changed


def _load_agencies(entries, wards, changes):
    fields = ("name_vi", "name_en", "kind", "active_from", "active_until")
    agencies = _upsert(Agency, [_dated(entry) for entry in entries], fields, changes)
    for entry in entries:
        agency = agencies[entry["code"]]
        links = {
            "parent": agencies[entry["parent"]] if entry.get("parent") else None,
            "ward": wards[entry["ward"]] if entry.get("ward") else None,
        }
        relinked = _assign(agency, links)
        if agency.id is not None and relinked:
            changes.add("agency", "relinked")
    db.session.flush()
    for entry in entries:
        _link_successors(agencies[entry["code"]], [agencies[code] for code in entry.get("replaced_by") or []],
                         changes)
    _close_missing(agencies, {entry["code"] for entry in entries}, changes)
    return agencies


def _link_successors(agency, successors, changes):
    """Rewrite an agency's ordered successor list when it differs from the file."""
    if [a.id for a in agency.successors] == [a.id for a in successors]:
        return
    db.session.execute(delete(agency_successors).where(agency_successors.c.agency_id == agency.id))
    if successors:
        db.session.execute(insert(agency_successors), [
            {"agency_id": agency.id, "successor_id": s.id, "position": n} for n, s in enumerate(successors)])
    db.session.expire(agency, ["successors"])
    changes.add("agency", "successors set")


def _dated(entry):
    return {**entry, "active_from": _date(entry.get("active_from")), "active_until": _date(entry.get("active_until"))}


def _date(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


def _close_missing(agencies, listed, changes):
    """An agency dropped from the file ends yesterday; its cases keep it."""
    for code, agency in agencies.items():
        if code not in listed and agency.active_until is None:
            agency.active_until = hanoi_today() - timedelta(days=1)
            changes.add("agency", "closed")


def _rule_key(category, problem_type, ward, ward_committee):
    return (category and category.id, problem_type and problem_type.id, ward and ward.id, bool(ward_committee))


def _load_rules(entries, categories, problem_types, wards, agencies, changes):
    db.session.flush()  # ids for the keys
    existing = {_rule_key(r.category, r.problem_type, r.ward, r.ward_committee): r
                for r in db.session.scalars(select(RoutingRule))}
    listed = set()
    for entry in entries:
        links = {
            "category": categories[entry["category"]] if entry.get("category") else None,
            "problem_type": problem_types[entry["problem_type"]] if entry.get("problem_type") else None,
            "ward": wards[entry["ward"]] if entry.get("ward") else None,
        }
        key = _rule_key(**links, ward_committee=entry.get("ward_committee"))
        listed.add(key)
        rule = existing.get(key)
        if rule is None:
            rule = existing[key] = RoutingRule(**links, ward_committee=bool(entry.get("ward_committee")))
            db.session.add(rule)
            changes.add("routing_rule", "created")
        values = {"agency": agencies[entry["agency"]] if entry.get("agency") else None,
                  "note": entry.get("note") or "", "active": True}
        if _assign(rule, values) and rule.id is not None:
            changes.add("routing_rule", "updated")
    for key, rule in existing.items():
        if key not in listed and rule.active:
            rule.active = False
            changes.add("routing_rule", "switched off")


def _clock_values(clock):
    complex_clock = clock.get("resolve_complex") or {}
    return {
        "accept_amount": clock["accept"]["amount"], "accept_unit": clock["accept"]["unit"],
        "resolve_amount": clock["resolve"]["amount"], "resolve_unit": clock["resolve"]["unit"],
        "resolve_complex_amount": complex_clock.get("amount"), "resolve_complex_unit": complex_clock.get("unit"),
        "extension_amount": clock["extension"]["amount"], "extension_unit": clock["extension"]["unit"],
        "max_extensions": clock["max_extensions"],
    }


def _load_clocks(kinds, changes):
    for kind, clock in kinds.items():
        row = db.session.get(KindClock, kind)
        if row is None:
            row = KindClock(kind=kind)
            db.session.add(row)
            changes.add("kind_clock", "created")
        elif _assign(row, _clock_values(clock)):
            changes.add("kind_clock", "updated")
        _assign(row, _clock_values(clock))


def _load_calendar(calendar, changes):
    """Configured days are plain settings: the file is the whole truth."""
    wanted = {}
    for is_working, key in ((False, "extra_days_off"), (True, "make_up_working_days")):
        for entry in calendar.get(key) or []:
            wanted[_date(entry["date"])] = (is_working, entry.get("name") or "")
    for row in db.session.scalars(select(CalendarDay)):
        if row.day not in wanted:
            db.session.delete(row)
            changes.add("calendar_day", "removed")
    for day, (is_working, name) in wanted.items():
        row = db.session.get(CalendarDay, day)
        if row is None:
            db.session.add(CalendarDay(day=day, is_working=is_working, name=name))
            changes.add("calendar_day", "created")
        elif _assign(row, {"is_working": is_working, "name": name}):
            changes.add("calendar_day", "updated")


def _load_replies(entries, categories, changes):
    """Canned replies, keyed by (category, title); ones dropped from the file are removed (nothing points at them)."""
    rows = db.session.scalars(select(CannedReply))
    existing = {(r.category.code if r.category else None, r.title): r for r in rows}
    wanted = set()
    for entry in entries:
        key = (entry.get("category"), entry["title"])
        wanted.add(key)
        reply = existing.get(key)
        if reply is None:
            category = categories[key[0]] if key[0] else None
            db.session.add(CannedReply(category=category, title=entry["title"], body=entry["body"]))
            changes.add("canned_reply", "created")
        elif _assign(reply, {"body": entry["body"]}):
            changes.add("canned_reply", "updated")
    for key, reply in existing.items():
        if key not in wanted:
            db.session.delete(reply)
            changes.add("canned_reply", "removed")
