"""Settings read from the environment, with safe defaults for a one-command start.

Nothing secret lives in the code: when SECRET_KEY is not given, a random key is generated once and kept in the
instance folder, so sessions survive restarts without anybody writing a key into the repository.
"""
import os
import secrets
from pathlib import Path

DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "BABEL_DEFAULT_LOCALE": "vi",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
    "LANGUAGES": ("vi", "en"),
    "BOOTSTRAP_SERVE_LOCAL": True,
    "MAX_CONTENT_LENGTH": 26 * 1024 * 1024,  # 25 MB of attachments plus the form itself
    "MAX_ATTACHMENTS": 5,
    "MAX_ATTACHMENTS_BYTES": 25 * 1024 * 1024,
    "SUBMISSION_RATE_LIMIT": "5 per minute;20 per hour;50 per day",
    "TRACK_RATE_LIMIT": "30 per minute",
    # per case, from any address: failed contact checks, one-time code requests and wrong one-time codes
    "TRACK_CASE_RATE_LIMIT": "5 per hour;10 per day",
    # residents' sign-in: per address (asking for a code, typing one), and per email from any address
    "RESIDENT_SIGN_IN_RATE_LIMIT": "10 per minute;40 per hour",
    "RESIDENT_EMAIL_RATE_LIMIT": "8 per hour;20 per day",
    "RATELIMIT_HEADERS_ENABLED": True,
    # Open311: filing is counted per API key (a hotline files for many callers), reading per address.
    "OPEN311_FILING_RATE_LIMIT": "30 per minute;2000 per day",
    "OPEN311_READ_RATE_LIMIT": "120 per minute",
    "OPEN311_JURISDICTION": "hanoi.gov.vn",
    "OPEN311_CONTACT": "Sở Nội vụ Hà Nội – Cổng phản ánh, kiến nghị (open311@hanoi.gov.vn)",
    "OPEN311_KEY_SERVICE": "Sở Nội vụ Hà Nội cấp khóa API cho đối tác: open311@hanoi.gov.vn",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": 8 * 3600,
    "MAIL_DEFAULT_SENDER": "Cổng phản ánh Hà Nội <no-reply@localhost>",
    "OUTBOX_MAX_BACKOFF_SECONDS": 3600,
    "OUTBOX_BATCH_SIZE": 50,
    "WORKER_POLL_SECONDS": 2.0,
    "TRACK_LINK_MAX_AGE_DAYS": 730,
    "TIMEZONE": "Asia/Ho_Chi_Minh",
    "PROXY_FIX_X_FOR": 0,  # reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed
    "PASSWORD_HASHING": "RFC_9106_LOW_MEMORY",  # an argon2-cffi profile (portal/accounts/passwords.py)
}

# Environment variable -> (setting, converter)
ENVIRONMENT = {
    "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "SECRET_KEY": ("SECRET_KEY", str),
    "PUBLIC_URL": ("PUBLIC_URL", str),
    "UPLOAD_DIR": ("UPLOAD_DIR", str),
    "SEARCH_INDEX_DIR": ("SEARCH_INDEX_DIR", str),
    "RATELIMIT_STORAGE_URI": ("RATELIMIT_STORAGE_URI", str),
    "MAIL_SERVER": ("MAIL_SERVER", str),
    "MAIL_PORT": ("MAIL_PORT", int),
    "MAIL_USE_TLS": ("MAIL_USE_TLS", lambda v: v.lower() in ("1", "true", "yes")),
    "MAIL_USE_SSL": ("MAIL_USE_SSL", lambda v: v.lower() in ("1", "true", "yes")),
    "MAIL_USERNAME": ("MAIL_USERNAME", str),
    "MAIL_PASSWORD": ("MAIL_PASSWORD", str),
    "MAIL_DEFAULT_SENDER": ("MAIL_DEFAULT_SENDER", str),
    "SESSION_COOKIE_SECURE": ("SESSION_COOKIE_SECURE", lambda v: v.lower() in ("1", "true", "yes")),
    "TRUSTED_PROXIES": ("PROXY_FIX_X_FOR", int),
    "OPEN311_FILING_RATE_LIMIT": ("OPEN311_FILING_RATE_LIMIT", str),
    "OPEN311_READ_RATE_LIMIT": ("OPEN311_READ_RATE_LIMIT", str),
}


def configure(app, overrides=None):
    """Fill app.config: defaults, then the environment, then explicit overrides (tests)."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.update(DEFAULTS)
    app.config.update(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'portal.db'}",
        PUBLIC_URL="http://127.0.0.1:5000",
        UPLOAD_DIR=str(instance / "uploads"),
        SEARCH_INDEX_DIR=str(instance / "search-index"),
        RATELIMIT_STORAGE_URI="memory://",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=25,
    )
    for variable, (setting, convert) in ENVIRONMENT.items():
        if os.environ.get(variable):
            app.config[setting] = convert(os.environ[variable])
    app.config.update(overrides or {})
    app.config["SQLALCHEMY_DATABASE_URI"] = _sqlalchemy_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance / "secret_key")


def _sqlalchemy_url(url):
    """Accept the usual postgres:// spellings and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _instance_secret(path):
    """A random key made on first start and kept, readable by the owner only."""
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()
