"""Inspection cases through the real pages: opened from a pattern group, taken to a recommendation and closed;
the commission's review; the countdown to tell a disciplined party member's organisation; the "slow to
correct" list; and the refusal of the agency inspected on every inspection page, file and export."""
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from portal.accounts.models import User
from portal.cases import operations as case_ops
from portal.cases.workflow import CaseError, VersionConflict
from portal.complaints.models import Complaint
from portal.directory.models import Agency
from portal.domain.deadlines import work_calendar
from portal.domain.text import official_key
from portal.extensions import db
from portal.figures.upkeep import refresh_figures
from portal.history import CaseEvent, first_broken_link
from portal.oversight import operations as ops
from portal.oversight.models import InspectionCase, RecordView
from portal.oversight.states import Recommendation
from portal.timeutil import freeze, local_date, utcnow
from tests.conftest import case_url, csrf_token, english_client, reference_of, signed_in, token_in
from tests.helpers import photo_bytes, queued_emails
from tests.test_accused_agency import form_on

OFFICIAL = "Trần Văn Khải"
ALLEGATIONS = "Cán bộ Trần Văn Khải nhiều lần hẹn lại hồ sơ và gợi ý chi phí bồi dưỡng."
FINDING = "Xác minh 12 hồ sơ: 9 hồ sơ bị hẹn lại quá hạn không có lý do; hai người dân xác nhận bị gợi ý tiền."


@pytest.fixture(autouse=True)
def english_messages(app, monkeypatch):
    """Refusals are read in English here (outside a request the portal speaks its default, Vietnamese)."""
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "en")


@pytest.fixture
def people(make_user):
    return {"inspector": make_user("inspector", name="Thanh tra viên Nga"), "colleague": make_user("inspector"),
            "snv": make_user("home_affairs"), "commission": make_user("commission"), "admin": make_user("admin"),
            "intake": make_user("intake"), "officer": make_user("officer", "SXD"),
            "head": make_user("agency_head", "SXD")}


@pytest.fixture
def browsers(app, people):
    return {who: signed_in(app, user_id) for who, user_id in people.items()}


def accepted_complaints(app, make_complaint, people, count=3, **fields):
    """`count` complaints naming the official, accepted for the Department of Construction (SXD)."""
    codes = [make_complaint(official_name=OFFICIAL, official_position="chuyên viên một cửa", **fields)
             for _ in range(count)]
    with app.app_context():
        sxd = db.session.scalars(select(Agency).where(Agency.code == "SXD")).one()
        for code in codes:
            complaint = db.session.scalars(select(Complaint).where(Complaint.code == code)).one()
            case_ops.accept(complaint, db.session.get(User, people["intake"]), version=complaint.version, agency=sxd,
                            category=complaint.category, problem_type=complaint.problem_type)
        db.session.commit()
        refresh_figures()
    return codes


def post(browser, ref, action, **data):
    page = browser.get(f"/staff/inspections/{ref}")
    text = page.get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', text)
    data.setdefault("version", version.group(1) if version else "")
    # One who may not act finds no form: the token of their home page's sign-out form, as a forger would have it.
    data["csrf_token"] = token_in(page) if "csrf_token" in text else csrf_token(browser, "/staff/")
    return browser.post(f"/staff/inspections/{ref}/{action}", data=data, content_type="multipart/form-data")


def open_from_pattern(app, browser, **changes):
    """The inspector opens an inspection from the official's pattern group, the form as prefilled plus `changes`;
    the new inspection's reference."""
    key = official_key(OFFICIAL)
    group = browser.get(f"/staff/patterns/official/{key}?days=90").get_data(as_text=True)
    assert "Open an inspection from this group" in group
    address = f"/staff/inspections/new?dimension=official&key={key}&days=90"
    page = browser.get(address)
    fields = form_on(page, "/staff/inspections/new") | {"allegations": [ALLEGATIONS]} | {
        name: [value] for name, value in changes.items()}
    response = browser.post("/staff/inspections/new", data=fields)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return response.headers["Location"].rsplit("/", 1)[-1]


