"""Publication by a person: a consented answer waits in the reviewers' queue, pre-filled with the machine's
redaction; the reviewer edits and approves it (only that version is public) or declines it with a reason; the
server refuses a text that still holds personal data, in Vietnamese, keeping what was typed; a new answer sends
it back to the queue; the queue's size and age show on the follow-up page."""
import re
from html import unescape

from sqlalchemy import select

from portal.complaints.models import Complaint
from portal.extensions import db
from portal.publication.models import PublicVersion
from portal.timeutil import freeze, utcnow
from tests.conftest import case_url, english_client, signed_in
from tests.helpers import post_form
from tests.test_staff_pages import act

QUESTION = ("Tôi là Nguyễn Văn An, gọi không chín một hai ba bốn năm sáu bảy tám. Hồ sơ cấp phép xây dựng nộp "
            "từ tháng 3 vẫn chưa có kết quả; bà Lê Thị Hoa hàng xóm cũng chờ như vậy.")


def case(code):
    return db.session.scalars(select(Complaint).where(Complaint.code == code)).one()


def answered(app, client, make_user, reply="Sở đã cấp phép ngày 20/11, xin cảm ơn ông An."):
    """A consented report filed through the form, accepted for SXD and answered; (code, intake, officer)."""
    response = post_form(client, publish="y", category="xay_dung", title="Chậm cấp phép xây dựng",
                         description=QUESTION)
    assert response.status_code == 303
    with app.app_context():
        code = db.session.scalars(select(Complaint.code).order_by(Complaint.id.desc())).first()
    intake, officer = signed_in(app, make_user("intake")), signed_in(app, make_user("officer", "SXD"))
    assert act(intake, code, "accept", kind="phan_anh", category="xay_dung", problem_type="delay", ward="",
               agency="SXD").status_code == 302
    assert act(officer, code, "answer", text=reply).status_code == 302
    return code, intake, officer


def textarea(html, name):
    return unescape(re.search(rf'<(?:textarea|input)[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
                    .group(1)).strip() if name != "subject" else unescape(
        re.search(r'<input[^>]*name="subject"[^>]*value="([^"]*)"', html).group(1))


def public_ids(app):
    return re.findall(r'href="/transparency/answers/(\d+)"',
                      english_client(app).get("/transparency/answers").get_data(as_text=True))


def test_an_answer_waits_for_a_person_with_the_machines_suggestion(app, client, make_user):
    code, intake, officer = answered(app, client, make_user)
    with app.app_context():
        reference = case(code).reference
    queue = intake.get("/staff/publication").get_data(as_text=True)
    assert reference in queue and 'id="publication-count">1<' in queue
    assert officer.get("/staff/publication").status_code == 403
    assert "Approve and publish" not in officer.get(case_url(code)).get_data(as_text=True)
    page = intake.get(case_url(code)).get_data(as_text=True)
    suggested = textarea(page, "text")
    assert "Nguyễn Văn An" not in suggested and "không chín" not in suggested and "Lê Thị Hoa" not in suggested
    assert "Hồ sơ cấp phép xây dựng nộp từ tháng 3 vẫn chưa có kết quả" in suggested
    assert "ông An" not in textarea(page, "reply") and "Sở đã cấp phép ngày 20/11" in textarea(page, "reply")
    assert public_ids(app) == []  # nothing is public before a person approves it
    snv = signed_in(app, make_user("home_affairs"))
    follow_up = snv.get("/staff/follow-up").get_data(as_text=True)
    assert "1 answer waits for a reviewer" in follow_up and "the oldest has waited" in follow_up


def test_only_the_version_a_reviewer_approved_is_public(app, client, make_user, runner):
    code, intake, _officer = answered(app, client, make_user)
    response = act(intake, code, "publish", subject="Chậm cấp phép xây dựng",
                   text="Hồ sơ cấp phép xây dựng nộp từ tháng 3 vẫn chưa có kết quả.",
                   reply="Sở đã cấp phép ngày 20/11.")
    assert response.status_code == 302
    with app.app_context():
        complaint = case(code)
        assert (complaint.public_version.text, complaint.publication_review) == (
            "Hồ sơ cấp phép xây dựng nộp từ tháng 3 vẫn chưa có kết quả.", "approved")
        assert complaint.events[-1].action == "publication_approved"
        answer_id = str(complaint.id)
    assert public_ids(app) == [answer_id]
    item = english_client(app).get(f"/transparency/answers/{answer_id}").get_data(as_text=True)
    assert "Sở đã cấp phép ngày 20/11." in item and "Nguyễn" not in item
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0  # the approval is chained like every event
    assert 'id="publication-count">0<' in intake.get("/staff/publication").get_data(as_text=True)


def test_personal_data_left_is_refused_in_vietnamese_and_what_was_typed_is_kept(app, client, make_user):
    code, intake, _officer = answered(app, client, make_user)
    intake.get("/lang/vi")
    typed = "Hồ sơ chậm; hỏi bà Lê Thị Hoa, số không chín tám bảy một một một hai hai hai."
    response = act(intake, code, "publish", subject="Chậm cấp phép", text=typed, reply="Đã cấp phép.")
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Câu hỏi công khai vẫn còn chứa tên một người, một số điện thoại" in html
    assert typed in html  # nothing the reviewer typed is lost
    with app.app_context():
        assert case(code).publication_review == "waiting" and case(code).public_version is None
    assert public_ids(app) == []


def test_a_declined_answer_leaves_the_queue_with_its_reason(app, client, make_user):
    code, intake, _officer = answered(app, client, make_user)
    assert act(intake, code, "decline-publication", reason="").status_code == 400  # a reason is needed
    assert act(intake, code, "decline-publication", reason="Kể rõ hoàn cảnh gia đình").status_code == 302
    with app.app_context():
        event = case(code).events[-1]
        assert (event.action, event.note, event.public) == ("publication_declined", "Kể rõ hoàn cảnh gia đình",
                                                            False)
    assert public_ids(app) == [] and 'id="publication-count">0<' in intake.get("/staff/publication").get_data(
        as_text=True)
    assert act(intake, code, "publish", subject="x" * 10, text="y" * 10, reply="z" * 10).status_code == 403


def test_a_new_answer_goes_back_to_the_queue_and_keeps_the_approved_question(app, client, make_user):
    code, intake, officer = answered(app, client, make_user)
    assert act(intake, code, "publish", subject="Chậm cấp phép xây dựng", text="Hồ sơ cấp phép chậm.",
               reply="Sở đã cấp phép.").status_code == 302
    with app.app_context():
        complaint = case(code)
        from portal.cases.ratings import rate
        rate(complaint, dict.fromkeys(("access", "procedure", "conduct", "result", "handling"), 1), "Chưa cấp.")
        db.session.commit()
    assert public_ids(app) == []  # reopened: hidden
    assert act(officer, code, "answer", text="Sở đã cấp phép lần hai, gọi 0912 345 678.").status_code == 302
    assert public_ids(app) == []  # the new answer waits for a reviewer
    page = intake.get(case_url(code)).get_data(as_text=True)
    assert textarea(page, "text") == "Hồ sơ cấp phép chậm."  # the approved question, as approved
    assert "Sở đã cấp phép lần hai" in textarea(page, "reply") and "0912" not in textarea(page, "reply")
    assert act(intake, code, "publish", subject="Chậm cấp phép xây dựng", text="Hồ sơ cấp phép chậm.",
               reply="Sở đã cấp phép lần hai.").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(PublicVersion.reply).where(PublicVersion.complaint_id == case(code).id)) \
            == "Sở đã cấp phép lần hai."
    assert len(public_ids(app)) == 1


