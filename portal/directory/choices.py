"""Directory entries as form choices (active entries only), shared by the resident's and the staff's forms."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from portal.directory.models import Agency, Category, ProblemType, Ward
from portal.extensions import db


def named_choices(model):
    rows = db.session.scalars(select(model).where(model.active).order_by(model.id))
    return [SelectChoice(row.code, row.name) for row in rows]


def category_choices():
    return named_choices(Category)


def problem_type_choices():
    return named_choices(ProblemType)


def ward_choices(empty_label):
    wards = db.session.scalars(select(Ward).order_by(Ward.name_vi))
    return [SelectChoice("", empty_label)] + [SelectChoice(w.code, w.name) for w in wards]


def active_agencies():
    """The agencies active today (opened, not yet closed), by name."""
    return [agency for agency in db.session.scalars(select(Agency).order_by(Agency.name_vi)) if agency.is_active()]


def agency_choices(empty_label):
    """Active agencies in two groups (city bodies, wards and communes), for a select that works without JS."""
    agencies = active_agencies()
    city, local = _l("City departments and offices"), _l("Ward and commune People's Committees")
    return [SelectChoice("", empty_label)] + [
        SelectChoice(a.code, a.name, optgroup=local if a.kind == "ward_committee" else city)
        for a in sorted(agencies, key=lambda a: a.kind == "ward_committee")]


def keeping(choices, current):
    """`choices`, with `current` (what a record being edited points to) listed first when it is no longer
    offered, marked so: otherwise the form would show the first choice and saving would quietly change it."""
    if current is not None and current.code not in {choice.value for choice in choices}:
        return [SelectChoice(current.code, _l("%(agency)s (no longer active)", agency=current.name)), *choices]
    return choices


def by_code(model, code):
    return db.session.scalars(select(model).where(model.code == code)).first() if code else None
