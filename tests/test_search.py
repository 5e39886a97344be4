"""The full-text index: Vietnamese with or without accents, who finds what, the worker keeping it current,
rebuilds, recovery from a lost or damaged index, the consistency check and similar complaints."""
import shutil
import threading
import unicodedata
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from sqlalchemy import select, update
from whoosh.codec.whoosh3 import W3Codec

from inspections.triage import similar_cases
from portal.accounts.models import User
from portal.cases import operations as ops
from portal.complaints.models import Complaint
from portal.directory.models import Agency, Category
from portal.domain.text import official_key
from portal.extensions import db
from portal.outbox.models import PENDING, OutboxMessage
from portal.outbox.worker import run_once
from portal.search import indexer, searching, store
from portal.search.indexer import check, index_complaints, reindex
from portal.search.searching import search, similar
from portal.search.snippets import snippet
from portal.timeutil import freeze, to_local
from tests.conftest import reference_of, signed_in


@pytest.fixture(autouse=True)
def own_index(fresh_index, app):
    """Each test gets its own index directory, and the search settings a test changed are put back."""
    yield fresh_index
    for setting in ("SEARCH_LOCK_WAIT_SECONDS", "SEARCH_PARALLEL_FROM", "SEARCH_REBUILD_SESSION_DOCS"):
        app.config.pop(setting, None)


@pytest.fixture
def people(make_user):
    return {"intake": make_user("intake"), "sxd": make_user("officer", "SXD"), "stp": make_user("officer", "STP"),
            "snv": make_user("home_affairs")}


def case(code):
    return db.session.scalars(select(Complaint).where(Complaint.code == code)).one()


def accept(app, code, intake_id, agency_code="SXD", **extra):
    with app.app_context():
        complaint = case(code)
        ops.accept(complaint, db.session.get(User, intake_id), version=complaint.version,
                   agency=db.session.scalars(select(Agency).where(Agency.code == agency_code)).one(),
                   category=complaint.category, problem_type=complaint.problem_type, ward=complaint.ward, **extra)
        db.session.commit()


def index_now(app):
    with app.app_context():
        run_once()


def find(app, user_id, text, **options):
    with app.app_context():
        return search(db.session.get(User, user_id), text, **options)


def codes(app, user_id, text, **options):
    return [hit.code for hit in find(app, user_id, text, **options).hits]


def indexed(app):
    """{id: version} of every document in the index."""
    with app.app_context(), store.open_index().searcher() as searcher:
        return {int(fields["id"]): fields["version"] for fields in searcher.all_stored_fields()}


# Vietnamese with and without accents

def test_unaccented_upper_case_and_decomposed_queries_find_accented_text(app, people, make_complaint):
    code = make_complaint(title="Tranh chấp đất đai kéo dài",
                          description="Hộ dân ở phường Đống Đa chờ giải quyết tranh chấp đã hai năm.")
    other = make_complaint(title="Đèn đường hỏng", description="Ngõ tối từ tháng trước.")
    index_now(app)
    for query in ("dat dai", "ĐẤT ĐAI", unicodedata.normalize("NFD", "đất đai"), "đất đai", "dong da", "Đống Đa"):
        assert codes(app, people["intake"], query) == [code], query
    assert codes(app, people["intake"], "den duong") == [other]


def test_a_query_typed_with_accents_ranks_the_exact_spelling_first(app, people, make_complaint):
    sold = make_complaint(title="Cửa hàng bán hàng lấn chiếm vỉa hè", description="Phố Huế.")
    table = make_complaint(title="Cửa hàng bàn hàng lấn chiếm vỉa hè", description="Phố Huế.")
    bare = make_complaint(title="Cửa hàng ban hàng lấn chiếm vỉa hè", description="Phố Huế.")
    index_now(app)
    assert codes(app, people["intake"], "bán")[0] == sold
    assert codes(app, people["intake"], "bàn")[0] == table
    assert codes(app, people["intake"], "ban")[0] == bare
    assert set(codes(app, people["intake"], "bán")) == {sold, table, bare}  # the folded form finds all three


