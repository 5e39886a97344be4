"""The resident rates the answer on the track page: satisfied closes, dissatisfied reopens and flags it."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.cases import operations as ops
from portal.cases.models import Rating
from portal.cases.ratings import close_unrated_answers
from portal.cases.ratings import rate as rate_answer
from portal.complaints.models import Complaint
from portal.directory.models import Agency
from portal.extensions import db
from portal.timeutil import freeze, utcnow
from tests.conftest import english_client, token_in
from tests.helpers import queued_emails

GOOD = {"access": "4", "procedure": "4", "conduct": "5", "result": "4", "handling": "4"}
BAD = {"access": "3", "procedure": "2", "conduct": "3", "result": "1", "handling": "2"}


@pytest.fixture
def answered(app, make_user, make_complaint):
    intake, officer = make_user("intake"), make_user("officer", "SXD")
    code = make_complaint()
    with app.app_context():
        complaint = db.session.scalars(select(Complaint).where(Complaint.code == code)).one()
        sxd = db.session.scalars(select(Agency).where(Agency.code == "SXD")).one()
        ops.accept(complaint, db.session.get(User, intake), version=complaint.version, agency=sxd,
                   category=complaint.category, problem_type=complaint.problem_type)
        ops.answer(complaint, db.session.get(User, officer), version=complaint.version,
                   text="Hồ sơ đã được giải quyết.", resolved=False)
        db.session.commit()
    return code


def resident(app, code):
    client = english_client(app)
    page = client.get(f"/track?code={code}")
    client.post("/track", data={"code": code, "contact": "0912345678", "csrf_token": token_in(page)})
    return client


def rate(client, code, answers):
    page = client.get(f"/track?code={code}")
    return client.post(f"/track/{code}/rating", data={**answers, "comment": "", "csrf_token": token_in(page)})


def status(app, code):
    with app.app_context():
        return db.session.scalars(select(Complaint.status).where(Complaint.code == code)).one()


def test_a_satisfied_resident_closes_the_case(app, answered):
    client = resident(app, answered)
    assert "How satisfied are you" in client.get(f"/track?code={answered}").get_data(as_text=True)
    assert rate(client, answered, GOOD).status_code == 303
    assert status(app, answered) == "closed"
    with app.app_context():
        assert db.session.scalars(select(Rating)).one().score == pytest.approx(4.2)


def test_a_dissatisfied_resident_reopens_and_flags_it(app, answered):
    client = resident(app, answered)
    assert rate(client, answered, BAD).status_code == 303
    assert status(app, answered) == "in_progress"
    with app.app_context():
        complaint = db.session.scalars(select(Complaint)).one()
        assert [e.action for e in complaint.events][-2:] == ["reopened", "escalated"]
        assert complaint.resolve_due_at > utcnow() + timedelta(days=7)  # a new period, not overdue at once
        assert any(m.payload["subject"].startswith("Mở lại") for m in queued_emails())  # the agency is told


def test_a_denouncers_comment_is_kept_from_the_agency(app, make_user, make_complaint):
    intake, officer = make_user("intake"), make_user("officer", "SXD")
    code = make_complaint(kind="to_cao", title="Tố cáo cán bộ nhận tiền")
    with app.app_context():
        complaint = db.session.scalars(select(Complaint).where(Complaint.code == code)).one()
        sxd = db.session.scalars(select(Agency).where(Agency.code == "SXD")).one()
        ops.accept(complaint, db.session.get(User, intake), version=complaint.version, agency=sxd,
                   category=complaint.category, problem_type=complaint.problem_type,
                   redacted_title="Tố cáo cán bộ nhận tiền", redacted_description="Cán bộ nhận tiền.")
        ops.answer(complaint, db.session.get(User, officer), version=complaint.version,
                   text="Đã xác minh.", resolved=False)
        rate_answer(complaint, BAD, comment="Tôi là Phạm Thị Hoa, 0912345678, chưa đồng ý.")
        db.session.commit()
        reopened = [e for e in complaint.events if e.action == "reopened"][0]
        assert "Hoa" not in (reopened.note or "")  # the event the agency reads
        assert "Hoa" in db.session.scalars(select(Rating)).one().comment  # kept for those who may reveal


def test_every_question_needs_an_answer(app, answered):
    client = resident(app, answered)
    response = rate(client, answered, {**GOOD, "result": ""})
    assert response.status_code == 400 and "five levels" in response.get_data(as_text=True)
    assert status(app, answered) == "answered"


def test_only_the_filer_may_rate(app, answered):
    stranger = english_client(app)
    page = stranger.get(f"/track?code={answered}")
    response = stranger.post(f"/track/{answered}/rating", data={**GOOD, "csrf_token": token_in(page)})
    assert response.status_code == 404 and status(app, answered) == "answered"


def test_unrated_answers_close_after_the_window(app, answered):
    with app.app_context():
        assert close_unrated_answers() == 0
        with freeze(utcnow() + timedelta(days=11)):
            assert close_unrated_answers() == 1
    assert status(app, answered) == "closed"
