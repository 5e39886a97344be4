"""Open311 GeoReport v2, used as a partner's software would: every endpoint in XML and JSON, valid and invalid
input, every JSON answer checked against our OpenAPI document and every XML answer against its JSON twin."""
import io
import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from sqlalchemy import select
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from portal.complaints.models import Complaint
from portal.extensions import db
from portal.open311.formats import NOT_XML, SINGULAR
from portal.open311.keys import ApiKey, create_key
from portal.open311.openapi import openapi_document
from portal.timeutil import freeze, utcnow
from portal.tracking_links import tracking_token
from tests.conftest import reference_of, signed_in, token_in
from tests.helpers import photo_bytes
from tests.test_staff_pages import act

BASE = "/open311/v2"
FILER = {"last_name": "Trịnh", "first_name": "Thị Mai", "email": "mai.trinh@example.com", "phone": "0987 654 321",
         "attribute[filer_address]": "8 Ngõ Huế, Hai Bà Trưng"}
IDENTITY = ("Trịnh", "Thị Mai", "mai.trinh@example.com", "987654321", "0987 654 321", "Ngõ Huế")
REPORT = {"service_code": "dat_dai", "attribute[kind]": "phan_anh", "attribute[problem_type]": "delay",
          "address_string": "Số 1 Tràng Tiền", "description": "Hồ sơ cấp sổ đỏ nộp từ tháng 8 vẫn chưa có kết quả.",
          **FILER}


@pytest.fixture
def spec(app):
    with app.test_request_context():
        return OpenAPI.from_dict(openapi_document())


@pytest.fixture
def key(app):
    with app.app_context():
        _row, secret = create_key("Tổng đài 1022")
        db.session.commit()
        return secret


@pytest.fixture
def api(app, spec):
    """A partner's HTTP client: every answer is checked against the OpenAPI document (JSON) or its JSON twin (XML),
    and none may carry the filer's identity."""
    client = app.test_client()

    def call(method, path, fmt="json", undocumented=False, **kwargs):
        url = f"{BASE}/{path}.{fmt}"
        response = getattr(client, method)(url, **kwargs)
        body = response.get_data(as_text=True)
        assert not [part for part in IDENTITY if part in body], body
        assert response.headers["Content-Type"].startswith("application/json" if fmt == "json" else "text/xml")
        if fmt == "json" and not undocumented:
            sent = WerkzeugOpenAPIRequest(Request(EnvironBuilder(url, method=method.upper(), **kwargs).get_environ()))
            if response.status_code < 400:  # what the server accepts, the document allows
                spec.validate_request(sent)
            spec.validate_response(sent, WerkzeugOpenAPIResponse(response))
        return response
    return call


def both(api, method, path, **kwargs):
    """The answer in JSON, after checking that the XML answer says the same."""
    as_json, as_xml = api(method, path, "json", **kwargs), api(method, path, "xml", **kwargs)
    assert as_json.status_code == as_xml.status_code
    assert _from_xml(ElementTree.fromstring(as_xml.data)) == _as_text(as_json.get_json()), as_xml.data
    return as_json


def _from_xml(element):
    if element.tag in SINGULAR:
        return [_from_xml(child) for child in element]
    if len(element):
        return {child.tag: _from_xml(child) for child in element}
    return element.text or ""


def _as_text(value):
    if isinstance(value, list):
        return [_as_text(item) for item in value]
    if isinstance(value, dict):
        return {name: _as_text(item) for name, item in value.items()}
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else NOT_XML.sub("", str(value))  # what XML cannot hold, JSON escapes


def file(api, key, fmt="json", **changes):
    data = {**REPORT, "api_key": key, **changes}
    return api("post", "requests", fmt, data={name: value for name, value in data.items() if value is not None})


