"""Roles and the permissions each holds: the one table every permission check reads."""
from flask_babel import lazy_gettext as _l

from portal.domain.enums import TitledEnum


class Role(TitledEnum):
    INTAKE = ("intake", _l("Intake desk"))
    OFFICER = ("officer", _l("Agency officer"))
    AGENCY_HEAD = ("agency_head", _l("Agency head"))
    HOME_AFFAIRS = ("home_affairs", _l("Department of Home Affairs"))
    INSPECTOR = ("inspector", _l("Inspector"))
    COMMISSION = ("commission", _l("Party inspection commission"))
    ADMIN = ("admin", _l("Administrator"))

    @property
    def belongs_to_agency(self):
        """Officers and heads act for one agency and see only its cases."""
        return self in (Role.OFFICER, Role.AGENCY_HEAD)


class Permission(TitledEnum):
    TRIAGE = ("triage", _l("Classify, accept, reject and merge new submissions"))
    HANDLE_CASES = ("handle_cases", _l("Handle the cases of one's own agency"))
    APPROVE_EXTENSIONS = ("approve_extensions", _l("Approve extension requests of one's own agency"))
    ASSIGN_CASES = ("assign_cases", _l("Assign one's own agency's cases to its officers by name"))
    VIEW_ALL_CASES = ("view_all_cases", _l("See the cases of every agency"))
    FOLLOW_UP = ("follow_up", _l("Follow up deadlines, escalations and agencies' on-time rates"))
    REVEAL_IDENTITY = ("reveal_identity", _l("Reveal a denouncer's identity, with a reason"))
    TRANSFER = ("transfer", _l("Transfer a case to another agency"))
    MANAGE_ROUTING = ("manage_routing", _l("Edit routing rules"))
    MANAGE_USERS = ("manage_users", _l("Manage staff accounts"))
    VIEW_PATTERNS = ("view_patterns", _l("See repeated problems and their trends"))
    MERGE_OFFICIALS = ("merge_officials", _l("Merge spellings of the same official"))
    VIEW_INSPECTIONS = ("view_inspections", _l("See inspection cases and the commission's review"))
    CONDUCT_INSPECTIONS = ("conduct_inspections", _l("Open inspection cases and carry them out as a team member"))
    VIEW_OFFICIAL_RECORDS = ("view_official_records", _l("See a named official's record (every view is logged)"))
    MODERATE_PUBLICATION = ("moderate_publication",
                            _l("Review answers for the public pages: approve, decline, take off"))


P = Permission
PERMISSIONS = {
    Role.INTAKE: {P.TRIAGE, P.VIEW_ALL_CASES, P.REVEAL_IDENTITY, P.TRANSFER, P.MODERATE_PUBLICATION},
    Role.OFFICER: {P.HANDLE_CASES},
    Role.AGENCY_HEAD: {P.HANDLE_CASES, P.APPROVE_EXTENSIONS, P.ASSIGN_CASES},
    Role.HOME_AFFAIRS: {P.VIEW_ALL_CASES, P.FOLLOW_UP, P.TRANSFER, P.VIEW_PATTERNS, P.MERGE_OFFICIALS,
                        P.VIEW_INSPECTIONS, P.CONDUCT_INSPECTIONS, P.VIEW_OFFICIAL_RECORDS, P.MODERATE_PUBLICATION},
    Role.INSPECTOR: {P.VIEW_ALL_CASES, P.REVEAL_IDENTITY, P.VIEW_PATTERNS, P.MERGE_OFFICIALS,
                     P.VIEW_INSPECTIONS, P.CONDUCT_INSPECTIONS, P.VIEW_OFFICIAL_RECORDS},
    Role.COMMISSION: {P.VIEW_ALL_CASES, P.VIEW_PATTERNS, P.VIEW_INSPECTIONS, P.VIEW_OFFICIAL_RECORDS},
    Role.ADMIN: {P.MANAGE_ROUTING, P.MANAGE_USERS, P.FOLLOW_UP, P.VIEW_ALL_CASES, P.VIEW_INSPECTIONS},
}


def allows(role, permission):
    return Permission(permission) in PERMISSIONS.get(Role(role), set())
