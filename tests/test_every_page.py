"""Every staff page, as every role, on a few thousand demo complaints: no server error anywhere.

A crawler signs in as each of the seven roles and follows, breadth first from /staff/, every link and every GET
form (each choice of its selects) it finds under /staff/, as a curious person would: lists and their pages,
sorting and filters, case pages, search pages 1 and 2, the patterns drill-downs, exports and files. Addresses
are only ever found on the pages, never built here, so the test follows the app when its URLs change.

The crawl reads the module's copy of the demo data generated once per run (tests/demo_data.py), at the data's
present.
"""
import time
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException

from portal.accounts.operations import create_user
from portal.cases.deadline_checks import check_deadlines
from portal.complaints.models import Complaint
from portal.directory.models import Agency
from portal.extensions import db
from portal.jobs import refresh_patterns
from portal.search import store
from portal.timeutil import freeze
from tests.conftest import STAFF_PASSWORD, english_client, sign_in
from tests.demo_data import DEMO_NOW

ROLES = ("intake", "officer", "agency_head", "home_affairs", "inspector", "commission", "admin")
MAX_PAGES = 100  # per role: enough to reach every kind of page, within the time CI can spare
PER_SHAPE = 3  # pages of one route with the same query arguments (group drill-downs, list pages, ...)
SHAPE_LIMITS = {"inspections.case_page": 8}  # cases in different states show different forms
PER_ROUTE = {"inspections.search_export": 2, "inspections.patterns_export": 2,  # a few thousand rows each
             "inspections.staff_file": 3, "inspections.inspection_export": 2}
OPTIONS_PER_SELECT = 6
COMMON_WORD = "hồ sơ"  # in most demo complaints: results over many pages
SKIPPED = ("/staff/logout",)
PUBLIC = ("/transparency/", "/open311/", "/account/", "/track", "/complaints/new")
ERROR_MARKS = ("Traceback (most recent call last)", "jinja2.exceptions", "UndefinedError")


@pytest.fixture(scope="module")
def site(demo_app):
    """The module's copy of the demo data, with patterns computed and deadlines checked as the worker would at
    the data's present, and one signed-in browser per role."""
    with freeze(DEMO_NOW), demo_app.app_context():
        refresh_patterns()
        check_deadlines()
        db.session.commit()
        users = _one_user_per_role()
    browsers = {role: sign_in(demo_app, english_client(demo_app), user_id) for role, user_id in users.items()}
    yield demo_app, browsers
    store.forget()


def _one_user_per_role():
    """{role: user id}; the officer and the head work for the agency with the most cases."""
    busiest = db.session.scalar(select(Complaint.agency_id).where(Complaint.agency_id.is_not(None))
                                .group_by(Complaint.agency_id).order_by(func.count().desc()).limit(1))
    agency = db.session.get(Agency, busiest)
    users = {role: create_user(f"crawl.{role}@hanoi.gov.vn", f"Crawl {role}", role, STAFF_PASSWORD,
                               agency.code if role in ("officer", "agency_head") else None)
             for role in ROLES}
    db.session.commit()
    return {role: user.id for role, user in users.items()}


