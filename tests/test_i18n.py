"""Vietnamese first, English second, every string translated."""
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def test_pages_are_vietnamese_by_default(app):
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert "Gửi" in page and "English" in page


def test_the_language_switch_works_without_javascript(app):
    client = app.test_client()
    response = client.get("/lang/en?next=/track")
    assert response.status_code == 302 and response.headers["Location"] == "/track"
    assert '<html lang="en">' in client.get("/track").get_data(as_text=True)
    assert "Tiếng Việt" in client.get("/").get_data(as_text=True)


def test_the_switch_never_redirects_elsewhere(app):
    client = app.test_client()
    for target in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        assert client.get(f"/lang/vi?next={target}").headers["Location"] == "/"


def test_vietnamese_validation_messages(app):
    from tests.helpers import post_form
    client = app.test_client()
    page = post_form(client, address="", kind="to_cao").get_data(as_text=True)
    assert "needs your address" not in page
    assert "địa chỉ" in page.lower()


def test_every_string_has_a_vietnamese_translation(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "N_", "-o", str(template), "."], cwd=ROOT, check=True, capture_output=True)
    with open(template, "rb") as handle:
        wanted = {message.id for message in read_po(handle) if message.id}
    with open(ROOT / "portal/translations/vi/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle)
    translated = {m.id for m in catalog if m.id and m.string and "fuzzy" not in m.flags
                  and (all(m.string) if isinstance(m.string, tuple) else True)}
    missing = sorted(str(message) for message in wanted - translated)
    assert missing == [], f"run `make extract` and translate: {missing[:10]}"


def test_a_resident_who_picks_an_unknown_choice_is_told_in_vietnamese(app):
    from tests.helpers import post_form
    page = post_form(app.test_client(), category="no-such-field").get_data(as_text=True)
    assert "Lựa chọn không hợp lệ: vui lòng chọn một mục trong danh sách." in page
    assert "Not a valid choice" not in page and "Please correct the following" not in page


def test_the_catalog_follows_a_forced_language_within_one_request(app):
    """Emails are rendered in the resident's language inside a staff member's request (and inside the worker's
    long-lived context): the catalog found once per context must still follow force_locale, both ways."""
    from flask import session
    from flask_babel import force_locale, gettext

    with app.test_request_context("/"):
        session["lang"] = "en"
        assert gettext("Home") == "Home"
        with force_locale("vi"):
            assert gettext("Home") == "Trang chủ"
            with force_locale("en"):
                assert gettext("Home") == "Home"
            assert gettext("Home") == "Trang chủ"
        assert gettext("Home") == "Home"
