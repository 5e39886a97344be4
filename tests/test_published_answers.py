"""The public list of answered complaints: only what the filer agreed to publish, a report or a recommendation,
answered; identities removed; searchable with and without accents over the public fields only; paged; cacheable."""
import re
import shutil
from unittest.mock import Mock

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.cases import operations as ops
from portal.cases.models import Rating
from portal.cases.ratings import rate
from portal.complaints.models import Complaint
from portal.directory.models import Agency
from portal.extensions import db
from portal.outbox.worker import run_once
from portal.publication import index as public_index
from portal.timeutil import freeze
from tests.conftest import case_url, english_client, signed_in
from tests.demo_data import DEMO_NOW as NOW
from tests.helpers import VALID, approve_publication, latest_complaint, post_form

DOSSIER = "000.00.31.H26-260315-0042"
REPLY = "Sở đã cấp giấy chứng nhận ngày 20/11. Xin cảm ơn ông Nguyễn Văn An (0912 345 678)."


@pytest.fixture(autouse=True)
def own_index(fresh_index):
    """A public index of the test's own (it lives under the test's SEARCH_INDEX_DIR)."""
    public_index._opened.clear()
    yield fresh_index
    public_index._opened.clear()


@pytest.fixture
def people(make_user):
    return {"intake": make_user("intake"), "officer": make_user("officer", "SXD")}


def case(code):
    return db.session.scalars(select(Complaint).where(Complaint.code == code)).one()


def answer(app, people, code, reply=REPLY, approve=True, **accepting):
    """Intake accepts the case for SXD (reclassifying it with `accepting`), the officer answers it, and intake
    approves the public version the machine suggests (when it may be published)."""
    with app.app_context():
        complaint = case(code)
        ops.accept(complaint, db.session.get(User, people["intake"]), version=complaint.version,
                   agency=db.session.scalars(select(Agency).where(Agency.code == "SXD")).one(),
                   category=complaint.category, problem_type=complaint.problem_type, ward=complaint.ward,
                   **accepting)
        ops.answer(complaint, db.session.get(User, people["officer"]), version=complaint.version,
                   text=reply.replace("{code}", complaint.code).replace("{reference}", complaint.reference),
                   resolved=False)
        db.session.commit()
    if approve:
        approve_publication(app, code, people["intake"])


def file_published(app, client, **fields):
    """A report filed through the real form with the consent ticked; its tracking code."""
    response = post_form(client, publish="y", dossier_code=DOSSIER, **fields)
    assert response.status_code == 303, response.get_data(as_text=True)
    return latest_complaint(app)


def index_now(app):
    with app.app_context():
        run_once()


def public_pages(app, query):
    """The list, the search results for `query` and every item page the list links to, in English."""
    client = english_client(app)
    pages = [client.get("/transparency/answers"), client.get(f"/transparency/answers?q={query}")]
    links = set(re.findall(r'href="(/transparency/answers/\d+)"', pages[0].get_data(as_text=True)))
    return pages + [client.get(link) for link in sorted(links)], links


def listed_ids(response):
    return re.findall(r'href="/transparency/answers/(\d+)"', response.get_data(as_text=True))


# The choice on the form

def test_the_consent_box_is_offered_unticked(app, client):
    html = client.get("/complaints/new").get_data(as_text=True)
    box = re.search(r'<input[^>]*name="publish"[^>]*>', html).group(0)
    assert 'type="checkbox"' in box and "checked" not in box
    assert "may be published, without my name or contact" in html
    assert post_form(client).status_code == 303
    with app.app_context():
        assert case(latest_complaint(app)).publish_consent is False
    file_published(app, client)
    with app.app_context():
        assert case(latest_complaint(app)).publish_consent is True


