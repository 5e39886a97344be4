"""The HTTP benchmark's floor routes exist only in the benchmark's own app, never in the portal."""
from benchmarks.floor_app import PREFIX


def test_portal_serves_no_benchmark_floor_route(app, client):
    assert not [rule for rule in app.url_map.iter_rules() if rule.rule.startswith(PREFIX)]
    for path in ("/trivial", "/template"):
        assert client.get(PREFIX + path).status_code == 404
    assert client.post(PREFIX + "/insert").status_code in (400, 404)  # no route (or refused by CSRF)
