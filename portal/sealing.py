"""Sealing what must not be readable at rest or in a decoded cookie: Fernet (AES-128-CBC with HMAC-SHA256, from
`cryptography`) under a key of its own per purpose, derived with HKDF-SHA256 from SECRET_KEY, which lives in the
environment or the instance folder, never in the database."""
import base64

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def fernet(secret, purpose):
    """The Fernet of `purpose` ("outbox", "session"...) under `secret` (the app's SECRET_KEY)."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"portal {purpose}".encode()).derive(
        secret.encode() if isinstance(secret, str) else secret)
    return Fernet(base64.urlsafe_b64encode(key))