def test_the_queue_is_oldest_first_a_page_at_a_time(app, make_user, make_complaint):
    from datetime import timedelta

    from portal.accounts.models import User
    from portal.cases import operations as ops
    from portal.directory.models import Agency
    people = {role: make_user(role, "SXD" if role == "officer" else None) for role in ("intake", "officer")}
    start = utcnow()
    for n in range(52):
        code = make_complaint(publish=True, title=f"Cấp phép chậm lần {n}")
        with app.app_context(), freeze(start + timedelta(minutes=n)):
            agency = db.session.scalars(select(Agency).where(Agency.code == "SXD")).one()
            intake, officer = (db.session.get(User, people[role]) for role in ("intake", "officer"))
            complaint = case(code)
            ops.accept(complaint, intake, version=complaint.version, agency=agency, category=complaint.category,
                       problem_type=complaint.problem_type)
            ops.answer(complaint, officer, version=complaint.version, text="Đã cấp phép.", resolved=False)
            db.session.commit()
    reviewer = signed_in(app, people["intake"])
    first = reviewer.get("/staff/publication").get_data(as_text=True)
    references = re.findall(r'href="/staff/cases/(VV-[^"#]+)#publish-heading"', first)
    with app.app_context():
        oldest = [c.reference for c in db.session.scalars(select(Complaint).order_by(Complaint.id).limit(50))]
    assert references == oldest and 'id="publication-count">52<' in first
    following = unescape(re.search(r'rel="next" href="([^"]+)"', first).group(1))
    assert len(re.findall(r'#publish-heading"', reviewer.get(following).get_data(as_text=True))) == 2
    assert reviewer.get("/staff/publication?after=garbage").status_code == 200


def test_answers_published_before_review_existed_wait_for_a_person(tmp_path):
    """Migration 0022: what the machine alone had published leaves the public pages for the reviewers' queue."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from tests.conftest import ROOT, migrated_app
    app = migrated_app(tmp_path, "migrating")
    migrations = str(ROOT / "migrations")
    with app.app_context():
        downgrade(directory=migrations, revision="0021")
        category, problem = (db.session.execute(text(f"SELECT id FROM {table} LIMIT 1")).scalar()
                             for table in ("category", "problem_type"))
        db.session.execute(text(
            "INSERT INTO complaint (code, reference, kind, status, locale, channel, anonymous, publish_consent, "
            "category_id, problem_type_id, title, description, official_name, official_position, procedure_name, "
            "dossier_code, rejection_reason, complex_case, assignee_task, assignee_public, extensions_used, "
            "location_text, answered_at, published_at, version) VALUES ('HN-2026-AAAAA', 'VV-2026-AAAAAA', "
            "'phan_anh', 'closed', 'vi', 'web', :no, :yes, :category, :problem, 'T', 'D', '', '', '', '', '', :no, '', "
            ":no, 0, '', '2026-03-01 03:00:00+00:00', '2026-03-01 03:00:00+00:00', 1)"),
            {"category": category, "problem": problem, "yes": True, "no": False})
        db.session.commit()
        upgrade(directory=migrations)
        row = db.session.execute(text("SELECT publication_review, publication_queued_at, published_at "
                                      "FROM complaint WHERE code = 'HN-2026-AAAAA'")).one()
        db.engine.dispose()
    assert row[0] == "waiting" and row[1] is not None and row[2] is None
