"""The session cookie sealed as well as signed. Flask's cookie is only signed: decoded (it is base64 JSON), it
would show the email a resident is signing in with, the cases a browser opened and the files a form is carrying.
Sealed under the session's own key (portal/sealing.py), it reveals nothing; altered or sealed under another key,
it is an empty session."""
from cryptography.fernet import InvalidToken
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal.sealing import fernet


class _SealedJSON:
    """Flask's tagged JSON, sealed."""

    def __init__(self, secret):
        self.json, self.fernet = TaggedJSONSerializer(), fernet(secret, "session")

    def dumps(self, value):
        return self.fernet.encrypt(self.json.dumps(value).encode()).decode()

    def loads(self, value):
        try:
            return self.json.loads(self.fernet.decrypt(value.encode() if isinstance(value, str) else value))
        except InvalidToken as error:
            raise BadSignature("the session was sealed under another key") from error


class SealedCookieSessions(SecureCookieSessionInterface):
    def get_signing_serializer(self, app):
        if not app.secret_key:
            return None
        return URLSafeTimedSerializer(app.secret_key, salt=self.salt, serializer=_SealedJSON(app.secret_key),
                                      signer_kwargs={"key_derivation": self.key_derivation,
                                                     "digest_method": self.digest_method})
