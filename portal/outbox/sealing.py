"""What an outbox row must carry until it is carried out (an email's address, its text, a private link, a sign-in
code) is sealed at rest and dropped once done: a copy of the database alone holds no message, and a sent one
holds nothing at all.

Sealed by portal/sealing.py under the outbox's own key. Rotating SECRET_KEY leaves the
rows sealed before unreadable: the worker then gives them up (a message nobody can read cannot be sent)."""
import json

from cryptography.fernet import InvalidToken
from flask import current_app

from portal.sealing import fernet

SEALED = "sealed"  # the payload key of the sealed part; what else a payload holds is for operators


class Unreadable(Exception):
    """The sealed part was made under another key, or altered."""


def seal(content):
    """A payload holding `content` (a dict) sealed."""
    return _fernet().encrypt(json.dumps(content).encode()).decode()


def unseal(token):
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken as error:
        raise Unreadable("sealed under another secret key, or altered") from error


def without_sealed(payload):
    """The payload as kept once its message is carried out: the operators' part only."""
    return {key: value for key, value in payload.items() if key != SEALED}


def _fernet():
    return fernet(current_app.config["SECRET_KEY"], "outbox")