def test_phrase_and_prefix_queries_work_with_and_without_accents(app, people, make_complaint):
    permit = make_complaint(title="Chậm cấp giấy phép xây dựng", description="Hồ sơ nộp ba tháng.")
    loose = make_complaint(title="Xây dựng không phép", description="Công trình chưa có giấy phép, đang xây.")
    update_ = make_complaint(title="Chưa cập nhật biến động", description="Sổ đỏ chưa sang tên.")
    index_now(app)
    for phrase in ('"giấy phép xây dựng"', '"giay phep xay dung"', '"GIAY PHEP"'):
        found = codes(app, people["intake"], phrase)
        assert permit in found and (loose not in found or phrase == '"GIAY PHEP"'), phrase
    assert set(codes(app, people["intake"], "cap*")) == {permit, update_}
    assert codes(app, people["intake"], "cấp*")[0] == permit  # the exact prefix ranks first
    assert codes(app, people["intake"], "cập*")[0] == update_
    assert codes(app, people["intake"], "khongco*") == []
    assert codes(app, people["intake"], "phép NOT cấp") == [loose]
    assert codes(app, people["intake"], "phep NOT Cấp") == [loose]


@pytest.mark.parametrize("query", ['"giấy phép', "*", "(((", "AND", "title:", '"', "^", "cấp* OR", ")", "?*"])
def test_malformed_queries_never_raise(app, people, make_complaint, query):
    make_complaint(title="Chậm cấp giấy phép xây dựng")
    index_now(app)
    results = find(app, people["intake"], query)
    assert not results.unavailable  # an error inside the search would have been reported as the index failing


def test_punctuation_typed_as_residents_write_is_text(app, people, make_complaint):
    why = make_complaint(title="Tại sao hồ sơ đất đai chậm?",
                         description="Cán bộ nói có hiểu không thì tôi không biết; nhiệt tình thì không.")
    dossier = make_complaint(title="Hồ sơ cấp phép", description="Đã nộp đủ hồ sơ.")
    index_now(app)
    intake = people["intake"]
    for query in ("tại sao?", "tai sao ?", "đất đai?", "có hiểu không?", "nhiệt AND", "nhiệt?!", "(đất đai)",
                  "đất-đai", "đất, đai.", "AND đất", "OR đất", "đất OR", "đất NOT", "tại sao??"):
        assert codes(app, intake, query) == [why], query
    assert set(codes(app, intake, "hồ sơ?")) == set(codes(app, intake, "hồ sơ")) == {why, dossier}
    assert set(codes(app, intake, "ho so: dat dai; cham")) == {why}
    assert codes(app, intake, "ab?") == codes(app, intake, "ab") == []  # no wildcard: `?` is not a letter


def test_operators_need_a_form_nobody_types_by_accident(app, people, make_complaint):
    land = make_complaint(title="Tranh chấp đất đai", description="Ranh giới thửa đất.")
    building = make_complaint(title="Xây dựng không phép", description="Công trình lấn chiếm.")
    both = make_complaint(title="Xây nhà trên đất nông nghiệp", description="Không có giấy phép.")
    index_now(app)
    intake = people["intake"]
    assert set(codes(app, intake, "tranh OR công")) == {land, building}
    assert set(codes(app, intake, "tranh or công")) == set()  # "or" in lower case is a word
    assert codes(app, intake, "đất -nông") == [land]
    assert codes(app, intake, 'đất -"nông nghiệp"') == [land]
    assert set(codes(app, intake, "-tranh")) == {building, both}
    assert codes(app, intake, "công NOT phép") == [] and codes(app, intake, "ranh NOT phép") == [land]
    assert set(codes(app, intake, "nghi*")) == {both} and set(codes(app, intake, "ran*")) == {land}
    assert codes(app, intake, "ra*") == []  # a prefix of fewer than three letters is the word itself
    assert set(codes(app, intake, "đất-nông")) == {both}  # a minus inside a word joins, it does not exclude