class Page(HTMLParser):
    """The links and the GET forms of one page."""

    def __init__(self):
        super().__init__()
        self.links, self.forms, self._form, self._select = [], [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            get = (attrs.get("method") or "get").lower() == "get"
            self._form = {"action": attrs.get("action") or "", "fields": [], "selects": {}} if get else None
        elif self._form is not None and tag in ("input", "select") and attrs.get("name"):
            self._field(tag, attrs)
        elif self._select is not None and tag == "option":
            self._form["selects"][self._select].append(attrs.get("value") or "")

    def _field(self, tag, attrs):
        if tag == "select":
            self._select = attrs["name"]
            self._form["selects"][self._select] = []
        elif attrs.get("type") not in ("submit", "button") and (
                attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs):
            self._form["fields"].append((attrs["name"], attrs.get("value") or ""))
        elif attrs.get("type") == "checkbox":
            self._form.setdefault("boxes", []).append((attrs["name"], attrs.get("value") or "on"))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def form_addresses(form, page_path):
    """The addresses a GET form sends: as it stands, then each of the first options of each select, then each
    box ticked."""
    action = urljoin(page_path, form["action"] or page_path)
    base = dict(form["fields"])
    base.update({name: options[0] for name, options in form["selects"].items() if options})
    variants = [base]
    variants += [{**base, name: option} for name, options in form["selects"].items()
                 for option in options[:OPTIONS_PER_SELECT]]
    variants += [{**base, name: value} for name, value in form.get("boxes", [])]
    return [f"{urlsplit(action).path}?{urlencode(variant)}" for variant in variants]


def shape(app, address):
    """(endpoint, the names of the query arguments given): pages of one shape show the same template."""
    parts = urlsplit(address)
    try:
        endpoint, _ = app.url_map.bind("localhost").match(parts.path, method="GET")
    except HTTPException:
        endpoint = parts.path
    return endpoint, tuple(sorted({name for name, value in parse_qsl(parts.query) if value}))


def crawl(app, browser, seeds, within=("/staff/",)):
    """Visit what can be reached from `seeds` under the paths `within`. Returns ({address: status}, [failures])."""
    queue, seen, visited, failures = deque(seeds), set(seeds), {}, []
    shapes, routes = Counter(), Counter()
    while queue and len(visited) < MAX_PAGES:
        address = queue.popleft()
        kind = shape(app, address)
        if shapes[kind] >= SHAPE_LIMITS.get(kind[0], PER_SHAPE) or routes[kind[0]] >= PER_ROUTE.get(kind[0], 10**6):
            continue
        shapes[kind] += 1
        routes[kind[0]] += 1
        try:
            response = browser.get(address)
        except Exception as error:  # TESTING propagates the exception a visitor would see as a 500 page
            failures.append(f"{address}: {type(error).__name__}: {error}")
            continue
        visited[address] = response.status_code
        html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        if response.status_code >= 500 or any(mark in html for mark in ERROR_MARKS):
            failures.append(f"{address}: {response.status_code}")
        for found in _addresses(html, address, within):
            if found not in seen:
                seen.add(found)
                queue.append(found)
    return visited, failures


def _addresses(html, current, within):
    if not html:
        return []
    page = Page()
    page.feed(html)
    found = [urljoin(current, link) for link in page.links]
    found += [address for form in page.forms for address in form_addresses(form, current)]
    kept = []
    for address in found:
        parts = urlsplit(address)
        if parts.netloc not in ("", "localhost") or not parts.path.startswith(within):
            continue  # other sites, and the other side of the portal
        if parts.path in SKIPPED:
            continue
        kept.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return kept


pytestmark = pytest.mark.demo_data


@pytest.mark.parametrize("role", ROLES)
def test_every_reachable_staff_page_answers_without_a_server_error(site, role):
    app, browsers = site
    started = time.perf_counter()
    seeds = ["/staff/", "/staff/search?" + urlencode({"q": ""}), "/staff/search?" + urlencode({"q": COMMON_WORD}),
             "/staff/inspections", "/staff/commission"]  # reached early, within MAX_PAGES (a refusal for some roles)
    with freeze(DEMO_NOW):
        visited, failures = crawl(app, browsers[role], seeds)
    assert failures == []
    assert visited["/staff/"] == 200 and len(visited) >= 10, visited
    assert any("page=2" in address and status == 200 for address, status in visited.items()
               if address.startswith("/staff/search")), "search page 2 was not reached"
    inspection_pages = [address for address, status in visited.items()
                        if address.startswith("/staff/inspections/TT-") and status == 200]
    if role in ("officer", "agency_head", "intake"):
        assert visited["/staff/inspections"] == 403 and inspection_pages == []
    else:  # the demo's inspections were reached
        assert visited["/staff/inspections"] == 200 and inspection_pages, visited
    print(f"{role}: {len(visited)} pages in {time.perf_counter() - started:.1f} s")


def test_every_reachable_public_page_answers_without_a_server_error(site):
    """The public side as a visitor meets it: the figures of every agency, the published answers and their pages
    1 and 2, searches, the developers' page and the API's documents."""
    app, _browsers = site
    visitor = english_client(app)
    seeds = ["/", "/transparency/", "/transparency/answers", "/transparency/answers?" + urlencode({"q": COMMON_WORD}),
             "/open311/", "/account/sign-in"]
    with freeze(DEMO_NOW):
        visited, failures = crawl(app, visitor, seeds, within=PUBLIC)
    assert failures == []
    assert visited["/transparency/answers"] == 200, visited
    assert any(address.startswith("/transparency/answers?") and "page=2" in address and status == 200
               for address, status in visited.items()), "the second page of published answers was not reached"
    assert any(address.startswith("/transparency/answers/") and status == 200 for address, status in visited.items())
    for document in ("discovery.xml", "services.json", "services/dat_dai.xml", "openapi.json"):
        assert visitor.get(f"/open311/v2/{document}").status_code == 200
