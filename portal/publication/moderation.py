"""Taking a published answer off the public pages. Nobody reviews a text before it is published (the filer agreed,
the redaction ran); when intake or Sở Nội vụ see that it still tells who somebody is, they take it off, with a
reason in the case's history. The agency answered cannot: it could hide an answer it is not proud of."""
from flask_babel import lazy_gettext as _l

from portal.cases.operations import actor
from portal.cases.workflow import CaseError, check_version
from portal.history import record_event
from portal.timeutil import utcnow


def withdraw_publication(complaint, user, *, version, reason):
    """Take `complaint` off the public list, its page and the public index (the index follows after commit)."""
    check_version(complaint, version)
    if not reason:
        raise CaseError(_l("Please say why it comes off the public pages."))
    if complaint.published_at is None:
        raise CaseError(_l("This answer is not on the public pages."))
    complaint.publication_withdrawn_at = utcnow()
    record_event(complaint, "publication_withdrawn", actor=actor(user), note=reason)
