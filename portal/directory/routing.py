"""Choosing the responsible agency: the most specific active rule that matches wins."""
from dataclasses import dataclass

from sqlalchemy import select

from portal.directory.cache import cached
from portal.directory.models import Agency, Category, ProblemType, RoutingRule, Ward
from portal.extensions import db


class NoRoute(LookupError):
    """No rule matched, not even a default: the directory is incomplete."""


def route(category, problem_type, ward):
    """Return (agency, rule) for a complaint's category, problem type and ward (ward may be None)."""
    rules = db.session.scalars(select(RoutingRule).where(RoutingRule.active)).all()
    committee = ward_committee(ward) if ward is not None else None  # once, not once per rule
    matching = [rule for rule in rules if _matches(rule, category, problem_type, ward, committee)]
    if not matching:
        raise NoRoute("no routing rule matches and there is no default rule")
    rule = max(matching, key=lambda r: (r.specificity, -r.id))
    return current_successor(committee if rule.ward_committee else rule.agency), rule


@dataclass(frozen=True)
class Routed:
    """Where `route` sends a combination: the agency's id and code (None: no agency) and the rule's id."""

    agency_id: int | None
    agency_code: str | None
    rule_id: int


def routed(category_id, problem_type_id, ward_id):
    """`route` for these ids, remembered per combination until the directory (or the date) changes."""
    decisions = cached("routing decisions", dict, by_language=False)
    key = (category_id, problem_type_id, ward_id)
    if key not in decisions:
        agency, rule = route(*(db.session.get(model, row_id) if row_id is not None else None
                               for model, row_id in zip((Category, ProblemType, Ward), key, strict=True)))
        decisions[key] = Routed(agency.id if agency else None, agency.code if agency else None, rule.id)
    return decisions[key]


def _matches(rule, category, problem_type, ward, committee):
    if rule.category_id is not None and (category is None or rule.category_id != category.id):
        return False
    if rule.problem_type_id is not None and (problem_type is None or rule.problem_type_id != problem_type.id):
        return False
    if rule.ward_id is not None and (ward is None or rule.ward_id != ward.id):
        return False
    return not rule.ward_committee or committee is not None


def ward_committee(ward):
    """The People's Committee of a ward or commune that is active today."""
    committees = db.session.scalars(select(Agency).where(Agency.ward_id == ward.id)).all()
    return next((agency for agency in committees if agency.is_active()), None)


def current_successor(agency):
    """Follow a merged or renamed agency to the body that does its work today (the first listed successor)."""
    seen = set()
    while agency is not None and not agency.is_active() and agency.successors and agency.id not in seen:
        seen.add(agency.id)
        agency = agency.successors[0]
    return agency
