"""What an outbox row must carry until it is carried out (an email's address, its text, a private link, a sign-in
code) is sealed at rest and dropped once done: a copy of the database alone holds no message, and a sent one
holds nothing at all.

Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) under a key derived with HKDF-SHA256 from SECRET_KEY,
which lives in the environment or the instance folder, never in the database. Rotating SECRET_KEY leaves the
rows sealed before unreadable: the worker then gives them up (a message nobody can read cannot be sent)."""
import base64
import json

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

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
    secret = current_app.config["SECRET_KEY"]
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"portal outbox").derive(
        secret.encode() if isinstance(secret, str) else secret)
    return Fernet(base64.urlsafe_b64encode(key))
