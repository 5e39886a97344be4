"""Filing through the real form: the rules per kind, nothing lost on an error, abuse guards, routing, deadlines."""
import uuid

import pytest
from PIL import Image
from sqlalchemy import select

from portal.complaints.attachments import path_of
from portal.complaints.models import Complaint
from portal.extensions import db
from tests.conftest import token_in
from tests.helpers import VALID, complaint_count, photo_bytes, post_form, queued_emails


def filed(app):
    """The latest complaint, loaded with what the test reads of it."""
    with app.app_context():
        complaint = db.session.scalars(select(Complaint).order_by(Complaint.id.desc())).first()
        complaint.attachments, complaint.filer  # noqa: B018  (load them before the session closes)
        return complaint


@pytest.mark.parametrize("kind", ["phan_anh", "kien_nghi", "khieu_nai", "to_cao"])
def test_each_kind_is_filed_and_acknowledged(app, client, kind):
    response = post_form(client, kind=kind)
    assert response.status_code == 303
    assert "/track/" in response.headers["Location"]
    page = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    with app.app_context():
        complaint = db.session.scalars(select(Complaint)).one()
        assert complaint.kind == kind and complaint.status == "received"
        assert complaint.code in page
        assert [e.action for e in complaint.events] == ["filed"]
        assert complaint.accept_due_at > complaint.created_at
        assert complaint.resolve_due_at > complaint.accept_due_at or kind == "phan_anh"
        emails = queued_emails()
        assert [m.payload["to"] for m in emails] == ["an.nguyen@example.com"]
        assert complaint.code in emails[0].payload["text"]


def test_tracking_code_is_short_and_unambiguous(app, client):
    post_form(client)
    code = filed(app).code
    assert code.startswith("HN-20") and len(code) == 13
    assert not set(code[8:]) & set("ILOU")


def test_anonymous_report_is_accepted_without_identity(app, client):
    response = post_form(client, anonymous="y", full_name="", phone="", email="", address="")
    assert response.status_code == 303
    complaint = filed(app)
    assert complaint.anonymous and complaint.filer_id is None


@pytest.mark.parametrize("kind", ["kien_nghi", "khieu_nai", "to_cao"])
def test_other_kinds_cannot_be_anonymous(app, client, kind):
    response = post_form(client, kind=kind, anonymous="y")
    assert response.status_code == 400
    assert "cannot be anonymous" in response.get_data(as_text=True) or complaint_count(app) == 0
    assert complaint_count(app) == 0


@pytest.mark.parametrize("kind", ["khieu_nai", "to_cao"])
def test_complaints_and_denunciations_need_an_address(app, client, kind):
    response = post_form(client, kind=kind, address="")
    assert response.status_code == 400
    assert "needs your address" in response.get_data(as_text=True)


def test_denunciation_only_from_an_individual(app, client):
    response = post_form(client, kind="to_cao", filer_type="business", organisation="Công ty A",
                         tax_code="0101234567")
    assert response.status_code == 400
    assert "only be made by an individual" in response.get_data(as_text=True)


@pytest.mark.parametrize("tax_code, ok", [("0101234567", True), ("0101234567-001", True),
                                          ("0101234567001", True), ("010123456", False), ("01012345A7", False)])
def test_business_tax_code(app, client, tax_code, ok):
    response = post_form(client, filer_type="business", organisation="Công ty TNHH Minh Phát", tax_code=tax_code)
    assert response.status_code == (303 if ok else 400)
    if not ok:
        assert "A tax code has 10 digits" in response.get_data(as_text=True)


