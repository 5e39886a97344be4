"""End to end in a real headless Chromium, phone-sized, with JavaScript switched off: a resident files,
corrects a mistake without losing anything, and follows the case."""
import os
import shutil
import threading

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select
from werkzeug.serving import make_server

from tests.conftest import free_port, migrated_app
from tests.helpers import photo_bytes

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
if not (CHROMIUM and CHROMEDRIVER):
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian's chromium and chromium-driver (installed by .ci/run)")
    pytest.skip("chromium and chromedriver are not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def live_url(tmp_path_factory):
    """The portal served over HTTP on loopback, on its own database."""
    app = migrated_app(tmp_path_factory.mktemp("live"), "live", TESTING=False, MAIL_SUPPRESS_SEND=True)
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=390,844", f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    # The browser keeps the real clock when CI fakes the server's (.ci/run): Chromium's zygote does not start
    # under libfaketime. A resident's phone whose clock differs from the server's is a fair test anyway.
    environment = {name: value for name, value in os.environ.items() if name != "LD_PRELOAD"}
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER, env=environment), options=options)
    yield driver
    driver.quit()


def tick(browser, css):
    """Tick a radio button or checkbox from the keyboard, as a keyboard or screen-reader user would."""
    element = browser.find_element(By.CSS_SELECTOR, css)
    if not element.is_selected():
        element.send_keys(Keys.SPACE)


def fill(browser, name, text):
    element = browser.find_element(By.NAME, name)
    element.clear()
    element.send_keys(text)


def test_a_resident_files_fixes_a_mistake_and_follows_the_case(live_url, browser, tmp_path):
    photo = tmp_path / "hien-truong.jpg"
    photo.write_bytes(photo_bytes())
    browser.get(f"{live_url}/complaints/new")
    assert "Gửi" in browser.page_source  # Vietnamese by default
    Select(browser.find_element(By.NAME, "category")).select_by_value("xay_dung")
    tick(browser, "input[name=problem_type][value=harassment]")
    Select(browser.find_element(By.NAME, "ward")).select_by_value("00004")
    fill(browser, "title", "Cán bộ gây khó dễ khi xin giấy phép")
    fill(browser, "description", "Tôi đến nộp hồ sơ xin giấy phép xây dựng ba lần nhưng bị trả lại không rõ lý do.")
    browser.find_element(By.NAME, "attachments").send_keys(str(photo))
    fill(browser, "phone", "0912345678")
    fill(browser, "email", "lan@example.com")
    tick(browser, "input[name=truthful]")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").submit()

    # The name was forgotten: the page says so, and keeps the text and the photo.
    assert browser.find_element(By.ID, "error-summary").is_displayed()
    assert "ba lần" in browser.find_element(By.NAME, "description").get_attribute("value")
    assert "hien-truong.jpg" in browser.page_source
    fill(browser, "full_name", "Lê Thị Lan")
    tick(browser, "input[name=truthful]")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").submit()

    code = browser.find_element(By.CLASS_NAME, "tracking-code").text
    assert code.startswith("HN-")
    browser.save_screenshot(os.environ.get("E2E_SCREENSHOT", str(tmp_path / "filed.png")))

    # Another visit, with only the code and the phone.
    browser.delete_all_cookies()
    browser.get(f"{live_url}/track")
    fill(browser, "code", code.lower())
    fill(browser, "contact", "0912 345 678")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").submit()
    page = browser.page_source
    assert "Cán bộ gây khó dễ khi xin giấy phép" in page
    assert "hien-truong.jpg" in page and "Lê Thị Lan" not in page