def mail_to(address):
    return [m.payload for m in queued_emails() if m.payload["to"] == address]


def test_from_a_pattern_to_a_recommendation_the_commission_and_the_residents(app, browsers, people, make_complaint):
    codes = accepted_complaints(app, make_complaint, people)
    ref = open_from_pattern(app, browsers["inspector"], party_member="y", members=str(people["colleague"]))
    with app.app_context():
        inspection = db.session.scalars(select(InspectionCase).where(InspectionCase.reference == ref)).one()
        assert inspection.origin == "pattern" and inspection.official_key == official_key(OFFICIAL)
        assert sorted(c.code for c in inspection.complaints) == sorted(codes)
        assert {m.id for m in inspection.members} == {people["inspector"], people["colleague"]}
        assert inspection.agency.code == "SXD" and inspection.party_member
    page = browsers["inspector"].get(f"/staff/inspections/{ref}").get_data(as_text=True)
    assert ALLEGATIONS in page and all(reference_of(code) in page for code in codes)

    assert post(browsers["inspector"], ref, "establish").status_code == 400  # not investigating yet
    assert post(browsers["inspector"], ref, "start").status_code == 302
    refused = post(browsers["colleague"], ref, "establish")
    assert refused.status_code == 400 and "Record at least one finding first." in refused.get_data(as_text=True)
    assert post(browsers["colleague"], ref, "finding", text=FINDING, substantiated="y",
                files=[(io.BytesIO(photo_bytes()), "biên bản Khải.jpg")]).status_code == 302
    assert post(browsers["inspector"], ref, "establish").status_code == 302
    typed = post(browsers["inspector"], ref, "recommend", recommendation="discipline", reason="")
    assert typed.status_code == 400 and "Please give the reasoning" in typed.get_data(as_text=True)
    assert post(browsers["inspector"], ref, "recommend", recommendation="discipline",
                reason="Vi phạm quy định về thời hạn và đạo đức công vụ.").status_code == 302

    page = browsers["commission"].get(f"/staff/inspections/{ref}").get_data(as_text=True)
    assert "Disciplinary measure" in page and 'id="party-notice"' in page and "working day" in page
    assert 'action="/staff/inspections/' not in page  # the commission reads only
    assert post(browsers["commission"], ref, "close").status_code == 403
    review = browsers["commission"].get("/staff/commission").get_data(as_text=True)
    party = review[review.index('id="party-members"'):review.index('id="slow"')]
    leaders = review[review.index('id="most-substantiated"'):]
    assert ref in party and OFFICIAL in leaders
    evidence = re.search(rf'href="(/staff/inspections/{ref}/files/[^"]+)"', page).group(1)
    download = browsers["commission"].get(evidence)
    assert download.status_code == 200 and download.mimetype == "image/jpeg"
    assert re.fullmatch(rf'attachment; filename={ref}-1-\d+\.jpg', download.headers["Content-Disposition"])

    with app.app_context():
        before = len(mail_to("hoa.pham@example.com"))
        versions = dict(db.session.execute(select(Complaint.code, Complaint.version)).all())
    assert post(browsers["inspector"], ref, "close").status_code == 302
    with app.app_context():
        updates = db.session.scalars(select(CaseEvent).where(CaseEvent.action == "inspection_concluded")).all()
        assert len(updates) == len(codes) and all(e.public for e in updates)
        assert {e.note for e in updates} == {str(Recommendation.DISCIPLINE.public_outcome)}
        told = mail_to("hoa.pham@example.com")[before:]  # the filer of each complaint, in her language
        assert len(told) == len(codes) and {codes[0] in m["subject"] for m in told} == {True, False}
        for internal in (ALLEGATIONS, FINDING, OFFICIAL, ref):
            assert not any(internal in m["text"] + m["html"] for m in told)
        assert first_broken_link() is None
        # The complaints' rows are left alone: a moved version would tell an officer that something happened.
        assert dict(db.session.execute(select(Complaint.code, Complaint.version)).all()) == versions
    resident = english_client(app)
    lookup = resident.get(f"/track?code={codes[0]}")
    tracking = resident.post("/track", data={"code": codes[0], "contact": "0912345678",
                                             "csrf_token": token_in(lookup)}, follow_redirects=True)
    text = tracking.get_data(as_text=True)
    assert "An inspection related to this case has concluded" in text
    assert str(Recommendation.DISCIPLINE.public_outcome) in text
    for internal in (ALLEGATIONS, FINDING, OFFICIAL, "Nga", ref, "Vi phạm quy định"):
        assert internal not in text
    month = local_date(utcnow()).strftime("%Y-%m")  # the monthly report counts it, and how it closed
    report = browsers["commission"].get(f"/staff/reports?kind=monthly&value={month}").get_data(as_text=True)
    assert re.search(r'id="inspections.opened">.*?<td class="text-end">1</td>', report)
    assert re.search(r'id="inspections.outcome.discipline">.*?<td class="text-end">1</td>', report)
    for who in ("officer", "head"):  # the agency inspected does not learn of it from its cases either
        agency_page = browsers[who].get(case_url(codes[0])).get_data(as_text=True)
        assert "inspection" not in agency_page.lower() and ref not in agency_page