def test_an_unclosed_phrase_is_searched_as_its_words(app, people, make_complaint):
    code = make_complaint(title="Chậm cấp giấy phép xây dựng")
    index_now(app)
    assert codes(app, people["intake"], '"giấy phép') == codes(app, people["intake"], "giấy phép") == [code]


def test_highlights_are_escaped_and_mark_the_matches(app, people, make_complaint):
    make_complaint(title="Đất đai", description="<script>alert(1)</script> tranh chấp đất đai & lối đi chung")
    index_now(app)
    (hit,) = find(app, people["intake"], "dat dai").hits
    assert "<mark" in hit.highlight and "<script>" not in hit.highlight
    assert "alert(1)&lt;/script&gt;" in hit.highlight and "&amp;" in hit.highlight


def test_a_snippet_is_the_passage_around_the_first_match():
    text = "Mở đầu dài dòng. " * 30 + "Cán bộ đòi tiền bồi dưỡng rồi mới nhận hồ sơ."
    marked = snippet([text], {"doi", "tien"})
    assert marked.startswith("…") and "<mark>đòi</mark> <mark>tiền</mark>" in marked
    assert marked.removeprefix("…").split()[0] in {"Mở", "đầu", "dài", "dòng.", "Cán"}  # never half a word
    assert snippet(["", "Tiêu đề ngắn"], {"khac"}) == "Tiêu đề ngắn"


def test_the_search_page_names_its_filters_and_exports_what_it_finds(app, people, make_complaint):
    code = make_complaint(title="Chậm cấp giấy phép xây dựng", official_name="Ông Nguyễn Văn An")
    client = signed_in(app, people["intake"])
    response = client.get("/staff/search/export.csv?q=giay+phep")  # no index yet: not an empty file
    assert response.status_code == 302
    assert "being rebuilt" in client.get(response.location).get_data(as_text=True)
    index_now(app)
    html = unescape(client.get("/staff/search?q=giay+phep&official=an+nguyen+van&date_from=2026-01-01")
                    .get_data(as_text=True))
    reference = reference_of(code)  # results name cases by their staff reference
    assert reference in html and "Official: an nguyen van" in html and "Filed from: 2026-01-01" in html
    exported = client.get("/staff/search/export.csv?q=giay+phep").get_data(as_text=True)
    assert reference in exported and ",Construction," in exported  # the field by its name, not its code
    with app.app_context():  # names follow the directory at the next request
        db.session.scalars(select(Category).where(Category.code == "xay_dung")).one().name_en = "Building works"
        db.session.commit()
    assert ",Building works," in client.get("/staff/search/export.csv?q=giay+phep").get_data(as_text=True)
    assert "Building works" in client.get("/staff/search?q=giay+phep").get_data(as_text=True)  # the facet too



def test_results_over_several_pages_link_each_page_to_the_next(app, people, make_complaint):
    made = [make_complaint(title=f"Vỉa hè xuống cấp đoạn {n}") for n in range(23)]  # 20 to a page
    index_now(app)
    client = signed_in(app, people["intake"])
    for query in ("", "via he"):
        first = client.get("/staff/search", query_string={"q": query, "sort": "newest"})
        assert first.status_code == 200 and "1 / 2" in first.get_data(as_text=True)
        second = client.get("/staff/search", query_string={"q": query, "sort": "newest", "page": 2})
        html = second.get_data(as_text=True)
        assert second.status_code == 200 and "2 / 2" in html
        assert reference_of(made[0]) in html and reference_of(made[-1]) not in html


# Who finds what

