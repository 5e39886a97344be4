"""A complaint naming an official is never handled by the unit that official leads (conflict of interest):
it goes to the unit's supervising body, or to the Department of Home Affairs."""
from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.directory.models import Agency
from portal.domain.text import fold
from portal.extensions import db

HOME_AFFAIRS = "SNV"
LEADING_TITLES = ("chu tich", "giam doc", "chanh thanh tra", "chanh van phong", "thu truong", "truong ban",
                  "chairman", "chairwoman", "director", "chief inspector", "head of")


def official_leads(complaint, agency):
    """True when the official named in the complaint heads `agency` (a known agency head of that name, or a
    leading title at the agency the resident named)."""
    if agency is None or not complaint.official_name:
        return False
    name = fold(complaint.official_name)
    heads = db.session.scalars(select(User.name).where(User.agency_id == agency.id, User.active,
                                                       User.role == Role.AGENCY_HEAD.value))
    if any(fold(head) == name for head in heads):
        return True
    position = fold(complaint.official_position)
    names_this_agency = complaint.concerned_agency_id in (None, agency.id)
    return names_this_agency and any(title in position for title in LEADING_TITLES)


def impartial_agency(complaint, agency):
    """`agency`, or the body above it when the complaint's official leads it."""
    if not official_leads(complaint, agency):
        return agency
    parent = agency.parent
    if parent is not None and parent.is_active() and not official_leads(complaint, parent):
        return parent
    return db.session.scalars(select(Agency).where(Agency.code == HOME_AFFAIRS)).one()
