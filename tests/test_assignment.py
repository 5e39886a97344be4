"""A named officer for every case ("5 rõ"): the agency head assigns and reassigns through the case page, the
officer is told by email, the lists show "mine" and "not yet assigned" and each officer's load, the follow-up
page each officer's figures; the resident sees the name only where the agency chose to show it."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import case, func, select

from portal.accounts.models import User
from portal.cases import operations as ops
from portal.cases.statistics import MIN_CASES, officer_summary
from portal.complaints.models import Complaint
from portal.directory.models import Agency
from portal.extensions import db
from portal.figures.upkeep import refresh_figures
from portal.history import CaseEvent
from portal.timeutil import day_start, local_date, utcnow
from tests.conftest import case_url, english_client, reference_of, signed_in, token_in
from tests.helpers import queued_emails
from tests.test_staff_pages import act

TASK = "Xác minh hồ sơ tại bộ phận một cửa, trả lời bằng văn bản trước thứ Sáu."


@pytest.fixture
def people(make_user):
    return {"intake": make_user("intake"), "head": make_user("agency_head", "SXD", name="Trưởng phòng Hà"),
            "lan": make_user("officer", "SXD", name="Cán bộ Lan"),
            "minh": make_user("officer", "SXD", name="Cán bộ Minh"),
            "elsewhere": make_user("officer", "SYT", name="Cán bộ Sở Y tế"), "inspector": make_user("inspector")}


@pytest.fixture
def browsers(app, people):
    return {who: signed_in(app, user_id) for who, user_id in people.items()}


def accepted(app, make_complaint, people, **fields):
    """A complaint accepted for the Department of Construction (SXD); its tracking code."""
    code = make_complaint(**fields)
    with app.app_context():
        complaint = db.session.scalars(select(Complaint).where(Complaint.code == code)).one()
        sxd = db.session.scalars(select(Agency).where(Agency.code == "SXD")).one()
        ops.accept(complaint, db.session.get(User, people["intake"]), version=complaint.version, agency=sxd,
                   category=complaint.category, problem_type=complaint.problem_type)
        db.session.commit()
    return code


def assign(browser, code, officer_id, **fields):
    return act(browser, code, "assign", officer=str(officer_id), **{"task": TASK, **fields})


def stored(app, code):
    with app.app_context():
        return db.session.scalars(select(Complaint).where(Complaint.code == code)).one()


def test_the_head_assigns_a_case_and_the_officer_is_told(app, browsers, people, make_complaint):
    code = accepted(app, make_complaint, people)
    page = browsers["head"].get(case_url(code)).get_data(as_text=True)
    assert "Not yet assigned by the agency head" in page
    choices = re.findall(r'<option value="(\d+)"', page[page.index('name="officer"'):])
    assert sorted(map(int, choices)) == sorted([people["head"], people["lan"], people["minh"]])  # not Sở Y tế's
    assert assign(browsers["head"], code, people["lan"]).status_code == 302
    complaint = stored(app, code)
    assert (complaint.assignee_id, complaint.assignee_task, complaint.assignee_public) == (people["lan"], TASK, False)
    page = browsers["lan"].get(case_url(code)).get_data(as_text=True)
    assert "Cán bộ Lan" in page and TASK in page and "Assigned to an officer" in page
    with app.app_context():
        event = db.session.scalars(select(CaseEvent).where(CaseEvent.action == "officer_assigned")).one()
        assert not event.public and event.data["officer"] == people["lan"]
        lan = db.session.get(User, people["lan"])
        mail = [m.payload for m in queued_emails() if m.payload["to"] == lan.email]
    told = [m for m in mail if TASK in m["text"]]  # the other one: "a new case for your agency", at acceptance
    assert len(told) == 1 and reference_of(code) in told[0]["subject"] and TASK in told[0]["html"]
    assert code not in told[0]["text"] + told[0]["html"] and "Phạm Thị Hoa" not in told[0]["text"]


def test_a_reassignment_needs_a_reason_and_then_only_the_new_officer_handles_it(app, browsers, people,
                                                                                 make_complaint):
    code = accepted(app, make_complaint, people)
    assert assign(browsers["head"], code, people["lan"]).status_code == 302
    refused = assign(browsers["head"], code, people["minh"], task="Làm tiếp việc của chị Lan.")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Please give the reason for assigning the case to someone else." in text
    assert "Làm tiếp việc của chị Lan." in text  # what the head typed is kept
    assert assign(browsers["head"], code, people["minh"], reason="Chị Lan nghỉ phép.").status_code == 302
    assert stored(app, code).assignee_id == people["minh"]
    with app.app_context():
        event = db.session.scalars(select(CaseEvent).where(CaseEvent.action == "officer_reassigned")).one()
        assert (event.note, event.data["from"], event.data["officer"]) == (
            "Chị Lan nghỉ phép.", people["lan"], people["minh"])
    assert act(browsers["lan"], code, "start").status_code == 403
    assert 'action="/staff/cases/' not in browsers["lan"].get(case_url(code)).get_data(as_text=True).replace(
        f'{case_url(code)}/note"', "")  # no form but the internal note is offered to the former officer
    assert act(browsers["minh"], code, "start").status_code == 302
    assert act(browsers["head"], code, "reply", text="Chúng tôi đang xác minh.").status_code == 302


def test_only_the_head_of_the_handling_agency_assigns_and_only_its_officers(app, browsers, people, make_complaint):
    code = accepted(app, make_complaint, people)
    assert assign(browsers["lan"], code, people["lan"]).status_code == 403  # an officer assigns nobody
    assert assign(browsers["inspector"], code, people["lan"]).status_code == 403
    assert browsers["elsewhere"].get(case_url(code)).status_code == 404
    refused = assign(browsers["head"], code, people["elsewhere"])
    assert refused.status_code == 400 and stored(app, code).assignee_id is None
    refused = assign(browsers["head"], code, people["lan"], task="")
    assert refused.status_code == 400 and "Please say what the officer is to do." in refused.get_data(as_text=True)


def test_a_transfer_leaves_the_case_to_the_new_agencys_head(app, browsers, people, make_complaint):
    code = accepted(app, make_complaint, people)
    assert assign(browsers["head"], code, people["lan"]).status_code == 302
    assert act(browsers["intake"], code, "transfer", agency="SYT", reason="Thuộc lĩnh vực y tế").status_code == 302
    complaint = stored(app, code)
    assert (complaint.assignee_id, complaint.assignee_task) == (None, "")


def tracking_page(app, code):
    client = english_client(app)
    page = client.get(f"/track?code={code}")
    return client.post("/track", data={"code": code, "contact": "0912345678", "csrf_token": token_in(page)},
                       follow_redirects=True).get_data(as_text=True)


def test_the_resident_sees_the_officers_name_only_when_the_agency_shows_it(app, browsers, people, make_complaint):
    hidden, shown = accepted(app, make_complaint, people), accepted(app, make_complaint, people)
    assert assign(browsers["head"], hidden, people["lan"]).status_code == 302
    assert assign(browsers["head"], shown, people["minh"], publish="y").status_code == 302
    hidden_page, shown_page = tracking_page(app, hidden), tracking_page(app, shown)
    assert "Chậm cấp giấy phép" in hidden_page  # the resident's own view, with the history
    assert "Cán bộ Lan" not in hidden_page and "Officer in charge" not in hidden_page and TASK not in hidden_page
    assert "Officer in charge: Cán bộ Minh" in shown_page and TASK not in shown_page


def test_mine_not_yet_assigned_and_each_officers_load(app, browsers, people, make_complaint):
    lans, minhs, nobodys = (accepted(app, make_complaint, people) for _ in range(3))
    assert assign(browsers["head"], lans, people["lan"]).status_code == 302
    assert assign(browsers["head"], minhs, people["minh"]).status_code == 302

    def listed(who, which):
        page = browsers[who].get(f"/staff/cases?assignee={which}").get_data(as_text=True)
        return {ref for ref in map(reference_of, (lans, minhs, nobodys)) if ref in page}
    assert listed("lan", "me") == {reference_of(lans)}
    assert listed("lan", "none") == {reference_of(nobodys)}
    assert listed("lan", "") == set(map(reference_of, (lans, minhs, nobodys)))
    with app.app_context():
        refresh_figures()
    page = browsers["head"].get("/staff/cases").get_data(as_text=True)
    load = page[page.index("Officers' load"):]
    assert re.search(r"Cán bộ Lan</td><td>1<", load) and re.search(r"Cán bộ Minh</td><td>1<", load)
    assert "Officers' load" not in browsers["lan"].get("/staff/cases").get_data(as_text=True)


def test_the_follow_up_shows_each_officers_figures_as_sql_counts_them(app, people, make_complaint, make_user):
    codes = [accepted(app, make_complaint, people) for _ in range(MIN_CASES + 2)]
    with app.app_context():
        for number, code in enumerate(codes):
            complaint = db.session.scalars(select(Complaint).where(Complaint.code == code)).one()
            officer = db.session.get(User, people["lan"] if number % 2 == 0 else people["minh"])
            ops.assign_officer(complaint, officer, db.session.get(User, people["head"]), version=complaint.version,
                               task=TASK)
            if number < MIN_CASES + 1:  # the others stay open, one of them overdue
                ops.answer(complaint, officer, version=complaint.version, text="Đã xử lý.", resolved=False)
                complaint.answered_at = utcnow() - timedelta(days=1)
            else:
                complaint.resolve_due_at = utcnow() - timedelta(hours=1)
        db.session.commit()
        refresh_figures()
        sxd = db.session.scalars(select(Agency).where(Agency.code == "SXD")).one()
        shown = {(row.officer.id if row.officer else None): (row.open, row.overdue, row.answered, row.on_time)
                 for row in officer_summary(sxd.id, utcnow(), 30)}
        open_now = {who: (total, int(late)) for who, total, late in db.session.execute(
            select(Complaint.assignee_id, func.count(),
                   func.sum(case((Complaint.current_due_at < utcnow(), 1), else_=0)))
            .where(Complaint.agency_id == sxd.id, Complaint.current_due_at.is_not(None))
            .group_by(Complaint.assignee_id))}
        since = day_start(local_date(utcnow()) - timedelta(days=29))  # the last 30 Hanoi days, today included
        answered = {who: (total, int(on_time)) for who, total, on_time in db.session.execute(
            select(Complaint.assignee_id, func.count(),
                   func.sum(case((Complaint.answered_at <= Complaint.resolve_due_at, 1), else_=0)))
            .where(Complaint.agency_id == sxd.id, Complaint.answered_at >= since).group_by(Complaint.assignee_id))}
    assert shown == {who: open_now.get(who, (0, 0)) + answered.get(who, (0, 0)) for who in {*open_now, *answered}}
    assert shown[people["lan"]][2] == (MIN_CASES + 2) // 2  # the comparison compares something
    snv = signed_in(app, make_user("home_affairs"))
    page = snv.get("/staff/follow-up?agency=SXD").get_data(as_text=True)
    officers = page[page.index('id="officers"'):page.index('id="due"')]
    assert "Cán bộ Lan" in officers and "Cán bộ Minh" in officers
    assert "100%" in officers or "too few" in officers
    assert 'id="officers"' not in snv.get("/staff/follow-up").get_data(as_text=True)