def test_officers_find_only_their_agencys_accepted_cases_and_intake_finds_all(app, people, make_complaint):
    accepted = make_complaint(title="Chậm cấp giấy phép xây dựng số một")
    waiting = make_complaint(title="Chậm cấp giấy phép xây dựng số hai")
    elsewhere = make_complaint(title="Chậm cấp giấy phép xây dựng số ba")
    accept(app, accepted, people["intake"], "SXD")
    accept(app, elsewhere, people["intake"], "STP")
    index_now(app)
    assert codes(app, people["sxd"], "giay phep") == [accepted]
    assert codes(app, people["stp"], "giay phep") == [elsewhere]
    assert set(codes(app, people["intake"], "giay phep")) == {accepted, waiting, elsewhere}
    assert set(codes(app, people["snv"], "")) == {accepted, waiting, elsewhere}
    assert codes(app, people["sxd"], "", filters={"agency": "STP"}) == []
    facets = find(app, people["intake"], "giay phep").facets
    assert facets["agency"] == {"sxd": 2, "stp": 1} and facets["status"] == {"assigned": 2, "received": 1}
    assert find(app, people["sxd"], "giay phep").facets["agency"] == {"sxd": 1}
    with app.app_context():
        assert search(None, "giay phep").total == 0


def test_a_denunciations_original_text_is_never_searchable(app, people, make_complaint):
    code = make_complaint(kind="to_cao", title="Tôi, Trần Văn Bình, tố cáo cán bộ nhận tiền",
                          description="Tôi là Trần Văn Bình, nhà ở ngõ 5 Láng Hạ. Cán bộ Lê Văn Cường nhận tiền.")
    index_now(app)
    assert codes(app, people["intake"], "Trần Văn Bình") == []  # nothing of its text until intake redacts it
    assert codes(app, people["intake"], "", filters={"kind": "to_cao"}) == [code]
    accept(app, code, people["intake"], "SXD", redacted_title="Tố cáo cán bộ nhận tiền",
           redacted_description="Người tố cáo cho biết cán bộ Lê Văn Cường nhận tiền.")
    index_now(app)
    for who in ("sxd", "intake"):
        assert codes(app, people[who], "Trần Văn Bình") == []
        assert codes(app, people[who], "binh") == []
        assert codes(app, people[who], "Láng Hạ") == []
    (hit,) = find(app, people["sxd"], "Cường").hits
    assert hit.code == code and "Bình" not in hit.highlight and "<mark" in hit.highlight


def test_a_denunciation_is_not_linked_to_its_filers_other_cases(app, people, make_complaint):
    """The same dossier would lead from a named phản ánh to the tố cáo its filer also sent."""
    named = make_complaint(title="Chậm cấp sổ đỏ cho gia đình tôi", dossier_code="HS-2026-0042",
                           description="Cán bộ địa chính đòi tiền mới nhận hồ sơ cấp sổ đỏ.")
    secret = make_complaint(kind="to_cao", title="Tố cáo cán bộ địa chính đòi tiền", dossier_code="HS-2026-0042",
                            description="Cán bộ địa chính đòi tiền mới nhận hồ sơ cấp sổ đỏ.")
    accept(app, named, people["intake"], "SXD")
    accept(app, secret, people["intake"], "SXD", redacted_title="Tố cáo cán bộ địa chính đòi tiền",
           redacted_description="Cán bộ địa chính đòi tiền mới nhận hồ sơ cấp sổ đỏ.")
    index_now(app)
    assert codes(app, people["intake"], "HS-2026-0042") == [named]
    with app.app_context():
        officer, intake = db.session.get(User, people["sxd"]), db.session.get(User, people["intake"])
        assert [c.code for c, _ in similar_cases(case(named), officer)] == []
        assert [c.code for c, _ in similar_cases(case(secret), officer)] == []
        assert [c.code for c, _ in similar_cases(case(named), intake)] == [secret]  # intake may reveal anyway


