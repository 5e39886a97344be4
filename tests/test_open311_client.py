"""A real client over real HTTP: the curl examples of the developers' page, run as printed against the portal served
on loopback, list the services, file a report and follow it."""
import html
import json
import re
import shutil
import subprocess
import threading

import pytest
from werkzeug.serving import make_server

from portal.extensions import db
from portal.open311.keys import create_key
from tests.conftest import free_port, migrated_app

if shutil.which("curl") is None:
    pytest.skip("curl is not installed", allow_module_level=True)

EXAMPLE = re.compile(r"<pre[^>]*><code>(.*?)</code></pre>", re.S)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """(base address, API key) of the portal served over HTTP on its own database."""
    # Limits stay on: the limiter is one object shared by every app of the test process, and RATELIMIT_ENABLED=False
    # here switched them off for the limit tests that run later.
    app = migrated_app(tmp_path_factory.mktemp("open311"), "open311", TESTING=False, MAIL_SUPPRESS_SEND=True)
    with app.app_context():
        _row, key = create_key("curl")
        db.session.commit()
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}", key
    server.shutdown()


def run(commands):
    """The shell commands, with curl failing on an HTTP error; their output."""
    script = commands.replace("curl ", "curl --silent --show-error --fail-with-body ")
    done = subprocess.run(["bash", "-e", "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, (script, done.stdout, done.stderr)
    return done.stdout


def test_the_printed_examples_list_file_and_follow(live):
    base, key = live
    page = run(f"curl '{base}/open311/'")
    services, filing, following, _errors = (html.unescape(block).replace("YOUR_KEY", key)
                                            for block in EXAMPLE.findall(page))
    listed = run(services)
    assert '"service_code": "dat_dai"' in listed and "<service_code>dat_dai</service_code>" in listed
    filed = json.loads(run(filing))[0]
    code = filed["service_request_id"]
    assert re.fullmatch(r"HN-\d{4}-[0-9A-Z]{5}", code)
    followed = run(re.sub(r"HN-2026-7KQ4M", code, following))
    assert followed.count(code) == 2  # the request by its id (JSON) and in the open list (XML)
    assert '"status": "open"' in followed and "<status>open</status>" in followed


def test_no_request_line_logged_holds_a_key(live, caplog):
    """A partner that puts its key in the address does not leave it in the server's log."""
    import logging
    base, key = live
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        run(f"curl '{base}/open311/v2/requests.json?status=open&api_key={key}'")
        run(f"curl -H 'X-Api-Key: {key}' '{base}/open311/v2/requests.json'")
    lines = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert any("requests.json?status=open&api_key=" in line for line in lines)  # the line is there...
    assert not [line for line in lines if key in line]  # ...without the key
