"""Changing routing rules from the admin pages. Rules are never deleted, only switched off: complaints keep
pointing to the rule that routed them. The functions change rules and never commit (the request does, once)."""
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.directory.models import RoutingRule
from portal.extensions import db

CRITERIA = ("category", "problem_type", "ward", "ward_committee")


def conflicting_rule(criteria, exclude_id=None, active=True):
    """A rule that already has these criteria: an active one (when the rule checked is active too), or any
    one the database's unique constraint would collide with (when every criterion is set; NULLs never do)."""
    ids = {name: getattr(criteria[name], "id", None) for name in ("category", "problem_type", "ward")}
    query = select(RoutingRule).where(
        *[getattr(RoutingRule, f"{name}_id").is_(None) if value is None else getattr(RoutingRule, f"{name}_id") == value
          for name, value in ids.items()],
        RoutingRule.ward_committee == criteria["ward_committee"],
    )
    if exclude_id is not None:
        query = query.where(RoutingRule.id != exclude_id)
    rules = db.session.scalars(query.order_by(RoutingRule.id)).all()
    every_criterion_set = None not in ids.values()
    return next((r for r in rules if r.active and active), None) or next(
        (r for r in rules if every_criterion_set), None)


def save_rule(rule, values, user):
    """Create (rule None) or change a routing rule."""
    created = rule is None
    if created:
        rule = RoutingRule(active=True)
        db.session.add(rule)
    for name, value in values.items():
        setattr(rule, name, value)
    db.session.flush()
    current_app.logger.info("routing rule %s %s by staff user %s: %s", rule.id, "created" if created else "changed",
                            user.id, _describe(rule))
    return rule


def switch_rule(rule, active, user):
    """Switch a rule on or off; returns an error message when switching on would duplicate an active rule."""
    if active and not rule.active:
        other = conflicting_rule({name: getattr(rule, name) for name in CRITERIA}, rule.id)
        if other is not None and other.active:
            return _("Rule #%(id)d already has the same criteria and is active: switch it off first.", id=other.id)
    rule.active = active
    current_app.logger.info("routing rule %s switched %s by staff user %s", rule.id, "on" if active else "off",
                            user.id)
    return None


def _describe(rule):
    return {"category": _code(rule.category), "problem_type": _code(rule.problem_type), "ward": _code(rule.ward),
            "ward_committee": rule.ward_committee, "agency": _code(rule.agency), "note": rule.note}


def _code(row):
    return row.code if row is not None else None


def all_rules():
    """(active rules, switched-off rules), most specific first."""
    rules = db.session.scalars(select(RoutingRule).options(
        selectinload(RoutingRule.category), selectinload(RoutingRule.problem_type), selectinload(RoutingRule.ward),
        selectinload(RoutingRule.agency))).all()
    ordered = sorted(rules, key=lambda r: (-r.specificity, r.id))
    return [r for r in ordered if r.active], [r for r in ordered if not r.active]
