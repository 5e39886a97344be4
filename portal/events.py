"""What each kind of history event is called on the pages."""
from flask_babel import lazy_gettext as _l

LABELS = {
    "filed": _l("Submission received"),
    "accepted": _l("Accepted by the intake desk"),
    "assigned": _l("Sent to the responsible agency"),
    "rejected": _l("Not accepted"),
    "merged": _l("Merged with another case about the same matter"),
    "duplicate_merged": _l("A duplicate submission was merged into this case"),
    "transferred": _l("Transferred to another agency"),
    "officer_assigned": _l("Assigned to an officer"),
    "officer_reassigned": _l("Assigned to another officer"),
    "in_progress": _l("The agency is handling it"),
    "note": _l("Internal note"),
    "replied": _l("Reply from the agency"),
    "answered": _l("Answered by the agency"),
    "closed": _l("Closed"),
    "withdrawn": _l("Withdrawn by the resident"),
    "publication_approved": _l("Question and answer approved for the public pages"),
    "publication_declined": _l("Not published on the public pages"),
    "publication_withdrawn": _l("Taken off the public pages"),
    "reopened": _l("Reopened: the resident is not satisfied with the answer"),
    "extension_requested": _l("Extension requested"),
    "extension_refused": _l("Extension refused"),
    "extended": _l("Deadline extended"),
    "escalated": _l("Overdue: escalated to the Department of Home Affairs"),
    "identity_revealed": _l("Denouncer's identity viewed"),
    "inspection_concluded": _l("An inspection related to this case has concluded"),
    # An inspection case's own history
    "inspection_opened": _l("Inspection opened"),
    "investigating": _l("Investigation under way"),
    "finding_added": _l("Finding recorded"),
    "findings_established": _l("Findings established"),
    "recommended": _l("Recommendation made"),
    "party_notified": _l("Party organisation told"),
    "party_notice_missed": _l("Party organisation not told in time: escalated"),
    "inspection_closed": _l("Inspection closed"),
}


def event_label(action):
    return LABELS.get(action, action.replace("_", " "))