@pytest.mark.parametrize("field, value, message", [
    ("phone", "12345", "does not look like a Vietnamese phone number"),
    ("email", "an@@example", "This email address is not valid"),
    ("full_name", "", "Please give your full name"),
    ("title", "", "Please give a short subject"),
    ("description", "quá chậm", "in 20 to 10,000 characters"),
    ("category", "", "Please choose the field"),
    ("problem_type", None, "Please choose what went wrong"),
    ("truthful", None, "Please confirm that what you wrote is true"),
    ("category", "no-such-field", "Not a valid choice"),
])
def test_wrong_fields_say_what_to_fix(app, client, field, value, message):
    response = post_form(client, **{field: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert complaint_count(app) == 0


def test_a_phone_or_an_email_is_needed(app, client):
    response = post_form(client, phone="", email="")
    assert "Please give a phone number or an email" in response.get_data(as_text=True)


def test_contact_preference_must_match_a_given_contact(app, client):
    response = post_form(client, email="", contact_preference="email")
    assert "You asked to be contacted by email" in response.get_data(as_text=True)


def test_phone_is_stored_in_international_form(app, client):
    post_form(client, phone="0912.345.678")
    with app.app_context():
        assert db.session.scalars(select(Complaint)).one().filer.phone == "+84912345678"


def test_nothing_typed_or_uploaded_is_lost_on_an_error(app, client):
    response = post_form(client, files=[("ảnh hiện trường.jpg", photo_bytes())], email="sai-dia-chi",
                         official_name="Trần Văn B")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert VALID["description"] in page and "Trần Văn B" in page and "sai-dia-chi" in page
    assert "ảnh hiện trường.jpg" in page  # the stored file is listed, not asked for again
    response = post_form(client, token=token_in(response), email="an.nguyen@example.com")
    assert response.status_code == 303
    with app.app_context():
        complaint = db.session.scalars(select(Complaint)).one()
        assert [a.original_name for a in complaint.attachments] == ["ảnh hiện trường.jpg"]


def test_a_kept_file_can_be_removed(app, client):
    response = post_form(client, files=[("a.png", photo_bytes("PNG"))], email="bad")
    with app.app_context():
        from portal.complaints.models import Attachment
        token = db.session.scalars(select(Attachment.token)).one()
    assert post_form(client, token=token_in(response), remove_file=token).status_code == 303
    assert filed(app).attachments == []


def test_an_html_file_named_jpg_is_refused(app, client):
    response = post_form(client, files=[("photo.jpg", b"<html><script>alert(1)</script></html>")])
    assert response.status_code == 400
    assert "photo.jpg" in response.get_data(as_text=True)
    assert complaint_count(app) == 0


def test_images_lose_their_gps_position(app, client):
    exif = Image.Exif()
    exif[0x0110] = "Phone X"
    exif.get_ifd(0x8825).update({1: "N", 2: (21.0, 2.0, 0.0), 3: "E", 4: (105.0, 51.0, 0.0)})
    original = photo_bytes(exif=exif)
    assert Image.open(__import__("io").BytesIO(original)).getexif().get_ifd(0x8825)  # the source has GPS
    assert post_form(client, files=[("gps.jpg", original)]).status_code == 303
    attachment = filed(app).attachments[0]
    with app.app_context():
        stored = Image.open(path_of(attachment))
    assert not stored.getexif().get_ifd(0x8825)
    assert len(stored.getexif()) == 0


def test_at_most_five_files(app, client):
    files = [(f"{i}.png", photo_bytes("PNG")) for i in range(6)]
    response = post_form(client, files=files)
    assert response.status_code == 400
    assert "at most 5 files" in response.get_data(as_text=True)


def test_a_request_over_the_size_limit_gets_a_friendly_page(app, client):
    app.config["MAX_CONTENT_LENGTH"], limit = 1000, app.config["MAX_CONTENT_LENGTH"]
    try:
        response = post_form(client, files=[("big.pdf", b"%PDF-1.4 " + b"0" * 5000)])
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert response.status_code == 413
    assert "25 MB" in response.get_data(as_text=True) and "Traceback" not in response.get_data(as_text=True)


def test_a_post_without_csrf_token_files_nothing(app, client):
    response = client.post("/complaints/new", data={**VALID, "csrf_token": "forged"})
    assert response.status_code == 400
    assert complaint_count(app) == 0
    assert VALID["description"] in response.get_data(as_text=True)  # still kept for a genuine resident


def test_the_honeypot_stops_robots(app, client):
    response = post_form(client, website="http://spam.example")
    assert response.status_code == 400
    assert complaint_count(app) == 0


def test_submissions_per_address_are_limited_without_losing_the_text(app, client):
    app.config["SUBMISSION_RATE_LIMIT"] = "2 per minute"
    try:
        assert post_form(client, email="bad").status_code == 400  # a failed try does not count
        assert [post_form(client).status_code for _ in range(2)] == [303, 303]
        response = post_form(client, title="Lần thứ ba gửi phản ánh")
    finally:
        app.config["SUBMISSION_RATE_LIMIT"] = "5 per minute;20 per hour;50 per day"
    assert response.status_code == 429
    assert "Lần thứ ba gửi phản ánh" in response.get_data(as_text=True)
    assert complaint_count(app) == 2


def test_routing_sends_local_land_matters_to_the_ward(app, client):
    post_form(client, category="dat_dai", ward="00004")
    complaint = filed(app)
    with app.app_context():
        complaint = db.session.get(Complaint, complaint.id)
        assert complaint.agency.code == "UBND-00004"
        assert complaint.routing_rule.ward_committee


def test_routing_without_ward_goes_to_the_department(app, client):
    post_form(client, category="dat_dai")
    with app.app_context():
        complaint = db.session.scalars(select(Complaint)).one()
        assert complaint.agency.code == "SNNMT"


def test_the_form_explains_the_kinds_and_emergencies(client):
    page = client.get("/complaints/new").get_data(as_text=True)
    assert "113" in page and "115" in page
    assert 'name="kind"' in page and 'value="to_cao"' in page


def test_deadlines_skip_tet_2026(app, client):
    """Filed Friday 13 Feb 2026 at 10:00: Tết and the weekend are skipped."""
    from datetime import datetime

    from portal.timeutil import HANOI, freeze, to_local
    with freeze(datetime(2026, 2, 13, 10, 0, tzinfo=HANOI)):
        assert post_form(client, kind="phan_anh").status_code == 303
        assert post_form(client, kind="to_cao").status_code == 303
    with app.app_context():
        report, denunciation = db.session.scalars(select(Complaint).order_by(Complaint.id)).all()
        assert to_local(report.accept_due_at) == datetime(2026, 2, 23, 10, 0, tzinfo=HANOI)  # 8 working hours
        # 10 working days: 23-27 Feb and 2-6 Mar (16-20 Feb are Tết, 21-22 a weekend)
        assert to_local(report.resolve_due_at).date().isoformat() == "2026-03-06"
        assert to_local(denunciation.accept_due_at).date().isoformat() == "2026-03-03"  # 7 working days
        assert to_local(denunciation.resolve_due_at).date().isoformat() == "2026-03-16"  # 30 days, Sat -> Mon


@pytest.fixture
def redis_limited_app():
    """An app whose limits are counted in Redis (as with several app processes); the shared limiter object
    is given back to the test app afterwards."""
    from portal import create_app
    from portal.extensions import limiter
    saved = limiter._storage, limiter._limiter
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "TRACK_RATE_LIMIT": "2 per minute",
                      "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
                      # counters of this app's own: another test process's reset deletes only its own keys
                      "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": f"portal-test-{uuid.uuid4().hex}"}})
    limiter.reset()
    yield app
    limiter.reset()
    limiter._storage, limiter._limiter = saved