def test_a_tampered_pattern_key_is_refused_politely(app, browsers, people, make_complaint):
    accepted_complaints(app, make_complaint, people)
    page = browsers["inspector"].get("/staff/inspections/new")
    fields = form_on(page, "/staff/inspections/new") | {"allegations": [ALLEGATIONS], "agency": ["SXD"],
                                                         "pattern_dimension": ["official"]}
    assert browsers["inspector"].post("/staff/inspections/new", data=fields | {"pattern_key": ["x" * 300]}) \
        .status_code == 302  # the longest key the table holds
    in_nine_days = (local_date(utcnow()) + timedelta(days=9)).strftime("%d/%m/%Y")
    typed_date = fields | {"pattern_key": ["y"], "due": [in_nine_days]}
    assert browsers["inspector"].post("/staff/inspections/new", data=typed_date).status_code == 302  # as typed here
    response = browsers["inspector"].post("/staff/inspections/new", data=fields | {"pattern_key": ["x" * 301]})
    assert response.status_code == 400 and ALLEGATIONS in response.get_data(as_text=True)  # typed text kept


def test_audit_verify_covers_the_inspections_chain(app, runner, people, make_complaint):
    with app.app_context():
        inspector = db.session.get(User, people["inspector"])
        inspection = ops.open_inspection(inspector, origin="own", allegations=ALLEGATIONS, unannounced=True,
                                         agency=db.session.scalars(select(Agency).where(Agency.code == "SXD")).one(),
                                         due_at=utcnow() + timedelta(days=10))
        db.session.flush()
        ops.start_investigation(inspection, inspector, version=inspection.version)
        db.session.commit()
        ref = inspection.reference
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    with app.app_context():
        event = db.session.scalars(select(CaseEvent).where(CaseEvent.action == "investigating")).one()
        db.session.execute(update(CaseEvent).where(CaseEvent.id == event.id).values(actor="user:999"))
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code != 0 and ref in result.output


INSPECTION_GETS = ["/staff/inspections", "/staff/inspections/new", "/staff/inspections/{ref}",
                   "/staff/inspections/{ref}/files/{token}", "/staff/inspections/export.csv",
                   "/staff/inspections/export.xlsx", "/staff/commission", "/staff/officials/{key}",
                   "/staff/inspections/new?case={case}"]
INSPECTION_POSTS = ["start", "finding", "establish", "reopen", "recommend", "party-notice", "close"]