def test_the_filers_identity_is_never_indexed(app, people, make_complaint):
    code = make_complaint(title="Nhà máy xả khói đen", description="Khói đen từ nhà máy gạch mỗi đêm.")
    index_now(app)
    assert codes(app, people["intake"], "nha may") == [code]
    for query in ("Phạm Thị Hoa", "pham thi hoa", "hoa", "0912345678", "84912345678", "hoa.pham@example.com",
                  "example", "Hàng Bài"):
        assert codes(app, people["intake"], query) == [], query
    with app.app_context(), store.open_index().searcher() as searcher:
        stored = " ".join(str(value) for fields in searcher.all_stored_fields() for value in fields.values())
        assert "Hoa" not in stored and "912345678" not in stored


# Keeping the index current

def test_the_index_catches_up_when_the_worker_runs_again(app, people, make_complaint):
    first = make_complaint(title="Rác thải ùn ứ đầu ngõ")
    second = make_complaint(title="Rác thải đổ trộm ven đê")
    assert codes(app, people["intake"], "rac thai") == []  # the worker has not run: no index at all yet
    with app.app_context():
        assert search(db.session.get(User, people["intake"]), "rac thai").unavailable
    index_now(app)
    assert set(codes(app, people["intake"], "rac thai")) == {first, second}
    accept(app, first, people["intake"], "SXD")
    assert codes(app, people["sxd"], "rac thai") == []
    index_now(app)
    assert codes(app, people["sxd"], "rac thai") == [first]


def test_commits_merge_small_segments_and_leave_a_rebuilds_segments_alone(app, people, make_complaint,
                                                                         monkeypatch):
    monkeypatch.setattr(store, "LARGEST_MERGE", 12)
    for n in range(15):
        make_complaint(title=f"Rác thải ùn ứ ngõ {n}")
    index_now(app)  # nothing left queued to touch them again
    with app.app_context():
        reindex()  # one segment of 15 documents: larger than LARGEST_MERGE
        rebuilt = {segment.segment_id() for segment in store.open_index()._segments() if segment.doc_count()}
    made = []
    for n in range(store.MERGE_FACTOR + 1):  # eleven commits of one complaint each
        made.append(make_complaint(title=f"Rác thải đổ trộm ven đê {n}"))
        index_now(app)
    with app.app_context():
        segments = store.open_index()._segments()
    assert rebuilt <= {segment.segment_id() for segment in segments}  # never rewritten by a commit
    assert len(segments) == 2  # the rebuild's, and the eleventh commit's, into which it merged the first ten
    assert set(made) <= set(codes(app, people["intake"], "ven de", per_page=50))
    assert find(app, people["intake"], "rac thai").total == 26


def test_the_searchers_of_finished_threads_are_closed(app, people, make_complaint):
    make_complaint(title="Cột điện nghiêng")
    index_now(app)
    opened = []

    def search_in_a_thread():
        with app.app_context(), store.searcher() as reader:
            opened.append(reader)

    for _ in range(3):  # a threaded server: one thread per request
        thread = threading.Thread(target=search_in_a_thread)
        thread.start()
        thread.join()
    with app.app_context(), store.searcher():
        pass
    assert len(opened) == 3 and all(reader.is_closed for reader in opened)


def test_writer_contention_is_retried_by_the_outbox_not_raised(app, people, make_complaint):
    index_now(app)
    code = make_complaint(title="Tiếng ồn công trình ban đêm")
    app.config["SEARCH_LOCK_WAIT_SECONDS"] = 0.2
    with app.app_context():
        with store.write_lock():
            run_once()  # the handler cannot get the lock: the row waits
        row = db.session.scalars(select(OutboxMessage).where(OutboxMessage.topic == "index")
                                 .order_by(OutboxMessage.id.desc())).first()
        assert row.status == PENDING and row.attempts == 1 and "IndexBusy" in row.last_error
        index_complaints([row.payload])  # the retry, once the lock is free
    assert codes(app, people["intake"], "tieng on") == [code]