@pytest.mark.parametrize("kind", ["khieu_nai", "to_cao"])
def test_consent_to_publish_a_complaint_or_a_denunciation_is_refused_politely(app, client, kind):
    typed = "Quyết định thu hồi đất số 12 của phường ban hành sai đối tượng, tôi đề nghị xem xét lại."
    response = post_form(client, kind=kind, publish="y", description=typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and latest_complaint(app) is None
    assert "is never published: please untick this box" in html
    assert typed in html and VALID["full_name"] in html  # nothing typed is lost
    vietnamese = post_form(app.test_client(), kind=kind, publish="y", description=typed).get_data(as_text=True)
    assert "không bao giờ được công khai" in vietnamese


def test_the_agency_is_told_before_answering_that_the_answer_will_be_public(app, client, people, make_complaint):
    agreed, not_agreed = file_published(app, client), make_complaint()
    intake = signed_in(app, people["intake"])
    assert 'id="publication"' in intake.get(case_url(agreed)).get_data(as_text=True)
    assert 'id="publication"' not in intake.get(case_url(not_agreed)).get_data(as_text=True)


# What is shown, and what never is

def test_a_published_answer_shows_the_question_and_the_reply_without_any_identity(app, client, people):
    code = file_published(app, client, title="Chậm cấp giấy chứng nhận quyền sử dụng đất",
                          official_name="Trần Quốc Bình", official_position="Cán bộ địa chính",
                          description=f"Tôi là Nguyễn Văn An, số 0912 345 678, email an.nguyen@example.com, ở 12 Phố "
                                      f"Huế. Hồ sơ {DOSSIER} nộp từ tháng 3 đã quá hạn hai tháng; ông Trần Quốc "
                                      f"Bình hẹn mãi.")
    answer(app, people, code, reply=REPLY + " Mã {code}, hồ sơ {reference}.")
    index_now(app)
    with app.app_context():
        reference = case(code).reference
    pages, links = public_pages(app, "giay chung nhan")
    assert len(links) == 1
    assert "Chậm cấp giấy chứng nhận quyền sử dụng đất" in pages[2].get_data(as_text=True)
    assert "Sở đã cấp giấy chứng nhận ngày 20/11." in pages[2].get_data(as_text=True)
    assert listed_ids(pages[1]) == listed_ids(pages[0])  # the search finds it
    secrets = [VALID["full_name"], "Văn An", "0912 345 678", "912345678", "an.nguyen@example.com", "12 Phố Huế",
               code, reference, DOSSIER, "Quốc Bình", "Cán bộ địa chính"]
    for response in pages:
        assert response.status_code == 200
        body = response.get_data()
        assert [s for s in secrets if s.encode() in body] == []


def test_what_identifies_anybody_else_is_removed_too(app, client, people, make_complaint):
    """Nobody reviews a published text, so numbers and codes go whoever they belong to, however written."""
    other_case = make_complaint(kind="to_cao")
    code = file_published(app, client, description=(
        f"Gọi tôi 0912/345/678 hoặc số vợ tôi 0987 111 222 hay ０９８７１１１２２２. CCCD 001.234.567.890. Nhà 25 "
        f"phố Hàng Bài. Vụ trước của tôi là {other_case}, viết liền {other_case.replace('-', '')}."))
    answer(app, people, code, reply="Đã cấp sổ ngày 05/12/2026 lúc 10:30; lệ phí 500.000 đồng.")
    pages, links = public_pages(app, "ho so")
    item = pages[2].get_data(as_text=True)
    assert "phố Hàng Bài" in item and "Đã cấp sổ ngày 05/12/2026 lúc 10:30; lệ phí 500.000 đồng." in item
    leaks = ["912/345/678", "0987 111 222", "０９８７", "567.890", "25 phố", other_case, other_case.replace("-", "")]
    assert [leak for leak in leaks if leak in item] == []


def test_only_consented_answered_reports_are_ever_shown_or_found(app, client, people, make_complaint):
    shown = file_published(app, client, title="Đường ngập nước sau mưa lớn")
    answer(app, people, shown, reply="Đã nạo vét cống thoát nước.")
    not_agreed = make_complaint(title="Đường ngập nước chưa được công khai")
    answer(app, people, not_agreed, reply="Đã nạo vét cống thoát nước.")
    not_answered = file_published(app, client, title="Đường ngập nước chưa có trả lời")
    denunciation = file_published(app, client, title="Đường ngập nước, tố cáo cán bộ")
    answer(app, people, denunciation, reply="Đã nạo vét cống thoát nước.", kind="to_cao",
           redacted_title="Đường ngập nước", redacted_description="Cán bộ phường không xử lý việc ngập nước.")
    index_now(app)
    with app.app_context():
        ids = {code: str(case(code).id) for code in (shown, not_agreed, not_answered, denunciation)}
    client = english_client(app)
    for path in ("/transparency/answers", "/transparency/answers?q=duong+ngap+nuoc", "/transparency/answers?q=ngập"):
        assert listed_ids(client.get(path)) == [ids[shown]]
    for code in (not_agreed, not_answered, denunciation):
        assert client.get(f"/transparency/answers/{ids[code]}").status_code == 404
    with app.app_context(), public_index.open_index().searcher() as searcher:
        assert [fields["id"] for fields in searcher.all_stored_fields()] == [ids[shown]]


def test_an_answer_reopened_by_a_dissatisfied_filer_leaves_the_list_and_the_index(app, client, people):
    code = file_published(app, client, title="Rác thải không được thu gom")
    answer(app, people, code, reply="Đã thu gom rác.")
    index_now(app)
    with app.app_context():
        complaint = case(code)
        rate(complaint, dict.fromkeys(Rating.ASPECTS, 1), "Chưa thu gom.")
        db.session.commit()
    lagging = english_client(app).get("/transparency/answers?q=rac+thai").get_data(as_text=True)
    assert "0 answers found" in lagging  # before the worker's round too: not "1 answer found" and nothing shown
    index_now(app)
    client = english_client(app)
    assert listed_ids(client.get("/transparency/answers")) == []
    assert listed_ids(client.get("/transparency/answers?q=rac+thai")) == []
    with app.app_context(), public_index.open_index().searcher() as searcher:
        assert searcher.doc_count() == 0


# Searching

def test_search_folds_accents_and_ranks_the_exact_spelling_first(app, client, people, make_complaint):
    exact = make_complaint(title="Tranh chấp đất đai kéo dài", publish=True)
    near = make_complaint(title="Đặt đài phun nước ở công viên", publish=True)
    for code in (near, exact):
        answer(app, people, code, reply="Đã trả lời.")
    index_now(app)
    with app.app_context():
        ids = [str(case(code).id) for code in (exact, near)]
    client = english_client(app)
    assert sorted(listed_ids(client.get("/transparency/answers?q=dat+dai"))) == sorted(ids)
    assert listed_ids(client.get("/transparency/answers?q=DAT+DAI"))[0] in ids
    assert listed_ids(client.get("/transparency/answers?q=đất+đai")) == ids  # the exact spelling first
    assert listed_ids(client.get("/transparency/answers?q=đặt+đài")) == ids[::-1]
    assert sorted(listed_ids(client.get("/transparency/answers?q=Xây+dựng"))) == sorted(ids)  # the category's name


def test_page_two_of_the_list_and_of_the_search(app, people, make_complaint):
    codes = [make_complaint(title=f"Cấp phép xây dựng chậm lần {n}", publish=True) for n in range(23)]
    for code in codes:
        answer(app, people, code, reply="Đã cấp phép.")
    index_now(app)
    client = english_client(app)
    for path in ("/transparency/answers", "/transparency/answers?q=cap+phep"):
        first, second = client.get(path), client.get(path + ("&" if "?" in path else "?") + "page=2")
        assert first.status_code == second.status_code == 200
        assert len(listed_ids(first)) == 20 and len(listed_ids(second)) == 3
        assert not set(listed_ids(first)) & set(listed_ids(second))
        assert "page=2" in first.get_data(as_text=True) and "1 / 2" in first.get_data(as_text=True)
        assert len(listed_ids(client.get(path + ("&" if "?" in path else "?") + "page=99"))) == 3
    assert "q=cap+phep" in client.get("/transparency/answers?q=cap+phep").get_data(as_text=True)


# Caching

def test_the_pages_are_cacheable_and_set_no_cookie(app, client, people):
    code = file_published(app, client)
    answer(app, people, code)
    index_now(app)
    visitor = app.test_client()
    with app.app_context():
        item = f"/transparency/answers/{case(code).id}"
    for path in ("/transparency/answers", "/transparency/answers?q=so+do&page=1", item, "/transparency/"):
        response = visitor.get(path)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=300" and "Cookie" in response.headers["Vary"]
        assert "Set-Cookie" not in response.headers
    assert 'href="/transparency/answers"' in visitor.get("/transparency/").get_data(as_text=True)


def test_the_public_index_is_rebuilt_from_the_database(app, client, people, runner):
    code = file_published(app, client)
    answer(app, people, code)
    result = runner.invoke(args=["search", "reindex-public"])
    assert result.exit_code == 0 and "Indexed 1 published answer(s)." in result.output
    assert len(listed_ids(english_client(app).get("/transparency/answers?q=so+do"))) == 1


def test_a_lost_public_index_built_again_is_searched_afresh(app, client, people, runner, own_index):
    """The index built again starts its generations over: a search this process answered before is not
    taken for the same index."""
    answer(app, people, file_published(app, client))
    assert runner.invoke(args=["search", "reindex-public"]).exit_code == 0
    assert len(listed_ids(english_client(app).get("/transparency/answers?q=so+do"))) == 1
    shutil.rmtree(own_index / "public")
    answer(app, people, file_published(app, client))
    assert runner.invoke(args=["search", "reindex-public"]).exit_code == 0
    assert len(listed_ids(english_client(app).get("/transparency/answers?q=so+do"))) == 2


@pytest.mark.demo_data
def test_generated_answers_hold_no_identity_in_the_list_the_items_or_the_search(app, runner):
    """Demo complaints are written as residents write (their own name, phone, dossier in the text): what the
    pages show of the published ones holds none of what identifies their filers, cases or officials."""
    with freeze(NOW):
        assert runner.invoke(args=["search", "reindex-public"]).exit_code == 0  # into the test's own index
        client = english_client(app)
        pages = [client.get("/transparency/answers"), client.get("/transparency/answers?page=2"),
                 client.get("/transparency/answers?q=ho+so"), client.get("/transparency/answers?q=hồ+sơ&page=2")]
        ids = {int(i) for page in pages for i in listed_ids(page)}
        pages += [client.get(f"/transparency/answers/{i}") for i in sorted(ids)[:30]]
        with app.app_context():
            shown = db.session.scalars(select(Complaint).where(Complaint.id.in_(ids))).all()
            secrets = {value for c in shown for value in (
                c.code, c.reference, c.dossier_code, c.official_name,
                *((c.filer.full_name, c.filer.phone, c.filer.email, c.filer.address) if c.filer else ()))}
            assert {c.kind for c in shown} <= {"phan_anh", "kien_nghi"} and all(c.published_at for c in shown)
    assert len(ids) > 20 and all(page.status_code == 200 for page in pages)
    leaks = {secret for secret in secrets if secret and any(secret.encode() in page.get_data() for page in pages)}
    assert leaks == set()


def test_a_search_while_the_worker_commits_is_answered(app, client, people, runner, monkeypatch):
    """The worker's commit removes the generation a search has just read: the search reads the newer one."""
    answer(app, people, file_published(app, client))
    assert runner.invoke(args=["search", "reindex-public"]).exit_code == 0
    with app.app_context():
        index = public_index.open_index()
    removed_once = Mock(side_effect=[FileNotFoundError("_MAIN_1.toc"), index.last_modified()])
    monkeypatch.setattr(index, "last_modified", removed_once)
    assert len(listed_ids(english_client(app).get("/transparency/answers?q=so+do"))) == 1


def test_intake_takes_an_answer_off_the_public_pages_and_the_agency_cannot(app, client, people, make_user):
    from tests.test_staff_pages import act
    code = file_published(app, client, title="Chậm trả kết quả hồ sơ đất")
    answer(app, people, code)
    index_now(app)
    pages, links = public_pages(app, "ho so dat")
    assert len(links) == 1 and listed_ids(pages[1]) == listed_ids(pages[0])
    officer = signed_in(app, people["officer"])
    assert "Take off the public pages" not in officer.get(case_url(code)).get_data(as_text=True)
    with app.app_context():
        version = case(code).version
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', officer.get(case_url(code)).get_data(as_text=True))
    refused = officer.post(case_url(code, "unpublish"), data={"version": version, "reason": "Không muốn công khai",
                                                              "csrf_token": token.group(1)})
    assert refused.status_code == 403
    intake = signed_in(app, people["intake"])
    assert act(intake, code, "unpublish", reason="").status_code == 400  # a reason is needed
    assert act(intake, code, "unpublish", reason="Văn bản còn lộ tên người thân").status_code == 302
    index_now(app)
    pages, links = public_pages(app, "ho so dat")
    assert links == set() and listed_ids(pages[1]) == []
    with app.app_context():
        event = case(code).events[-1]
        assert (event.action, event.public, event.note) == ("publication_withdrawn", False,
                                                            "Văn bản còn lộ tên người thân")