@pytest.mark.parametrize("who", ["officer", "head"])
def test_the_agency_inspected_is_refused_on_every_inspection_page_file_and_export(app, browsers, people, who,
                                                                                 make_complaint):
    codes = accepted_complaints(app, make_complaint, people)
    ref = open_from_pattern(app, browsers["inspector"])
    assert post(browsers["inspector"], ref, "start").status_code == 302
    assert post(browsers["inspector"], ref, "finding", text=FINDING, substantiated="y",
                files=[(io.BytesIO(photo_bytes()), "anh.jpg")]).status_code == 302
    page = browsers["inspector"].get(f"/staff/inspections/{ref}").get_data(as_text=True)
    token = re.search(rf'/staff/inspections/{ref}/files/([^"]+)"', page).group(1)
    fill = {"{ref}": ref, "{token}": token, "{key}": official_key(OFFICIAL), "{case}": reference_of(codes[0])}
    browser = browsers[who]
    for address in INSPECTION_GETS:
        for mark, value in fill.items():
            address = address.replace(mark, value)
        assert browser.get(address).status_code == 403, address
    token = csrf_token(browser, "/staff/")
    for action in INSPECTION_POSTS:
        assert browser.post(f"/staff/inspections/{ref}/{action}", data={"csrf_token": token}).status_code == 403
    assert browser.post("/staff/inspections/new", data={"csrf_token": token}).status_code == 403
    nav = browser.get("/staff/cases").get_data(as_text=True)
    assert "/staff/inspections" not in nav and "/staff/commission" not in nav


def test_the_state_machine_and_the_team_rule(app, people):
    with app.app_context():
        inspector, colleague = (db.session.get(User, people[who]) for who in ("inspector", "colleague"))
        with pytest.raises(CaseError, match="deadline in the future"):
            ops.open_inspection(inspector, origin="own", allegations=ALLEGATIONS, official_name=OFFICIAL,
                                due_at=utcnow() - timedelta(hours=1))
        with pytest.raises(CaseError, match="Team members"):
            ops.open_inspection(inspector, origin="own", allegations=ALLEGATIONS, official_name=OFFICIAL,
                                due_at=utcnow() + timedelta(days=3), members=[db.session.get(User, people["officer"])])
        inspection = ops.open_inspection(inspector, origin="own", allegations=ALLEGATIONS, official_name=OFFICIAL,
                                         due_at=utcnow() + timedelta(days=3))
        db.session.flush()
        assert ops.may_conduct(inspector, inspection) and not ops.may_conduct(colleague, inspection)
        with pytest.raises(CaseError, match="cannot become"):
            ops.close(inspection, inspector, version=inspection.version)
        ops.start_investigation(inspection, inspector, version=inspection.version)
        ops.add_finding(inspection, inspector, text="Không có cơ sở.", substantiated=False)
        ops.establish_findings(inspection, inspector, version=inspection.version)
        with pytest.raises(CaseError, match="substantiated finding"):
            ops.recommend(inspection, inspector, version=inspection.version, recommendation="warning", reason="x")
        with pytest.raises(VersionConflict):
            ops.recommend(inspection, inspector, version=inspection.version - 1, recommendation="none", reason="x")
        ops.recommend(inspection, inspector, version=inspection.version, recommendation="none",
                      reason="Không phát hiện vi phạm.")
        assert inspection.party_notice_due_at is None  # not a party member, not a measure
        ops.close(inspection, inspector, version=inspection.version)
        db.session.flush()
        actions = db.session.scalars(select(CaseEvent.action).where(CaseEvent.inspection_id == inspection.id)
                                     .order_by(CaseEvent.seq)).all()
    assert actions == ["inspection_opened", "investigating", "finding_added", "findings_established", "recommended",
                       "inspection_closed"]


def disciplined_party_member(app, people):
    with app.app_context():
        inspector = db.session.get(User, people["inspector"])
        inspection = ops.open_inspection(inspector, origin="own", allegations=ALLEGATIONS, official_name=OFFICIAL,
                                         party_member=True, due_at=utcnow() + timedelta(days=30))
        db.session.flush()
        ops.start_investigation(inspection, inspector, version=inspection.version)
        ops.add_finding(inspection, inspector, text=FINDING, substantiated=True)
        ops.establish_findings(inspection, inspector, version=inspection.version)
        ops.recommend(inspection, inspector, version=inspection.version, recommendation="warning", reason="Vi phạm.")
        db.session.commit()
        return inspection.id, inspection.party_notice_due_at


