"""What is public: the one rule, for the stored column the list reads, the pages and the public index.

A consented answer is public only once a person approved its public version (portal/publication/review.py): the
machine's redaction pre-fills the reviewer's form, it never publishes. A new answer sends the case back to the
reviewers. The rule reads only the complaint's own columns, so the models can keep `published_at` with it (a
mapper hook)."""
from portal.domain.enums import Kind, Status
from portal.timeutil import utcnow

SHOWN_STATUSES = (Status.ANSWERED.value, Status.CLOSED.value)  # reopened: hidden until answered again
# complaint.publication_review: None until a consented answer exists, then one of these
WAITING, APPROVED, DECLINED = "waiting", "approved", "declined"


def answer_will_be_public(complaint):
    """Whether `complaint`'s answer is offered for publication once given: the filer agreed when filing, it is a
    report or a recommendation (intake may reclassify it), and staff have not taken it off the public pages."""
    return (bool(complaint.publish_consent) and Kind(complaint.kind).may_be_published
            and complaint.publication_withdrawn_at is None)


def await_review(complaint):
    """An answer was given: if it may be published, its public version waits for a reviewer (again, if an
    earlier answer had one)."""
    if answer_will_be_public(complaint):
        complaint.publication_review, complaint.publication_queued_at = WAITING, utcnow()


def awaits_review(complaint):
    return (complaint.publication_review == WAITING and answer_will_be_public(complaint)
            and complaint.status in SHOWN_STATUSES)


def published_since(complaint):
    """When `complaint` became public (its answer), or None while it may not be shown."""
    shown = (answer_will_be_public(complaint) and complaint.publication_review == APPROVED
             and complaint.answered_at is not None and complaint.status in SHOWN_STATUSES)
    return complaint.answered_at if shown else None
