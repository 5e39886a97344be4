"""Routing rules, edited by the administrator: which agency a new complaint is suggested for.

Rules are never deleted, only switched off: complaints keep pointing to the rule that routed them, and the
accuracy report (how often intake kept the suggestion) is counted per rule. Changes are not case events; they
are logged with the administrator's id."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError

from inspections import bp
from portal.accounts.permissions import requires
from portal.accounts.roles import Permission
from portal.cases.statistics import routing_accuracy
from portal.directory.choices import (
    active_agencies,
    by_code,
    category_choices,
    keeping,
    problem_type_choices,
    ward_choices,
)
from portal.directory.models import Agency, Category, ProblemType, RoutingRule, Ward
from portal.directory.routing import ward_committee
from portal.directory.rules import all_rules, conflicting_rule, save_rule, switch_rule
from portal.extensions import db
from portal.forms import TRIMMED, PortalForm


class RoutingRuleForm(PortalForm):
    category = SelectField(_l("Field"), validate_choice=False)
    problem_type = SelectField(_l("Problem type"), validate_choice=False)
    ward = SelectField(_l("Ward or commune"), validate_choice=False)
    ward_committee = BooleanField(_l("Send to the ward's People's Committee"),
                                  description=_l("For complaints that name a ward or commune: its People's "
                                                 "Committee handles them. Leave the target agency empty."))
    agency = SelectField(_l("Target agency"), validate_choice=False,
                         description=_l("Only agencies active today can receive complaints."))
    note = StringField(_l("Note"), filters=TRIMMED,
                       validators=[Length(max=300, message=_l("Please keep the note under 300 characters."))],
                       description=_l("Why complaints matching these criteria go there."))

    def __init__(self, *args, rule=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule
        current = {name: getattr(rule, name, None) for name in ("category", "problem_type", "agency")}
        self.category.choices = [SelectChoice("", _l("Any field")),
                                 *keeping(category_choices(), current["category"])]
        self.problem_type.choices = [SelectChoice("", _l("Any problem type")),
                                     *keeping(problem_type_choices(), current["problem_type"])]
        self.ward.choices = ward_choices(_l("Any ward or commune"))
        agencies = [SelectChoice(agency.code, agency.name) for agency in active_agencies()]
        self.agency.choices = [SelectChoice("", _l("— None: the ward's People's Committee —")),
                               *keeping(agencies, current["agency"])]

    def validate_category(self, field):
        _check_choice(field, _l("Choose a field from the list, or “Any field”."))

    def validate_problem_type(self, field):
        _check_choice(field, _l("Choose a problem type from the list, or “Any problem type”."))

    def validate_ward(self, field):
        _check_choice(field, _l("Choose a ward or commune from the list, or “Any ward or commune”."))

    def validate_agency(self, field):
        if not field.data:
            return
        agency = by_code(Agency, field.data)
        if agency is None:
            raise ValidationError(_l("Choose an agency from the list."))
        if not agency.is_active():
            raise ValidationError(_l("%(agency)s is no longer active: choose an agency that is active today.",
                                agency=agency.name))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not valid:
            return False
        return self._check_target() and self._check_unique()

    def _check_target(self):
        if self.agency.data and self.ward_committee.data:
            self.agency.errors.append(_l("Choose either a target agency or the ward's People's Committee, "
                                         "not both: empty the agency or untick the box."))
            return False
        if not self.agency.data and not self.ward_committee.data:
            self.agency.errors.append(_l("Choose a target agency, or tick “Send to the ward's People's "
                                         "Committee”."))
            return False
        ward = by_code(Ward, self.ward.data)
        if self.ward_committee.data and ward is not None and ward_committee(ward) is None:
            self.ward_committee.errors.append(_l("%(ward)s has no active People's Committee in the directory: "
                                                 "choose a target agency instead.", ward=ward.name))
            return False
        return True

    def _check_unique(self):
        editing = self.rule is not None
        other = conflicting_rule(self.criteria(), self.rule.id if editing else None,
                                 active=not editing or self.rule.active)
        if other is None:
            return True
        if other.active:
            self.form_errors.append(_l("Rule #%(id)d already has these criteria: change the criteria, or edit "
                                       "rule #%(id)d instead.", id=other.id))
        else:
            self.form_errors.append(_l("Rule #%(id)d, switched off, already has these criteria: switch it back "
                                       "on and edit it instead.", id=other.id))
        return False

    def criteria(self):
        return {"category": by_code(Category, self.category.data),
                "problem_type": by_code(ProblemType, self.problem_type.data),
                "ward": by_code(Ward, self.ward.data),
                "ward_committee": bool(self.ward_committee.data)}

    def values(self):
        """What the rule becomes: its criteria, its target and its note."""
        return {**self.criteria(), "agency": by_code(Agency, self.agency.data), "note": self.note.data or ""}

    def fill_from(self, rule):
        for name in ("category", "problem_type", "ward", "agency"):
            related = getattr(rule, name)
            getattr(self, name).data = related.code if related is not None else ""
        self.ward_committee.data, self.note.data = rule.ward_committee, rule.note


def _check_choice(field, message):
    if field.data and field.data not in {choice.value for choice in field.choices}:
        raise ValidationError(message)


def _rule_or_404(rule_id):
    return db.session.get(RoutingRule, rule_id) or abort(404)


# Views.

@bp.route("/routing")
@requires(Permission.MANAGE_ROUTING)
def routing_rules():
    active, inactive = all_rules()
    overall, per_rule = routing_accuracy()
    return render_template("inspections/routing_rules.html", active=active, inactive=inactive, overall=overall,
                           per_rule=per_rule)


@bp.route("/routing/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_ROUTING)
def new_routing_rule():
    form = RoutingRuleForm()
    if form.validate_on_submit():
        rule = save_rule(None, form.values(), current_user)
        db.session.commit()
        flash(_("Rule #%(id)d is saved and routes new complaints from now on.", id=rule.id), "success")
        return redirect(url_for("inspections.routing_rules"))
    return render_template("inspections/routing_rule_form.html", form=form, rule=None)


@bp.route("/routing/<int:rule_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_ROUTING)
def edit_routing_rule(rule_id):
    rule = _rule_or_404(rule_id)
    form = RoutingRuleForm(rule=rule)
    if form.validate_on_submit():
        save_rule(rule, form.values(), current_user)
        db.session.commit()
        flash(_("Rule #%(id)d is saved.", id=rule.id), "success")
        return redirect(url_for("inspections.routing_rules"))
    if not form.is_submitted():
        form.fill_from(rule)
    return render_template("inspections/routing_rule_form.html", form=form, rule=rule)


class SwitchForm(PortalForm):
    """Only the CSRF token: switching a rule on or off is a POST from a button."""


@bp.route("/routing/<int:rule_id>/deactivate", methods=["POST"])
@requires(Permission.MANAGE_ROUTING)
def deactivate_routing_rule(rule_id):
    return _switch(rule_id, active=False)


@bp.route("/routing/<int:rule_id>/activate", methods=["POST"])
@requires(Permission.MANAGE_ROUTING)
def activate_routing_rule(rule_id):
    return _switch(rule_id, active=True)


def _switch(rule_id, active):
    rule = _rule_or_404(rule_id)
    if not SwitchForm().validate_on_submit():
        abort(400)
    error = switch_rule(rule, active, current_user)
    if error:
        flash(error, "danger")
    else:
        db.session.commit()
        flash(_("Rule #%(id)d is switched on.", id=rule.id) if active else
              _("Rule #%(id)d is switched off: it no longer routes new complaints.", id=rule.id), "success")
    return redirect(url_for("inspections.routing_rules"))