def test_a_rebuilt_index_equals_the_incremental_one(app, people, make_complaint, fresh_index):
    made = [make_complaint(title=f"Chậm cấp giấy phép xây dựng lô {n}", description=f"Khu đô thị {n}, Đống Đa")
            for n in range(6)]
    accept(app, made[0], people["intake"], "SXD")
    accept(app, made[1], people["intake"], "STP")
    index_now(app)
    before = indexed(app)
    queries = [("giay phep", "intake"), ("dong da", "sxd"), ("", "stp"), ('"lô 3"', "snv")]
    results = {q: codes(app, people[who], q) for q, who in queries}
    with app.app_context():
        assert reindex() == db.session.scalar(select(db.func.count(Complaint.id)))
    assert indexed(app) == before
    assert {q: codes(app, people[who], q) for q, who in queries} == results
    assert len(list(fresh_index.glob("index-*"))) == 1  # the old directory is gone


def test_a_rebuild_catches_up_with_changes_made_while_it_ran(app, people, make_complaint, monkeypatch):
    code = make_complaint(title="Cột điện nghiêng")
    build = indexer._build

    def build_then_change(*args):
        count = build(*args)
        case(code).title = "Trụ điện nghiêng"  # filed while the rebuild read the database
        db.session.commit()
        return count
    monkeypatch.setattr(indexer, "_build", build_then_change)
    with app.app_context():
        reindex()
    assert codes(app, people["intake"], "tru dien") == [code]
    with app.app_context():
        assert indexed(app) == {case(code).id: case(code).version}


def test_a_parallel_rebuild_gives_the_same_index(app, people, make_complaint):
    for n in range(5):
        make_complaint(title=f"Ngập úng đường Láng đoạn {n}", description="Mưa lớn là ngập sâu.")
    with app.app_context():
        reindex()
    before, found = indexed(app), codes(app, people["intake"], "ngap ung")
    app.config["SEARCH_PARALLEL_FROM"] = 1  # whoosh's multiprocessing writer, two processes
    with app.app_context():
        reindex()
    assert indexed(app) == before and codes(app, people["intake"], "ngap ung") == found and len(found) == 5
    app.config["SEARCH_REBUILD_SESSION_DOCS"] = 2  # writers replaced every two complaints
    with app.app_context():
        reindex()
    assert indexed(app) == before and codes(app, people["intake"], "ngap ung") == found
    with app.app_context():  # the rebuild's own codec is not recorded in the index
        assert {type(segment.codec()) for segment in store.open_index()._segments()} == {W3Codec}


def test_a_deleted_index_is_rebuilt_without_an_error_reaching_anyone(app, people, make_complaint):
    code = make_complaint(title="Lấn chiếm lòng đường")
    index_now(app)
    with app.app_context():
        shutil.rmtree(store.current_directory())
    results = find(app, people["intake"], "lan chiem")  # the web only reads: no error, no results
    assert results.total == 0 and results.unavailable
    with app.app_context():
        assert case(code).id in check(repair=False).missing
        assert store.ensure_index() is True
        assert store.ensure_index() is True  # still empty until rebuilt
        reindex()
        assert store.ensure_index() is False
    assert codes(app, people["intake"], "lan chiem") == [code]


def test_a_damaged_index_is_replaced_and_rebuilt_by_the_worker(app, people, make_complaint):
    code = make_complaint(title="Lấn chiếm lòng đường")
    index_now(app)
    with app.app_context():
        for path in store.current_directory().iterdir():
            path.write_bytes(b"garbage" * 100)
        store.forget()
    assert find(app, people["intake"], "lan chiem").total == 0  # no exception
    later = make_complaint(title="Lấn chiếm vỉa hè")
    index_now(app)  # the handler finds the index unreadable, replaces it and rebuilds everything
    assert set(codes(app, people["intake"], "lan chiem")) == {code, later}


