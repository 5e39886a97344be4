"""Who is told of what happens to a case. Everything goes through the outbox; staff emails carry the code, the
text the agency may see and a link, never a denouncer's identity."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.cases.visibility import main_case_code
from portal.extensions import db
from portal.i18n import N_
from portal.notifications import queue_email
from portal.residents.digest import wants_digest
from portal.tracking_links import tracking_url

RESIDENT_SUBJECTS = {
    "accepted": N_("Your submission %(code)s has been accepted"),
    "rejected": N_("Your submission %(code)s could not be accepted"),
    "merged": N_("Your submission %(code)s is now handled with case %(main)s"),
    "merged_unnamed": N_("Your submission %(code)s is now handled together with another case"),
    "transferred": N_("Your submission %(code)s was sent to another agency"),
    "replied": N_("A reply about your submission %(code)s"),
    "extended": N_("More time is needed for your submission %(code)s"),
    "answered": N_("Your submission %(code)s has been answered"),
    "inspection_concluded": N_("An inspection about your submission %(code)s has concluded"),
}


def tell_resident(complaint, event, **context):
    """Email the filer about `event`, in the language they filed in (anonymous filers have no address), unless
    they chose the weekly digest, which reports the event's public update instead."""
    if complaint.filer is None or not complaint.filer.email or wants_digest(complaint.filer.email):
        return
    main = main_case_code(complaint)
    subject = RESIDENT_SUBJECTS["merged_unnamed" if event == "merged" and not main else event]
    queue_email(f"resident_{event}", complaint.filer.email, locale=complaint.locale, complaint=complaint,
                subject=_l(subject, code=complaint.code, main=main), c=complaint, main=main,
                link=tracking_url(complaint), **context)


def agency_staff(agency, roles=(Role.OFFICER, Role.AGENCY_HEAD)):
    if agency is None:
        return []
    return db.session.scalars(select(User).where(User.agency_id == agency.id, User.active,
                                                 User.role.in_([r.value for r in roles]))).all()


def staff_with_role(role):
    return db.session.scalars(select(User).where(User.role == Role(role).value, User.active)).all()


def tell_staff(users, event, subject, **context):
    """One email per staff member, in Vietnamese (the working language of the administration)."""
    for user in users:
        queue_email(f"staff_{event}", user.email, locale="vi", subject=subject, user=user, **context)