def test_discovery_services_and_a_definition(api):
    endpoints = both(api, "get", "discovery").get_json()["endpoints"]
    assert endpoints[0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoints[0]["formats"] == ["text/xml", "application/json"]
    services = both(api, "get", "services").get_json()
    land = next(service for service in services if service["service_code"] == "dat_dai")
    assert land["service_name"] == "Đất đai" and land["metadata"] is True and land["group"]
    assert len({service["group"] for service in services}) > 1
    definition = both(api, "get", "services/dat_dai", query_string={"locale": "en"}).get_json()
    attributes = {attribute["code"]: attribute for attribute in definition["attributes"]}
    assert {"kind", "agency", "official", "procedure", "dossier_code", "ward"} <= set(attributes)
    assert {value["key"] for value in attributes["kind"]["values"]} == {"phan_anh", "kien_nghi", "khieu_nai"}
    assert attributes["problem_type"]["required"] and attributes["problem_type"]["description"] == "What went wrong?"


def test_an_unknown_service_or_address_is_a_404_in_the_format_asked(api):
    for fmt in ("json", "xml"):
        response = api("get", "services/no_such_field", fmt)
        assert response.status_code == 404 and b"no_such_field" in response.data
    assert both(api, "get", "no-such-thing", undocumented=True).status_code == 404
    assert both(api, "get", "services", query_string={"jurisdiction_id": "hcm.gov.vn"}).status_code == 404


def test_filing_answers_the_tracking_code_and_reads_it_back(app, api, key):
    answer = file(api, key)
    assert answer.status_code == 201, answer.data
    filed = answer.get_json()[0]
    code = filed["service_request_id"]
    assert code.startswith("HN-") and code in filed["service_notice"]
    with app.app_context():
        complaint = db.session.scalars(select(Complaint).where(Complaint.code == code)).one()
        assert (complaint.channel, complaint.filer.full_name, complaint.location_text) == (
            "api", "Trịnh Thị Mai", "Số 1 Tràng Tiền")
        assert complaint.accept_due_at is not None and complaint.suggested_agency_id is not None
    found = both(api, "get", f"requests/{code}", query_string={"api_key": key}).get_json()
    # What a person typed goes out only as a reviewer approved it for the public: nothing yet.
    assert found[0]["status"] == "open" and found[0]["description"] == ""
    assert found[0]["requested_datetime"].endswith("+07:00") and found[0]["address"] == "Số 1 Tràng Tiền"
    token = both(api, "get", f"tokens/{filed['token']}", query_string={"api_key": key}).get_json()
    assert token == [{"service_request_id": code, "token": filed["token"]}]
    listed = both(api, "get", "requests", query_string={"api_key": key, "status": "open"}).get_json()
    assert [request["service_request_id"] for request in listed] == [code]
    in_header = both(api, "get", "requests", query_string={"status": "open"}, headers={"X-Api-Key": key}).get_json()
    assert in_header == listed  # the key sent in a header, which no access log keeps


def test_xml_filing(api, key):
    answer = api("post", "requests", "xml", data={**REPORT, "api_key": key})
    assert answer.status_code == 201
    assert ElementTree.fromstring(answer.data).find("request/service_request_id").text.startswith("HN-")


def test_a_filing_reaches_the_track_page_staff_triage_and_the_outbox(app, api, key, make_user):
    code = file(api, key).get_json()[0]["service_request_id"]
    resident = app.test_client()
    page = resident.post("/track", data={"code": code, "contact": "mai.trinh@example.com",
                                         "csrf_token": _token(resident, "/track")}, follow_redirects=True)
    assert "Hồ sơ cấp sổ đỏ" in page.get_data(as_text=True)
    intake = signed_in(app, make_user("intake"))
    assert reference_of(code) in intake.get("/staff/triage").get_data(as_text=True)
    with app.app_context():
        from tests.helpers import queued_emails
        assert [message.payload["to"] for message in queued_emails()][-1] == "mai.trinh@example.com"


def _token(client, url):
    from tests.conftest import csrf_token
    return csrf_token(client, url)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_invalid_filings_say_what_to_fix(api, key, fmt):
    cases = {
        "service_code": {"service_code": None},
        "unknown service no_such": {"service_code": "no_such"},
        "description": {"description": "ngắn quá"},
        "attribute[problem_type]": {"attribute[problem_type]": None},
        "please give a location": {"address_string": None},
        "lat, long": {"lat": "91", "long": "105.8"},
        "address_id": {"address_id": "99999"},
        "denunciation": {"attribute[kind]": "to_cao"},
        "attribute[filer_address]": {"attribute[kind]": "khieu_nai", "attribute[filer_address]": None},
        "email": {"email": "not an email"},
    }
    for expected, changes in cases.items():
        response = file(api, key, fmt, locale="en", **changes)
        assert response.status_code == 400, (expected, response.data)
        assert expected.encode() in response.data, (expected, response.data)


def test_a_key_is_needed_to_file_and_must_be_valid(api, key):
    assert both(api, "post", "requests", data=REPORT).status_code == 403
    assert both(api, "post", "requests", data={**REPORT, "api_key": "hn311_wrong"}).status_code == 403
    assert both(api, "get", "requests", query_string={"api_key": "hn311_wrong"}).status_code == 403


def test_reading_shows_only_the_keys_own_requests_and_never_a_denunciation(app, api, key, make_complaint):
    other_key = _another_key(app)
    mine = file(api, key).get_json()[0]["service_request_id"]
    theirs = file(api, other_key).get_json()[0]["service_request_id"]
    web, denunciation = make_complaint(), make_complaint(kind="to_cao")
    for code in (theirs, web, denunciation):
        for query in ({"api_key": key}, {}):
            assert both(api, "get", f"requests/{code}", query_string=query).status_code == 404
    listed = both(api, "get", "requests", query_string={"api_key": key,
                                                        "service_request_id": f"{mine},{theirs},{denunciation}"})
    assert [request["service_request_id"] for request in listed.get_json()] == [mine]
    assert both(api, "get", "requests").get_json() == []  # without a key: nothing filed by anybody


def _another_key(app):
    with app.app_context():
        _row, secret = create_key("Ki-ốt phường")
        db.session.commit()
        return secret


def test_status_notes_carry_only_the_approved_public_answer_and_the_answer_closes(app, api, key, make_user):
    code = file(api, key, service_code="xay_dung", **{"attribute[publish]": "true"}).get_json()[0]["service_request_id"]
    intake, officer = signed_in(app, make_user("intake")), signed_in(app, make_user("officer", "SXD"))
    assert act(intake, code, "accept", kind="phan_anh", category="xay_dung", problem_type="delay", ward="",
               agency="SXD").status_code == 302
    assert act(officer, code, "start").status_code == 302
    assert act(officer, code, "note", text="Ghi chú nội bộ: gọi lại sau").status_code == 302
    assert act(officer, code, "answer", text="Đã cấp sổ ngày 5/12 cho bà Mai.", resolved="y",
               files=[(io.BytesIO(photo_bytes()), "so.jpg")]).status_code == 302
    found = both(api, "get", f"requests/{code}", query_string={"api_key": key}).get_json()[0]
    assert found["status"] == "closed" and found["agency_responsible"] == "Sở Xây dựng"
    assert "Đã cấp sổ" not in found["status_notes"] and found["description"] == ""  # not reviewed yet
    assert act(intake, code, "publish", subject="Chậm cấp sổ đỏ", text="Hồ sơ cấp sổ đỏ chưa có kết quả.",
               reply="Đã cấp sổ ngày 5/12.").status_code == 302
    found = both(api, "get", f"requests/{code}", query_string={"api_key": key}).get_json()[0]
    assert (found["status_notes"], found["description"]) == ("Đã cấp sổ ngày 5/12.", "Hồ sơ cấp sổ đỏ chưa có kết quả.")
    listed = api("get", "requests", query_string={"api_key": key, "status": "closed"}).get_data(as_text=True)
    assert code in listed and "nội bộ" not in listed and "bà Mai" not in listed
    assert code not in api("get", "requests", query_string={"api_key": key, "status": "open"}).get_data(as_text=True)


@pytest.mark.parametrize("query, expected", [
    ({"start_date": "yesterday"}, "start_date"),
    ({"end_date": "2026-13-01T00:00:00+07:00"}, "end_date"),
    ({"start_date": "2026-01-01T00:00:00+07:00", "end_date": "2026-06-01T00:00:00+07:00"}, "90 days"),
    ({"start_date": "2026-06-01T00:00:00+07:00", "end_date": "2026-05-01T00:00:00+07:00"}, "before"),
    ({"status": "pending"}, "status"),
    ({"service_code": "dat_dai,no_such"}, "no_such"),
])
def test_bad_list_parameters_are_400(api, key, query, expected):
    response = both(api, "get", "requests", query_string={"api_key": key, "locale": "en", **query})
    assert response.status_code == 400 and expected in response.get_json()[0]["description"]


def test_the_list_covers_90_days_by_default_and_a_range_on_request(api, key):
    with freeze(utcnow() - timedelta(days=100)):
        old = file(api, key).get_json()[0]["service_request_id"]
    new = file(api, key).get_json()[0]["service_request_id"]
    default = [r["service_request_id"] for r in both(api, "get", "requests", query_string={"api_key": key}).get_json()]
    assert default == [new]
    start = (utcnow() - timedelta(days=110)).isoformat()
    end = (utcnow() - timedelta(days=50)).isoformat()
    ranged = api("get", "requests", query_string={"api_key": key, "start_date": start, "end_date": end}).get_json()
    assert [r["service_request_id"] for r in ranged] == [old]


def test_filing_is_limited_per_key(app, api, key, monkeypatch):
    monkeypatch.setitem(app.config, "OPEN311_FILING_RATE_LIMIT", "2 per minute")
    assert [file(api, key).status_code for _ in range(2)] == [201, 201]
    refused = both(api, "post", "requests", data={**REPORT, "api_key": key})
    assert refused.status_code == 429 and refused.get_json()[0]["code"] == 429
    assert file(api, _another_key(app)).status_code == 201  # another partner is not held up


def test_keys_from_the_command_line_are_stored_hashed_and_revocable(app, runner, api):
    created = runner.invoke(args=["apikey", "create", "Ứng dụng iHanoi"])
    assert created.exit_code == 0, created.output
    secret = created.output.split()[-1]
    assert secret.startswith("hn311_")
    with app.app_context():
        row = db.session.scalars(select(ApiKey).where(ApiKey.name == "Ứng dụng iHanoi")).one()
        assert secret not in (row.digest, row.hint) and len(row.digest) == 64
    listing = runner.invoke(args=["apikey", "list"]).output
    assert "Ứng dụng iHanoi" in listing and "active" in listing and secret not in listing
    assert runner.invoke(args=["apikey", "create", "Ứng dụng iHanoi"]).exit_code != 0
    assert file(api, secret).status_code == 201
    assert runner.invoke(args=["apikey", "revoke", "Ứng dụng iHanoi"]).exit_code == 0
    assert file(api, secret).status_code == 403
    assert "revoked" in runner.invoke(args=["apikey", "list"]).output


def test_the_openapi_document_and_the_developers_page(app, client):
    document = client.get(f"{BASE}/openapi.json").get_json()
    OpenAPI.from_dict(document)  # a valid OpenAPI 3 document
    assert set(document["paths"]) >= {f"{BASE}/requests.{{format}}", f"{BASE}/tokens/{{token}}.{{format}}"}
    english = client.get("/open311/").get_data(as_text=True)
    assert "curl -X POST" in english and "Denunciations (tố cáo) are never filed" in english
    vietnamese = app.test_client().get("/open311/").get_data(as_text=True)
    assert "curl -X POST" in vietnamese, vietnamese
    assert "Tố cáo" in vietnamese, vietnamese


def test_reads_are_not_cached_but_services_are(api, key):
    assert api("get", "services").headers["Cache-Control"].startswith("public")
    assert api("get", "requests", query_string={"api_key": key}).headers["Cache-Control"] == "no-store"


def test_a_request_intake_finds_to_be_a_denunciation_stays_as_it_was_filed(app, api, key, make_user):
    """The software that filed it (a ward's kiosk, say) must not learn that its request became a tố cáo: it is
    neither gone (a 404 would tell) nor moving on, only as it stood when filed."""
    from portal.accounts.models import User
    from portal.cases import operations as ops
    from portal.directory.models import Agency, Category, ProblemType
    code = file(api, key, **{"attribute[kind]": "khieu_nai"}).get_json()[0]["service_request_id"]
    as_filed = both(api, "get", f"requests/{code}", query_string={"api_key": key}).get_json()
    intake = make_user("intake")
    with app.app_context():
        complaint = db.session.scalars(select(Complaint).where(Complaint.code == code)).one()
        ops.accept(complaint, db.session.get(User, intake), version=complaint.version,
                   agency=db.session.scalars(select(Agency).where(Agency.code == "TTTP")).one(),
                   category=db.session.get(Category, complaint.category_id),
                   problem_type=db.session.get(ProblemType, complaint.problem_type_id), kind="to_cao",
                   redacted_title="Tố cáo cán bộ", redacted_description="Nội dung tố cáo đã che danh tính.")
        db.session.commit()
        assert complaint.kind == "to_cao" and complaint.status == "assigned"
    assert both(api, "get", f"requests/{code}", query_string={"api_key": key}).get_json() == as_filed
    listed = api("get", "requests", query_string={"api_key": key}).get_json()
    assert [request for request in listed if request["service_request_id"] == code] == as_filed
    # Nor does the tracking page tell the holder of the code: it answers as for a code no case has...
    partner = app.test_client()

    def asked(tracking_code, method):
        page = partner.get(f"/track?code={tracking_code}") if method == "get" else partner.post("/track", data={
            "code": tracking_code, "contact": FILER["email"], "csrf_token": token_in(partner.get("/track"))})
        return page.status_code, _without_csrf(page.get_data(as_text=True).replace(tracking_code, "CODE"))
    for method in ("get", "post"):
        assert asked(code, method) == asked("HN-2026-ZZZZZ", method)
    assert partner.post(f"/track/{code}/one-time", data={"one_time_code": "123456"}).status_code in (400, 404)
    with app.app_context():  # ...while the filer's own private link opens it
        link = tracking_token(db.session.scalars(select(Complaint).where(Complaint.code == code)).one())
    filer = app.test_client()
    opened = filer.get(f"/track/{link}", follow_redirects=True).get_data(as_text=True)
    assert code in opened and "Tố cáo" in opened


def _without_csrf(html):
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+(")', r"\1\2", html)


def test_replies_nobody_reviewed_never_go_out(app, api, key, make_user):
    """A partner may show its requests publicly: an agency's reply greeting the filer by name is no public text."""
    code = file(api, key, service_code="xay_dung").get_json()[0]["service_request_id"]
    intake, officer = signed_in(app, make_user("intake")), signed_in(app, make_user("officer", "SXD"))
    act(intake, code, "accept", kind="phan_anh", category="xay_dung", problem_type="delay", ward="", agency="SXD")
    act(officer, code, "start")
    assert act(officer, code, "reply", text="Kính gửi bà Trịnh Thị Mai (0987 654 321): hồ sơ đang được xử lý."
               ).status_code == 302
    notes = both(api, "get", f"requests/{code}", query_string={"api_key": key}).get_json()[0]["status_notes"]
    assert notes == "Cơ quan có thẩm quyền đang giải quyết."  # the state, in the platform's own words


def test_the_key_counts_only_as_the_filing_form_sends_it(app, key):
    """A key in the address would escape the per-key count (which reads the form): filing takes it from the form."""
    response = app.test_client().post(f"{BASE}/requests.json?api_key={key}", data={**REPORT, "api_key": "junk"})
    assert response.status_code == 403


def test_control_characters_and_odd_dates_are_answered_politely(app, api, key):
    filed = file(api, key, description="Hồ sơ cấp sổ đỏ nộp\x0b từ tháng 8\x00 vẫn chưa có kết quả.")
    assert filed.status_code == 201
    code = filed.get_json()[0]["service_request_id"]
    assert both(api, "get", "requests", query_string={"api_key": key}).status_code == 200  # the XML twin parses
    with app.app_context():
        stored = db.session.scalars(select(Complaint.description).where(Complaint.code == code)).one()
    assert stored == "Hồ sơ cấp sổ đỏ nộp từ tháng 8 vẫn chưa có kết quả."
    assert both(api, "get", "services/a\x01b").status_code == 404
    for date in ("9999-12-31T23:00:00-12:00", "0001-01-01T00:00:00+07:00"):
        assert both(api, "get", "requests", query_string={"api_key": key, "start_date": date}).status_code == 400


def test_an_unsupported_method_is_an_open311_error(app):
    response = app.test_client().delete(f"{BASE}/requests.json")
    assert response.status_code == 405 and response.get_json()[0]["code"] == 405
