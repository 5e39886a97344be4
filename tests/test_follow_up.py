"""The Department of Home Affairs' follow-up page, through real sign-in and real requests: overdue and near-due
cases per agency, escalations, extension requests, on-time ranking with a minimum count, and no identity."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.cases import operations as ops
from portal.cases.deadline_checks import check_deadlines
from portal.complaints.models import Complaint
from portal.directory.models import Agency
from portal.domain.deadlines import work_calendar
from portal.extensions import db
from portal.figures.upkeep import refresh_figures
from portal.history import CaseEvent
from portal.paging import count_up_to
from portal.timeutil import utcnow
from tests.conftest import case_url, reference_of, sign_in

URL = "/staff/follow-up"


def case(code):
    return db.session.scalars(select(Complaint).where(Complaint.code == code)).one()




def page(client, query=""):
    """The page once the worker brought the figures up to date."""
    with client.application.app_context():
        refresh_figures()
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def between(html, start, end=None):
    """The part of the page from the element with id `start` to the one with id `end` (or the section's end)."""
    begin = html.index(f'id="{start}"')
    stop = html.index(f'id="{end}"', begin) if end else html.index("</section>", begin)
    return html[begin:stop]


def summary_row(html, code):
    """The cells of an agency's row in the summary: [agency, open, overdue, due soon, on time]."""
    begin = html.index(f'id="agency-{code}"')
    row = html[begin:html.index("</tr>", begin)]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def due_row(html, code):
    """The row of the case with the tracking code `code` in the list of late and nearly late cases."""
    due = between(html, "due")
    begin = due.rindex("<tr", 0, due.index(f">{reference_of(code)}<"))
    return due[begin:due.index("</tr>", begin)]


def set_fields(app, code, **fields):
    with app.app_context():
        complaint = case(code)
        for name, value in fields.items():
            setattr(complaint, name, value)
        db.session.commit()


@pytest.fixture
def staff(make_user):
    return {"snv": make_user("home_affairs"), "intake": make_user("intake"),
            "officer": make_user("officer", "SXD"), "head": make_user("agency_head", "SXD")}


@pytest.fixture
def snv_client(app, client, staff):
    sign_in(app, client, staff["snv"])
    return client


def accept(app, code, intake_id, agency_code=None):
    with app.app_context():
        complaint = case(code)
        agency = db.session.scalars(select(Agency).where(Agency.code == agency_code)).one() if agency_code \
            else complaint.suggested_agency
        ops.accept(complaint, db.session.get(User, intake_id), version=complaint.version, agency=agency,
                   category=complaint.category, problem_type=complaint.problem_type, ward=complaint.ward)
        db.session.commit()


def test_overdue_and_near_due_cases_are_grouped_by_agency(app, snv_client, make_complaint):
    overdue = make_complaint()  # construction -> Department of Construction (SXD)
    near = make_complaint(category="y_te")  # health -> SYT
    later = make_complaint(kind="kien_nghi", category="giao_duc")  # 10 working days to accept
    now = utcnow()
    with app.app_context():
        soon = work_calendar().deadline(now, 8, "working_hours")
    set_fields(app, overdue, accept_due_at=now - timedelta(days=3, hours=2))
    set_fields(app, near, accept_due_at=soon)
    html = page(snv_client)
    assert summary_row(html, "SXD")[1:4] == ["1", "1", "0"] and summary_row(html, "SYT")[1:4] == ["1", "0", "1"]
    assert "Department of Construction" in due_row(html, overdue) and "3 days late" in due_row(html, overdue)
    assert "Department of Health" in due_row(html, near) and "working hours left" in due_row(html, near)
    assert reference_of(later) not in html
    assert f'href="{case_url(overdue)}"' in html
    assert "Report (phản ánh)" in due_row(html, overdue) and "Construction" in due_row(html, overdue)
    assert between(html, "due").index(reference_of(overdue)) < between(html, "due").index(reference_of(near))
    only_health = between(page(snv_client, "?agency=SYT"), "due")
    assert reference_of(near) in only_health and reference_of(overdue) not in only_health


def test_an_answered_case_is_no_longer_followed(app, snv_client, staff, make_complaint):
    code = make_complaint()
    accept(app, code, staff["intake"])
    with app.app_context():
        complaint = case(code)
        ops.answer(complaint, db.session.get(User, staff["officer"]), version=complaint.version,
                   text="Đã cấp giấy phép.", resolved=False)
        complaint.resolve_due_at = utcnow() - timedelta(days=1)
        db.session.commit()
    assert reference_of(code) not in between(page(snv_client), "due")


def test_an_escalation_is_listed(app, snv_client, make_complaint):
    code = make_complaint()
    set_fields(app, code, accept_due_at=utcnow() - timedelta(hours=5))
    with app.app_context():
        assert check_deadlines()[1] >= 1
    escalations = between(page(snv_client), "escalations")
    assert reference_of(code) in escalations and "acceptance" in escalations
    assert "Department of Construction" in escalations


@pytest.mark.parametrize("cap, told", [(2, "The 2 most recent of more than 2."), (3, "The 2 most recent of 3.")])
def test_a_long_list_of_escalations_is_counted_up_to_a_cap(app, snv_client, make_complaint, monkeypatch, cap, told):
    monkeypatch.setattr("portal.cases.statistics.RECENT_SHOWN", 2)
    monkeypatch.setattr("portal.paging.COUNT_CAP", cap)
    for code in (make_complaint(), make_complaint(), make_complaint()):
        set_fields(app, code, accept_due_at=utcnow() - timedelta(hours=5))
    with app.app_context():
        assert check_deadlines()[1] == 3
    escalations = between(page(snv_client), "escalations")
    assert told in escalations and escalations.count("<tr>") == 2 + 1  # the header row and the two shown
    with app.app_context():  # the count stops one past the cap: its cost does not grow with the table
        assert count_up_to(CaseEvent, CaseEvent.action == "escalated", cap=1).counted == 2


def test_extension_requests_pending_and_decided(app, snv_client, staff, make_complaint):
    waiting, decided = make_complaint(), make_complaint()
    for code in (waiting, decided):
        accept(app, code, staff["intake"])
    with app.app_context():
        officer, head = db.session.get(User, staff["officer"]), db.session.get(User, staff["head"])
        ops.request_extension(case(waiting), officer, version=case(waiting).version, reason="Cần xác minh")
        request = ops.request_extension(case(decided), officer, version=case(decided).version, reason="Chờ sở")
        db.session.flush()
        ops.decide_extension(request, head, approve=False, note="Không đủ lý do")
        db.session.commit()
    html = page(snv_client)
    pending = between(html, "pending-extensions", "decided-extensions")
    assert reference_of(waiting) in pending and reference_of(decided) not in pending
    decided_html = between(html, "decided-extensions")
    assert reference_of(decided) in decided_html and "refused" in decided_html


def answered(app, make_complaint, intake_id, officer_id, category, on_time=True, days_ago=1):
    """A case answered `days_ago` days ago, before or after its resolution deadline."""
    code = make_complaint(category=category)
    accept(app, code, intake_id)
    with app.app_context():
        complaint = case(code)
        ops.answer(complaint, db.session.get(User, officer_id), version=complaint.version, text="Đã xử lý.",
                   resolved=False)
        complaint.answered_at = utcnow() - timedelta(days=days_ago)
        complaint.resolve_due_at = complaint.answered_at + timedelta(hours=1 if on_time else -1)
        db.session.commit()
    return code


def test_on_time_ranking_needs_enough_answered_cases(app, snv_client, staff, make_complaint, make_user):
    health_officer = make_user("officer", "SYT")
    args = (app, make_complaint, staff["intake"])
    for on_time in (True, True, True, False):
        answered(*args, staff["officer"], "xay_dung", on_time=on_time)
    answered(*args, staff["officer"], "xay_dung", on_time=True, days_ago=60)
    answered(*args, health_officer, "y_te", on_time=True)  # one fast case must not top the ranking

    html = page(snv_client)
    ranked, too_few = between(html, "ranked", "too-few"), between(html, "too-few")
    assert "Department of Construction" in ranked and "80%" in ranked  # 4 of 5 in the last 90 days
    assert "Department of Health" not in ranked and "Department of Health" in too_few

    html = page(snv_client, "?days=30")  # the case answered 60 days ago drops out: 4 answered, too few
    assert "Department of Construction" not in between(html, "ranked", "too-few")
    assert "Department of Construction" in between(html, "too-few")
    assert "last 30 days</strong>" in html


def test_the_ranking_counts_overdue_cases(app, snv_client, staff, make_complaint):
    for on_time in (True, True, True, True, True):
        answered(app, make_complaint, staff["intake"], staff["officer"], "xay_dung", on_time=on_time)
    late = make_complaint()
    set_fields(app, late, accept_due_at=utcnow() - timedelta(days=1))
    row = between(page(snv_client), "ranked")
    row = row[row.index("Department of Construction"):]
    row = row[:row.index("</tr>")]
    assert [cell.split("</td>")[0] for cell in row.split("<td>")[1:]] == ["5", "5", "100%", "1"]


def test_an_officer_is_refused_and_a_visitor_must_sign_in(app, client, make_user):
    response = client.get(URL)
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    sign_in(app, client, make_user("officer", "SXD"))
    assert client.get(URL).status_code == 403


def test_admins_may_follow_up_too(app, client, make_user):
    sign_in(app, client, make_user("admin"))
    assert client.get(URL).status_code == 200


def test_the_page_never_shows_who_filed_nor_the_title(app, snv_client, staff, make_complaint):
    secret_title = "Tố cáo trưởng phòng Nguyễn Văn Bình nhận tiền"
    denunciation = make_complaint(kind="to_cao", title=secret_title)
    report = make_complaint(title="Ổ gà trước số 25 Hàng Bài")
    set_fields(app, denunciation, accept_due_at=utcnow() - timedelta(hours=3))
    set_fields(app, report, accept_due_at=utcnow() - timedelta(hours=3))
    with app.app_context():
        check_deadlines()
    handled = make_complaint(title="Xin gia hạn giải quyết")
    accept(app, handled, staff["intake"])
    with app.app_context():
        ops.request_extension(case(handled), db.session.get(User, staff["officer"]), version=case(handled).version,
                              reason="Cần gặp bà Phạm Thị Hoa")
        db.session.commit()
    html = page(snv_client)
    assert all(reference_of(c) in html for c in (denunciation, report, handled))
    assert denunciation not in html and report not in html  # the page names cases by their staff reference
    for secret in ("Phạm Thị Hoa", "+84912345678", "0912345678", "hoa.pham@example.com", "25 Hàng Bài", secret_title,
                   "Nguyễn Văn Bình", "Xin gia hạn", "Cần gặp"):
        assert secret not in html
