"""Case operations tested directly: the state machine, extensions within the law, escalation with a frozen
clock, the version check, the leadership rule and the tamper-evident history."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from portal.accounts.models import User
from portal.cases import operations as ops
from portal.cases.deadline_checks import check_deadlines, send_daily_digest
from portal.cases.models import ExtensionRequest
from portal.cases.workflow import CaseError, InvalidTransition, VersionConflict
from portal.complaints.models import Complaint
from portal.directory.models import Agency
from portal.extensions import db
from portal.history import CaseEvent, first_broken_link
from portal.timeutil import freeze, utcnow
from tests.helpers import queued_emails


@pytest.fixture(autouse=True)
def english_messages(app, monkeypatch):
    """Refusals are read in English here (outside a request the portal speaks its default, Vietnamese)."""
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "en")


def case(code):
    return db.session.scalars(select(Complaint).where(Complaint.code == code)).one()


def agency(code):
    return db.session.scalars(select(Agency).where(Agency.code == code)).one()


def accept(complaint, user, agency_code="SXD", **extra):
    ops.accept(complaint, user, version=complaint.version, agency=agency(agency_code), category=complaint.category,
               problem_type=complaint.problem_type, ward=complaint.ward, **extra)


def actions(complaint):
    return [e.action for e in complaint.events]


@pytest.fixture
def people(make_user):
    return {"intake": make_user("intake"), "officer": make_user("officer", "SXD"),
            "head": make_user("agency_head", "SXD"), "snv": make_user("home_affairs")}


def user(app, people, who):
    return db.session.get(User, people[who])


def test_the_whole_life_of_a_case(app, people, make_complaint):
    code = make_complaint()
    with app.app_context():
        complaint = case(code)
        accept(complaint, user(app, people, "intake"))
        assert complaint.status == "assigned" and complaint.routing_kept
        ops.start(complaint, user(app, people, "officer"), version=complaint.version)
        ops.add_note(complaint, user(app, people, "officer"), text="Gọi điện cho phòng cấp phép.")
        ops.answer(complaint, user(app, people, "officer"), version=complaint.version,
                   text="Giấy phép đã được cấp ngày 20/11.", resolved=False)
        ops.close(complaint, user(app, people, "head"), version=complaint.version)
        db.session.commit()
        assert actions(complaint) == ["filed", "accepted", "assigned", "in_progress", "note", "answered", "closed"]
        assert not [e for e in complaint.events if e.action == "note"][0].public
        subjects = [m.payload["subject"] for m in queued_emails()]
        assert any("accepted" in s or "tiếp nhận" in s for s in subjects)


def test_the_state_machine_refuses_the_rest(app, people, make_complaint):
    code = make_complaint()
    with app.app_context():
        complaint = case(code)
        with pytest.raises(InvalidTransition):
            ops.start(complaint, user(app, people, "officer"), version=complaint.version)  # not accepted yet
        with pytest.raises(InvalidTransition):
            ops.close(complaint, user(app, people, "officer"), version=complaint.version)
        ops.reject(complaint, user(app, people, "intake"), version=complaint.version, reason="court")
        with pytest.raises(InvalidTransition):
            accept(complaint, user(app, people, "intake"))


def test_rejecting_needs_a_reason_the_resident_understands(app, people, make_complaint):
    code = make_complaint()
    with app.app_context():
        complaint = case(code)
        with pytest.raises(CaseError):
            ops.reject(complaint, user(app, people, "intake"), version=complaint.version, reason="other")
        ops.reject(complaint, user(app, people, "intake"), version=complaint.version, reason="other",
                   note="Nội dung thuộc thẩm quyền của Tòa án.")
        assert complaint.status == "rejected" and complaint.events[-1].public


def test_merging_a_duplicate(app, people, make_complaint):
    main, duplicate = make_complaint(), make_complaint()
    with app.app_context():
        ops.merge(case(duplicate), case(main), user(app, people, "intake"), version=case(duplicate).version)
        db.session.commit()
        assert case(duplicate).status == "merged" and case(duplicate).merged_into.code == main
        assert "duplicate_merged" in actions(case(main))
        with pytest.raises(CaseError):
            ops.merge(case(main), case(main), user(app, people, "intake"), version=case(main).version)


def test_transfer_needs_a_reason_and_another_agency(app, people, make_complaint):
    code = make_complaint()
    with app.app_context():
        complaint = case(code)
        accept(complaint, user(app, people, "intake"))
        with pytest.raises(CaseError):
            ops.transfer(complaint, agency("SXD"), user(app, people, "intake"), version=complaint.version,
                         reason="x")
        with pytest.raises(CaseError):  # a body closed since the 2025 merger
            ops.transfer(complaint, agency("STNMT"), user(app, people, "intake"), version=complaint.version,
                         reason="Thuộc lĩnh vực môi trường")
        ops.transfer(complaint, agency("SNNMT"), user(app, people, "intake"), version=complaint.version,
                     reason="Thuộc lĩnh vực môi trường")
        assert complaint.agency.code == "SNNMT" and actions(complaint)[-1] == "transferred"


def test_answering_a_resolved_problem_needs_evidence(app, people, make_complaint):
    code = make_complaint()
    with app.app_context():
        complaint = case(code)
        accept(complaint, user(app, people, "intake"))
        with pytest.raises(CaseError, match="evidence"):
            ops.answer(complaint, user(app, people, "officer"), version=complaint.version, text="Đã xử lý.",
                       resolved=True)
        with pytest.raises(CaseError):
            ops.answer(complaint, user(app, people, "officer"), version=complaint.version, text="", resolved=False)


@pytest.mark.parametrize("kind, allowed", [("phan_anh", 1), ("to_cao", 2)])
def test_extensions_follow_the_legal_limit(app, people, make_complaint, kind, allowed):
    code = make_complaint(kind=kind)
    with app.app_context():
        complaint = case(code)
        accept(complaint, user(app, people, "intake"), redacted_title="Tố cáo cán bộ",
               redacted_description="Nội dung đã che thông tin người tố cáo.")
        for _ in range(allowed):
            before = complaint.resolve_due_at
            request = ops.request_extension(complaint, user(app, people, "officer"), version=complaint.version,
                                            reason="Cần xác minh thực địa")
            db.session.flush()
            ops.decide_extension(request, user(app, people, "head"), approve=True)
            assert complaint.resolve_due_at > before
        with pytest.raises(CaseError, match="at most"):
            ops.request_extension(complaint, user(app, people, "officer"), version=complaint.version,
                                  reason="Thêm lần nữa")
        assert complaint.extensions_used == allowed


def test_only_the_handling_agencys_head_decides(app, people, make_complaint, make_user):
    code = make_complaint()
    other_head = make_user("agency_head", "SYT")
    with app.app_context():
        complaint = case(code)
        accept(complaint, user(app, people, "intake"))
        request = ops.request_extension(complaint, user(app, people, "officer"), version=complaint.version,
                                        reason="Chờ ý kiến liên ngành")
        db.session.flush()
        with pytest.raises(CaseError):
            ops.decide_extension(request, db.session.get(User, other_head), approve=True)


def test_overdue_cases_are_escalated_once_with_a_frozen_clock(app, people, make_complaint):
    code = make_complaint()
    with app.app_context():
        due = case(code).accept_due_at
    with app.app_context(), freeze(due - timedelta(hours=1)):
        assert check_deadlines() == (1, 0)  # a reminder to intake, within two working days
        assert check_deadlines() == (0, 0)  # once
    with app.app_context(), freeze(due + timedelta(minutes=1)):
        assert check_deadlines() == (0, 1)
        assert check_deadlines() == (0, 0)
        escalation = case(code).events[-1]
        assert escalation.action == "escalated" and escalation.data["deadline"] == "accept"
        assert send_daily_digest(force=True)
        digest = [m for m in queued_emails() if case(code).reference in m.payload["text"]
                  and m.payload["to"].startswith("home_affairs")]
        assert len(digest) == 1


def test_an_extension_gives_a_new_reminder_and_escalation(app, people, make_complaint):
    code = make_complaint()
    with app.app_context():
        complaint = case(code)
        accept(complaint, user(app, people, "intake"))
        db.session.commit()
        due = complaint.resolve_due_at
    with app.app_context(), freeze(due + timedelta(minutes=1)):
        assert check_deadlines() == (0, 1)
        complaint = case(code)
        request = ops.request_extension(complaint, user(app, people, "officer"), version=complaint.version,
                                        reason="Cần thêm thời gian")
        db.session.flush()
        ops.decide_extension(request, user(app, people, "head"), approve=True)
        db.session.commit()
        assert complaint.resolve_escalated_at is None and complaint.resolve_due_at > utcnow()


def test_a_stale_version_is_refused(app, people, make_complaint):
    code = make_complaint()
    with app.app_context():
        complaint = case(code)
        seen = complaint.version
        accept(complaint, user(app, people, "intake"))
        db.session.commit()
        with pytest.raises(VersionConflict):
            ops.reject(complaint, user(app, people, "intake"), version=seen, reason="court")


def test_a_case_naming_the_agency_head_goes_above_the_agency(app, people, make_complaint, make_user):
    make_user("agency_head", "SXD", name="Nguyễn Văn Cường")
    code = make_complaint(official_name="nguyen van cuong", official_position="")
    with app.app_context():
        complaint = case(code)
        assert complaint.agency.code == "SNV"  # the routing suggestion avoided his own department
        with pytest.raises(CaseError, match="leads"):
            accept(complaint, user(app, people, "intake"), agency_code="SXD")


def test_a_ward_chairman_is_not_judged_by_his_own_committee(app, make_complaint):
    code = make_complaint(category="dat_dai", ward="00004", official_name="Lê Văn Tám",
                          official_position="Chủ tịch UBND phường")
    with app.app_context():
        assert case(code).agency.code == "SNV"


def test_audit_verify_finds_a_tampered_event(app, runner, people, make_complaint):
    code = make_complaint()
    with app.app_context():
        accept(case(code), user(app, people, "intake"))
        db.session.commit()
        assert first_broken_link() is None
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    with app.app_context():
        event = db.session.scalars(select(CaseEvent).where(CaseEvent.action == "accepted")).one()
        db.session.execute(update(CaseEvent).where(CaseEvent.id == event.id).values(note="sửa lén"))
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code != 0 and f"case {code}, event 2" in result.output


def test_reveal_needs_permission_and_a_reason_and_is_recorded(app, people, make_complaint, make_user):
    code = make_complaint(kind="to_cao")
    inspector = make_user("inspector")
    with app.app_context():
        complaint = case(code)
        with pytest.raises(CaseError):
            ops.reveal_identity(complaint, user(app, people, "officer"), reason="Muốn biết ai tố cáo")
        with pytest.raises(CaseError):
            ops.reveal_identity(complaint, db.session.get(User, inspector), reason="cần")
        ops.reveal_identity(complaint, db.session.get(User, inspector),
                            reason="Xác minh nội dung tố cáo với người tố cáo")
        assert complaint.events[-1].action == "identity_revealed" and not complaint.events[-1].public


def test_extension_requests_are_kept(app, people, make_complaint):
    code = make_complaint()
    with app.app_context():
        complaint = case(code)
        accept(complaint, user(app, people, "intake"))
        ops.request_extension(complaint, user(app, people, "officer"), version=complaint.version, reason="Lý do")
        db.session.commit()
        assert db.session.scalars(select(ExtensionRequest)).one().status == "pending"


def test_a_race_between_two_commits_is_caught_by_the_version_column(app, people, make_complaint):
    """Both read version n; the first commit wins, the second flush finds the row changed."""
    from sqlalchemy.orm.exc import StaleDataError
    code = make_complaint()
    with app.app_context():
        complaint = case(code)
        accept(complaint, user(app, people, "intake"))
        db.session.commit()
        version = complaint.version
        db.session.execute(update(Complaint).where(Complaint.id == complaint.id).values(version=version + 1)
                           .execution_options(synchronize_session=False))  # another process commits first
        complaint.official_name = "Ai đó"
        with pytest.raises(StaleDataError):
            db.session.flush()
