"""Repeated problems: grouping (with officials' spellings normalised and merged), overdue and satisfaction,
near-duplicate clusters, alerts raised exactly once, exports, and who may see them."""
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.accounts.models import User
from portal.complaints.models import Complaint
from portal.extensions import db
from portal.figures.upkeep import refresh_figures
from portal.outbox.models import OutboxMessage
from portal.patterns.alerts import PatternAlert, check_thresholds
from portal.patterns.clusters import TextCluster, refresh_clusters
from portal.patterns.groups import grouped
from portal.patterns.officials import merge_officials
from portal.timeutil import freeze, utcnow
from tests.conftest import csrf_token, signed_in
from tests.helpers import queued_emails

SPELLINGS = ["Nguyễn Văn Hùng", "nguyen van hung", "Ông Hùng Nguyễn Văn, cán bộ địa chính"]


@pytest.fixture
def watcher(make_user):
    return make_user("home_affairs")


def groups_now(user_id, dimension="official", days=90):
    """The groups as the pages show them once the worker brought the figures up to date."""
    refresh_figures()
    return grouped(db.session.get(User, user_id), dimension, days, utcnow())


def file_about(make_complaint, official, n=1, **fields):
    return [make_complaint(official_name=official, **fields) for _ in range(n)]


def test_spellings_of_one_official_group_together(app, make_complaint, watcher):
    for spelling in SPELLINGS:
        file_about(make_complaint, spelling)
    file_about(make_complaint, "Trần Thị Mai", n=2)  # below the minimum count: not ranked
    with app.app_context():
        groups = groups_now(watcher)
    assert [(g.key, g.count) for g in groups] == [("hung nguyen van", 3)]


def test_overdue_rate_and_satisfaction_per_group(app, make_complaint, watcher):
    codes = file_about(make_complaint, "Lê Văn Nam", n=4)
    with app.app_context():
        first = db.session.scalars(select(Complaint).where(Complaint.code == codes[0])).one()
        due = first.accept_due_at
    with app.app_context(), freeze(due + timedelta(hours=1)):
        [group] = groups_now(watcher)
    assert group.count == 4 and group.overdue == 4 and group.satisfaction is None


def test_a_manual_merge_joins_what_matching_missed(app, make_complaint, watcher):
    file_about(make_complaint, "Phạm Đức Anh", n=2)
    file_about(make_complaint, "Phạm Anh Đức Minh", n=1)  # a typo matching cannot know
    with app.app_context():
        user = db.session.get(User, watcher)
        merge_officials(["anh duc pham", "anh duc minh pham"], "anh duc pham", user)
        db.session.commit()
        assert [(g.key, g.count) for g in groups_now(watcher)] == [("anh duc pham", 3)]
        queued = db.session.scalars(select(OutboxMessage).where(OutboxMessage.topic == "index",
                                                                OutboxMessage.status == "pending")).all()
        moved = db.session.scalars(select(Complaint.id).where(Complaint.official_name == "Phạm Anh Đức Minh")).one()
        assert moved in [m.complaint_id for m in queued]  # the index learns of the merge too
    file_about(make_complaint, "Phạm Anh Đức Minh")  # later complaints follow the merge
    with app.app_context():
        assert groups_now(watcher)[0].count == 4


def test_near_duplicate_texts_are_clustered(app, make_complaint):
    text = "Cán bộ một cửa phường Láng hẹn đi hẹn lại hồ sơ đăng ký hộ kinh doanh của tôi đã hơn một tháng"
    twins = [make_complaint(description=text), make_complaint(description=text.replace("một tháng", "hai tháng"))]
    make_complaint(description="Đèn đường ngõ 12 phố Huế bị hỏng nhiều ngày không ai sửa chữa")
    secret = make_complaint(kind="to_cao", description=text)  # its filer's phản ánh says the same
    with app.app_context():
        denunciation = db.session.scalars(select(Complaint).where(Complaint.code == secret)).one()
        denunciation.redacted_title, denunciation.redacted_description = "Tố cáo", text
        db.session.commit()
        refresh_clusters()
        clustered = {db.session.get(Complaint, row.complaint_id).code: row.cluster
                     for row in db.session.scalars(select(TextCluster))}
    assert set(clustered) == set(twins) and len(set(clustered.values())) == 1


def test_an_alert_is_raised_exactly_once_per_group_and_window(app, make_complaint, make_user, watcher):
    make_user("commission")
    file_about(make_complaint, "Đỗ Văn Quang", n=3)
    with app.app_context():
        assert [a.key for a in check_thresholds()] == ["do quang van"]
        assert check_thresholds() == []
        file_about(make_complaint, "Đỗ Văn Quang")
    with app.app_context():
        assert check_thresholds() == []  # a fourth complaint in the same window: no second alert
        assert len(db.session.scalars(select(PatternAlert)).all()) == 1
        mails = [m.payload for m in queued_emails()
                 if "Đỗ Văn Quang" in m.payload["text"]]
        assert sorted(m["to"].split("@")[0].rstrip("0123456789") for m in mails) == ["commission", "home_affairs"]


