"""Links in emails: signed links that open a case's tracking page for the resident, plain links to the staff
case page (which asks staff to sign in). Staff links name the case by its staff reference: the resident's
tracking code never goes to an agency."""
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "track-link"


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def tracking_token(complaint):
    return _serializer().dumps(complaint.code)


def tracking_url(complaint):
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/track/{tracking_token(complaint)}"


def code_from_token(token):
    """The code a link was made for, or None when the link is forged or too old."""
    max_age = current_app.config["TRACK_LINK_MAX_AGE_DAYS"] * 86400
    try:
        return _serializer().loads(token, max_age=max_age)
    except BadSignature:
        return None


def public_url(path):
    """`path` on the portal's public address (links in emails and API answers)."""
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}{path}"


def staff_url(path):
    return public_url(path)


def staff_link_ref(reference):
    return staff_url(f"/staff/cases/{reference}")


def staff_link(complaint):
    return staff_link_ref(complaint.reference)


def inspection_link(inspection):
    return staff_url(f"/staff/inspections/{inspection.reference}")
