"""What is public: the one rule, for the stored column the list reads, the pages and the public index.

It reads only the complaint's own columns, so the models can keep `published_at` with it (a mapper hook)."""
from portal.domain.enums import Kind, Status

SHOWN_STATUSES = (Status.ANSWERED.value, Status.CLOSED.value)  # reopened: hidden until answered again


def answer_will_be_public(complaint):
    """Whether `complaint` is published once answered: the filer agreed when filing, it is a report or a
    recommendation (intake may reclassify it), and staff have not taken it off the public pages."""
    return (bool(complaint.publish_consent) and Kind(complaint.kind).may_be_published
            and complaint.publication_withdrawn_at is None)


def published_since(complaint):
    """When `complaint` became public (its answer), or None while it may not be shown."""
    shown = (answer_will_be_public(complaint) and complaint.answered_at is not None
             and complaint.status in SHOWN_STATUSES)
    return complaint.answered_at if shown else None