def test_a_party_organisation_not_told_within_five_working_days_is_escalated_once(app, people):
    start = utcnow()
    with freeze(start):
        inspection_id, due = disciplined_party_member(app, people)
    with app.app_context():
        assert due == work_calendar().deadline(start, 5, "working_days")
        with freeze(due - timedelta(minutes=1)):
            assert ops.check_party_notices() == 0
        inspection = db.session.get(InspectionCase, inspection_id)
        emails = [db.session.get(User, people[who]).email for who in ("commission", "snv")]
        with freeze(due + timedelta(minutes=1)):
            assert ops.check_party_notices() == 1
            assert ops.check_party_notices() == 0  # once
        for address in emails:
            assert [inspection.reference in m["subject"] for m in mail_to(address)] == [True]
        ops.record_party_notice(inspection, db.session.get(User, people["inspector"]), note="Công văn 12/UBKT")
        db.session.commit()
        assert inspection.party_notified_at is not None


def test_a_notice_in_time_is_never_escalated(app, people):
    inspection_id, due = disciplined_party_member(app, people)
    with app.app_context():
        inspection = db.session.get(InspectionCase, inspection_id)
        ops.record_party_notice(inspection, db.session.get(User, people["inspector"]), note="Công văn 7/TTr")
        db.session.commit()
        with freeze(due + timedelta(days=3)):
            assert ops.check_party_notices() == 0


def test_slow_to_correct_after_a_reminder_and_every_view_of_the_record_is_logged(app, browsers, people,
                                                                              make_complaint):
    earlier = accepted_complaints(app, make_complaint, people, count=2)
    with app.app_context():
        for complaint in db.session.scalars(select(Complaint).where(Complaint.code.in_(earlier))):
            complaint.created_at = utcnow() - timedelta(days=5)  # filed before the inspection closed
        inspector = db.session.get(User, people["inspector"])
        inspection = ops.open_inspection(inspector, origin="complaints", allegations=ALLEGATIONS,
                                         official_name=OFFICIAL, due_at=utcnow() + timedelta(days=30),
                                         complaints=db.session.scalars(select(Complaint).where(
                                             Complaint.code.in_(earlier))).all())  # delays, as filed by default
        db.session.flush()
        ops.start_investigation(inspection, inspector, version=inspection.version)
        ops.add_finding(inspection, inspector, text=FINDING, substantiated=True)
        ops.establish_findings(inspection, inspector, version=inspection.version)
        ops.recommend(inspection, inspector, version=inspection.version, recommendation="reminder", reason="Nhắc nhở.")
        ops.close(inspection, inspector, version=inspection.version)
        inspection.closed_at = utcnow() - timedelta(days=2)  # complaints of the two days since come after it
        db.session.commit()
        refresh_figures()
    accepted_complaints(app, make_complaint, people, count=2, problem_type="attitude")  # another kind of problem
    review = browsers["commission"].get("/staff/commission").get_data(as_text=True)
    assert OFFICIAL not in review[review.index('id="slow"'):review.index('id="most-substantiated"')]
    accepted_complaints(app, make_complaint, people, count=2)  # the same kind again: delays
    review = browsers["commission"].get("/staff/commission").get_data(as_text=True)
    slow = review[review.index('id="slow"'):review.index('id="most-substantiated"')]
    assert OFFICIAL in slow and "Reminder" in slow
    key = official_key(OFFICIAL)
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(RecordView))
    record = browsers["commission"].get(f"/staff/officials/{key}").get_data(as_text=True)
    assert 'id="slow-to-correct"' in record and "2 complaint(s) naming them since Reminder" in record
    browsers["snv"].get(f"/staff/officials/{key}")
    assert browsers["snv"].get("/staff/officials/" + "x" * 201).status_code == 404  # longer than any key
    with app.app_context():
        views = db.session.scalars(select(RecordView).order_by(RecordView.id)).all()[before:]
        assert [(v.user_id, v.official_key) for v in views] == [(people["commission"], key), (people["snv"], key)]
