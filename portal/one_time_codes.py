"""Short codes sent by email to prove that somebody reads a mailbox (a denouncer opening her case, a resident
signing in): drawn at random, stored only as an HMAC keyed with the application's secret, short-lived, single
use, and good for a few tries. The rows that hold them have `digest`, `tries_left` and `expires_at`."""
import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from limits import parse_many

from portal.extensions import limiter

CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=15)
CODE_MINUTES = int(CODE_LIFETIME.total_seconds() // 60)  # as the emails and pages say it
CODE_TRIES = 5


def new_code():
    return f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


def keyed_digest(message):
    """The HMAC of `message` under SECRET_KEY: a leaked table gives no code back."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def arm(row, digest, now):
    """Make `row` hold a fresh code (its digest), valid from `now` for CODE_LIFETIME and CODE_TRIES tries."""
    row.digest, row.tries_left, row.expires_at = digest, CODE_TRIES, now + CODE_LIFETIME


def typed_code(typed):
    """The code as typed, spaces removed ("123 456" is 123456)."""
    return "".join((typed or "").split())


def redeem(row, digest, now):
    """True, once, when `digest` (of the typed code) is the row's before it expires; each wrong try uses up one
    of the code's tries."""
    if row is None or row.digest is None or row.tries_left <= 0 or row.expires_at <= now:
        return False
    if hmac.compare_digest(row.digest, digest):
        row.digest, row.tries_left = None, 0
        return True
    row.tries_left -= 1
    if row.tries_left <= 0:
        row.digest = None
    return False


def tries_exhausted(setting, scope, key):
    """Whether `key` (a case, an email) has had its share of tries for now under the limits in the `setting`
    config, from whatever addresses they came."""
    return not all(limiter.limiter.test(limit, scope, key) for limit in _limits(setting))


def count_try(setting, scope, key):
    for limit in _limits(setting):
        limiter.limiter.hit(limit, scope, key)


def _limits(setting):
    return parse_many(current_app.config[setting])