def test_the_patterns_page_and_exports(app, make_complaint, watcher):
    for spelling in SPELLINGS:
        file_about(make_complaint, spelling)
    with app.app_context():
        refresh_figures()
    client = signed_in(app, watcher)
    page = client.get("/staff/patterns?dimension=official&days=90").get_data(as_text=True)
    assert "hung nguyen van" in page or "Nguyễn Văn Hùng" in page
    assert "<polyline" in page
    csv_text = client.get("/staff/patterns/export.csv?dimension=official&days=90").get_data(as_text=True)
    assert "hung nguyen van" in csv_text
    workbook = load_workbook(io.BytesIO(client.get("/staff/patterns/export.xlsx?dimension=official&days=90").data))
    assert workbook.active["C2"].value == 3
    drill = client.get("/staff/patterns/official/hung nguyen van?days=90").get_data(as_text=True)
    assert drill.count("/staff/cases/VV-") == 3


def test_merging_through_the_page(app, make_complaint, watcher):
    file_about(make_complaint, "Vũ Thị Lan", n=3)
    file_about(make_complaint, "Vu Thi Lann", n=3)
    client = signed_in(app, watcher)
    response = client.post("/staff/patterns/officials/merge", data={
        "key": ["lan thi vu", "lann thi vu"], "target": "lan thi vu", "days": "90",
        "csrf_token": csrf_token(client, "/staff/patterns")})
    assert response.status_code == 302
    with app.app_context():
        assert [(g.key, g.count) for g in groups_now(watcher)] == [("lan thi vu", 6)]


def test_the_page_sums_the_figures_again_once_the_worker_moved_them(app, make_complaint, watcher):
    """The patterns page keeps its sums until the figures' time, the Hanoi day or a round run in this process
    changes: here the clock stands still, so both rounds are as of the same moment."""
    client = signed_in(app, watcher)
    with freeze(utcnow()):
        file_about(make_complaint, "Đỗ Văn Kiên", n=3)
        with app.app_context():
            refresh_figures()
        assert "do kien van" in client.get("/staff/patterns").get_data(as_text=True)
        file_about(make_complaint, "Vũ Thị Lan", n=3)
        with app.app_context():
            refresh_figures()
        page = client.get("/staff/patterns").get_data(as_text=True)
    assert "do kien van" in page and "lan thi vu" in page


def test_sums_kept_until_the_figures_move(app):
    """As a web process sees a worker running elsewhere: only the figures' time and the day change."""
    from portal.figures.upkeep import until_refreshed
    built = []

    def build():
        built.append(1)
        return len(built)

    first = utcnow()
    with app.app_context(), freeze(first):
        assert until_refreshed("probe", build, first) == 1
        assert until_refreshed("probe", build, first) == 1  # same figures: not summed again
        assert until_refreshed("probe", build, first + timedelta(minutes=1)) == 2  # the worker's next round
    with app.app_context(), freeze(first + timedelta(days=1)):
        assert until_refreshed("probe", build, first + timedelta(minutes=1)) == 3  # the window moved a day


@pytest.mark.parametrize("dimension, key", [("official", "hung nguyen van"), ("procedure", "cap giay phep xay dung"),
                                            ("agency", "SYT"), ("ward", "00004"), ("category", "xay_dung"),
                                            ("problem_type", "delay")])
def test_a_groups_complaints_are_read_newest_first_from_an_index(app, watcher, dimension, key):
    """The drill-down reads one page of a group's complaints in the window in order from a (key, created_at)
    index, never every complaint of the group ever filed (SQLite's plan; PostgreSQL's is seen in the benchmark)."""
    if app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0] != "sqlite":
        pytest.skip("SQLite's query plan")
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    statements = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().startswith("SELECT complaint.id") and "ORDER BY complaint.created_at DESC" in statement:
            statements.append((statement, parameters))
    event.listen(Engine, "before_cursor_execute", keep)
    try:
        assert signed_in(app, watcher).get(f"/staff/patterns/{dimension}/{key}").status_code == 200
    finally:
        event.remove(Engine, "before_cursor_execute", keep)
    [(statement, parameters)] = statements
    with app.app_context():
        raw = db.session.connection().connection.driver_connection
        plan = [row[-1] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters)]
    assert any(step.startswith("SEARCH complaint USING INDEX ix_complaint_") and "created_at>?" in step
               for step in plan), plan
    assert not [step for step in plan if "TEMP B-TREE" in step], plan
