"""What each kind of history event is called on the public pages."""
from flask_babel import lazy_gettext as _l

LABELS = {
    "filed": _l("Submission received"),
}


def event_label(action):
    return LABELS.get(action, action.replace("_", " "))