def test_search_check_repairs_a_document_deleted_by_hand(app, runner, people, make_complaint):
    code = make_complaint(title="Cột điện nghiêng")
    kept = make_complaint(title="Cột điện đổ")
    index_now(app)
    with app.app_context():
        complaint_id = case(code).id
        with store.live_writer() as writer:
            writer.delete_by_term("id", str(complaint_id))
            writer.add_document(id="999999", code="HN-GONE", version=1, title="Cột điện ma", text="Cột điện ma")
    assert set(codes(app, people["intake"], "cot dien")) == {"HN-GONE", kept}
    result = runner.invoke(args=["search", "check", "--dry-run"])
    assert f"1 complaint(s) missing from the index: ids {complaint_id}" in result.output
    assert "1 complaint(s) in the index but not in the database: ids 999999" in result.output
    assert "dry run" in result.output and set(codes(app, people["intake"], "cot dien")) == {"HN-GONE", kept}
    result = runner.invoke(args=["search", "check"])
    assert "Repaired 2 difference(s)" in result.output, result.output
    assert set(codes(app, people["intake"], "cot dien")) == {code, kept}
    assert "matches the database" in runner.invoke(args=["search", "check"]).output


def test_check_finds_documents_older_than_their_complaint(app, people, make_complaint):
    code = make_complaint(title="Cột điện nghiêng")
    index_now(app)
    with app.app_context():  # a change that bypassed the outbox (a manual SQL fix)
        db.session.execute(update(Complaint).where(Complaint.code == code)
                           .values(title="Trụ điện nghiêng", version=Complaint.version + 1))
        db.session.commit()
        differences = check()
        assert differences.stale == [case(code).id] and differences.repaired
        assert not check()
    assert codes(app, people["intake"], "tru dien") == [code]


def test_reindex_command_reports_count_and_rate(app, runner, make_complaint):
    make_complaint()
    result = runner.invoke(args=["search", "reindex"])
    with app.app_context():
        total = db.session.scalar(select(db.func.count(Complaint.id)))
    assert f"Indexed {total} complaint(s)" in result.output and "per second" in result.output, result.output


# Filters

def test_filters_by_code_official_procedure_dates_and_overdue(app, people, make_complaint):
    long_ago = datetime.now(UTC) - timedelta(days=60)
    with freeze(long_ago):
        late = make_complaint(title="Chậm trả kết quả hồ sơ", official_name="Ông Nguyễn Văn An",
                              procedure_name="Cấp giấy phép xây dựng", dossier_code="HS-2025-001")
    fresh = make_complaint(title="Chậm trả kết quả hồ sơ", official_name="an nguyen van", category="dat_dai")
    index_now(app)
    intake = people["intake"]
    assert codes(app, intake, "", filters={"overdue": True}) == [late]
    assert codes(app, intake, "", filters={"official": official_key("Nguyễn Văn An")}, sort="newest") == [fresh,
                                                                                                            late]
    assert set(codes(app, intake, "", filters={"official": "bà Nguyễn Văn An"})) == {fresh, late}  # as typed
    assert codes(app, intake, "", filters={"official": "Nguyễn Văn Ba"}) == []
    assert codes(app, intake, "", filters={"procedure": "cap giay phep xay dung"}) == [late]
    assert codes(app, intake, "", filters={"dossier": "hs-2025-001"}) == [late]
    assert codes(app, intake, "", filters={"category": ["dat_dai", "y_te"]}) == [fresh]
    since = to_local(datetime.now(UTC) - timedelta(days=1)).date()  # the filters read days in Hanoi time
    assert codes(app, intake, "cham tra", filters={"date_from": since}) == [fresh]
    assert codes(app, intake, "cham tra", filters={"date_to": to_local(long_ago).date()}) == [late]
    assert codes(app, intake, "cham tra", filters={"date_from": since.isoformat()}) == [fresh]
    assert len(codes(app, intake, "cham tra", filters={"date_from": "31/12/2025"})) == 2  # unreadable: no bound