def test_limits_can_be_counted_in_redis(redis_limited_app):
    from portal.extensions import limiter
    assert type(limiter._storage).__name__ == "RedisStorage"
    client = redis_limited_app.test_client()
    assert [client.get("/track").status_code for _ in range(3)] == [200, 200, 429]


def test_files_of_a_form_never_sent_are_removed_after_a_day(app, client):
    from datetime import timedelta

    from portal.complaints.models import Attachment
    from portal.jobs import remove_abandoned_uploads
    from portal.timeutil import freeze, utcnow
    post_form(client, files=[("x.png", photo_bytes("PNG"))], email="bad")  # then the resident gives up
    with app.app_context():
        path = path_of(db.session.scalars(select(Attachment)).one())
        assert path.exists() and remove_abandoned_uploads() == 0
        with freeze(utcnow() + timedelta(days=2)):
            assert remove_abandoned_uploads() == 1
        assert not path.exists() and db.session.scalars(select(Attachment)).all() == []


def test_a_field_over_its_length_is_a_polite_message_in_vietnamese(app):
    resident = app.test_client()  # Vietnamese, the default
    response = post_form(resident, official_name="Nguyễn " * 50)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Nguyễn Nguyễn" in page  # what was typed is kept
    assert "200" in page and "Field cannot be longer" not in page  # the library's message, translated


def test_an_email_with_accents_before_the_at_is_refused_politely_keeping_what_was_typed(app, client):
    """Mail servers on the way seldom carry such an address (SMTPUTF8): its emails would never arrive."""
    response = post_form(client, email="nguyễn.an@example.com", description="Hồ sơ cấp phép xây dựng nộp "
                                                                              "từ tháng 3 vẫn chưa có kết quả gì.")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and complaint_count(app) == 0
    assert "The part before @ cannot have accents" in html and "nguyễn.an@example.com" in html
    assert post_form(client, email="an@ví-dụ.vn").status_code == 303  # a Vietnamese domain is fine...
    with app.app_context():
        [message] = queued_emails()
        assert message.payload["to"].startswith("an@xn--")  # ...sent in the form every server carries
