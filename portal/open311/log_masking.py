"""No log line holds an API key: a key sent in an address (api_key=…) is masked in the request lines the server
writes (the development server's, through the `werkzeug` logger). Behind gunicorn, the access log format the README
gives writes the path without its query string."""
import logging
import re

_KEY_IN_ADDRESS = re.compile(r"(api_key=)[^&\s\"']+", re.IGNORECASE)


class KeysMasked(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        if "api_key=" in message.lower():
            record.msg, record.args = _KEY_IN_ADDRESS.sub(r"\1…", message), ()
        return True


def mask_keys_in_request_logs():
    request_log = logging.getLogger("werkzeug")
    if not any(isinstance(existing, KeysMasked) for existing in request_log.filters):
        request_log.addFilter(KeysMasked())