def test_pages(app, people, make_complaint):
    made = [make_complaint(title=f"Vỉa hè xuống cấp đoạn {n}") for n in range(5)]
    index_now(app)
    first = find(app, people["intake"], "", per_page=2)
    last = find(app, people["intake"], "", per_page=2, page=3)
    assert (first.total, first.pages, len(first.hits)) == (5, 3, 2) and len(last.hits) == 1
    assert [h.code for h in first.hits] == made[::-1][:2]  # newest first


# Similar complaints

def test_similar_puts_the_near_duplicate_first_and_says_the_official_is_shared(app, people, make_complaint):
    original = make_complaint(title="Cán bộ địa chính gây khó dễ khi cấp sổ đỏ",
                              description="Cán bộ địa chính phường Láng yêu cầu bồi dưỡng mới nhận hồ sơ cấp sổ đỏ.",
                              official_name="Ông Nguyễn Văn An")
    duplicate = make_complaint(title="Gây khó dễ khi cấp sổ đỏ",
                               description="Cán bộ địa chính phường Láng đòi bồi dưỡng khi nhận hồ sơ cấp sổ đỏ.",
                               official_name="an nguyen van")
    related = make_complaint(title="Chậm cấp sổ đỏ", description="Hồ sơ cấp sổ đỏ quá hạn hai tháng.")
    make_complaint(title="Ngập úng đường Láng", description="Mưa là ngập sâu.")
    index_now(app)
    with app.app_context():
        found = similar(case(original), db.session.get(User, people["intake"]))
        assert [s.code for s in found][:2] == [duplicate, related]
        assert found[0].reason == ("official",) and found[1].reason == ()
        assert original not in [s.code for s in found]
        assert similar(case(original), db.session.get(User, people["sxd"])) == []  # nothing accepted for SXD


def test_cases_the_viewer_cannot_see_never_take_the_share_of_the_similar_candidates(app, people, make_complaint,
                                                                                     monkeypatch):
    """Each telling word brings its newest MAX_CANDIDATES documents; an officer's share is counted among the cases
    they may see, so a newer filing elsewhere (a tố cáo, say) cannot push their own similar case out of sight."""
    text = dict(title="Chậm cấp sổ đỏ cho hộ dân", description="Hồ sơ cấp sổ đỏ quá hạn hai tháng chưa trả.")
    theirs, mine = make_complaint(**text), make_complaint(**text)
    elsewhere = make_complaint(**text)  # the newest: with another agency, which the officer never sees
    for code, agency in ((theirs, "SXD"), (mine, "SXD"), (elsewhere, "STP")):
        accept(app, code, people["intake"], agency_code=agency)
    index_now(app)
    monkeypatch.setattr(searching, "MAX_CANDIDATES", 1)
    with app.app_context():
        found = [s.code for s in similar(case(mine), db.session.get(User, people["sxd"]))]
    assert found == [theirs]


def test_a_change_flushed_only_by_the_commit_is_queued_for_the_index_and_the_figures(app, make_complaint):
    """A plain change and a commit, with no query or flush between: the commit's own flush notes it, and that
    flush runs after the before-commit hooks. Both queues must still get it, in the same transaction."""
    from portal.figures.models import StaleDay
    code = make_complaint(title="Đèn đường hỏng")
    with app.app_context():
        complaint = case(code)
        db.session.execute(update(OutboxMessage).values(status="done"))
        db.session.execute(StaleDay.__table__.delete())
        db.session.commit()
        complaint.title, complaint.answered_at = "Đèn đường hỏng cả tháng", complaint.created_at
        db.session.commit()
        queued = db.session.scalars(select(OutboxMessage.payload).where(OutboxMessage.topic == "index",
                                                                        OutboxMessage.status == PENDING)).all()
        assert queued == [{"complaint_id": complaint.id}]
        assert db.session.scalars(select(StaleDay.day)).all()
