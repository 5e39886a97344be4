"""The public side, end to end: every line of the personal-data corpus filed as a consented report (over Open311,
as a partner's app files them), answered by the agency naming its filer, and approved through the reviewers'
queue unedited where the server allows; then the page of each published answer, the public search for each item
of personal data and each filer's name, the list's pages and the partner's Open311 reads: none of the items is
found (as a word: "Mai" the neighbour, not "Mai" in a ward's name)."""
import re
from html import unescape
from urllib.parse import quote_plus

from sqlalchemy import select

from portal.accounts.models import User
from portal.cases import operations as ops
from portal.cases.workflow import CaseError
from portal.complaints.models import Complaint
from portal.directory.models import Agency
from portal.extensions import db
from portal.open311.keys import create_key
from portal.publication.review import approve_publication, machine_version
from tests.conftest import english_client
from tests.corpora import corpus, items_of

FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
GIVEN_NAMES = ("Thị Hằng", "Văn Khải", "Minh Thư", "Quốc Bảo", "Thu Trang", "Đức Long", "Ngọc Ánh", "Hữu Nghĩa")


def filer(n):
    return f"{FAMILY_NAMES[n % len(FAMILY_NAMES)]} {GIVEN_NAMES[n // len(FAMILY_NAMES) % len(GIVEN_NAMES)]}"


def secrets_of(n, line):
    """What must not be found of corpus line `n`: its items and its filer's name."""
    text, items = items_of(line)
    return [text[start:end] for start, end in items] + [filer(n)]


def found_in(secrets, page):
    return [secret for secret in secrets
            if secret in page and re.search(rf"(?<!\w){re.escape(secret)}(?!\w)", page)]


def file_the_corpus(app, key, lines):
    """{tracking code: corpus line number}, each filed by a partner's app with the filer's consent."""
    partner, codes = app.test_client(), {}
    for n, line in enumerate(lines):
        family, given = filer(n).split(" ", 1)
        response = partner.post("/open311/v2/requests.json", headers={"X-Api-Key": key}, data={
            "service_code": "xay_dung", "attribute[kind]": "phan_anh", "attribute[problem_type]": "delay",
            "attribute[publish]": "true", "address_string": "Phố Tràng Tiền, phường Hoàn Kiếm",
            "description": f"{items_of(line)[0]} Đề nghị cơ quan xem xét, giải quyết.",
            "last_name": family, "first_name": given, "email": f"nguoi.gui.{n}@example.com"})
        assert response.status_code == 201, (line, response.get_data(as_text=True))
        codes[response.get_json()[0]["service_request_id"]] = n
    return codes


def answer_and_review(app, codes, make_user):
    """{complaint id: line}: the agency answers each naming its filer; intake approves the machine's version where
    the server allows. Returns also how many the server refused."""
    intake, officer = make_user("intake"), make_user("officer", "SXD")
    ids, refused = {}, 0
    with app.app_context():
        agency = db.session.scalars(select(Agency).where(Agency.code == "SXD")).one()
        reviewer, answerer = db.session.get(User, intake), db.session.get(User, officer)
        for complaint in db.session.scalars(select(Complaint).where(Complaint.code.in_(codes))):
            ops.accept(complaint, reviewer, version=complaint.version, agency=agency, category=complaint.category,
                       problem_type=complaint.problem_type)
            ops.answer(complaint, answerer, version=complaint.version, resolved=False,
                       text=f"Kính gửi {filer(codes[complaint.code])}: Sở đã kiểm tra và xử lý phản ánh ngày 20/11.")
            ids[complaint.id] = codes[complaint.code]
            try:
                approve_publication(complaint, reviewer, version=complaint.version, **machine_version(complaint))
            except CaseError:
                refused += 1
        db.session.commit()
    return ids, refused


def search_page(visitor, query):
    """The public search for `query`, without the words the visitor typed (the search box and links repeat them)."""
    page = unescape(visitor.get("/transparency/answers", query_string={"q": query}).get_data(as_text=True))
    for echo in (query, quote_plus(query)):
        page = page.replace(echo, "")
    return page


def test_no_item_of_personal_data_reaches_a_public_page_a_search_or_open311(app, make_user, runner, monkeypatch):
    monkeypatch.setitem(app.config, "OPEN311_FILING_RATE_LIMIT", "10000 per minute")
    with app.app_context():
        _row, key = create_key("Ứng dụng của thành phố")
        db.session.commit()
    lines = corpus("personal_data.txt")
    ids, refused = answer_and_review(app, file_the_corpus(app, key, lines), make_user)
    assert runner.invoke(args=["search", "reindex-public"]).exit_code == 0
    visitor, leaks, published = english_client(app), {}, 0
    for answer_id, n in ids.items():
        page = visitor.get(f"/transparency/answers/{answer_id}")
        published += page.status_code == 200
        found = found_in(secrets_of(n, lines[n]), unescape(page.get_data(as_text=True)))
        if found:
            leaks[f"/transparency/answers/{answer_id}"] = found
    everyone = sorted({secret for n, line in enumerate(lines) for secret in secrets_of(n, line)})
    for secret in everyone:
        if found_in([secret], search_page(visitor, secret)):
            leaks[f"search {secret}"] = [secret]
    listing, number = [], 1
    while number == 1 or f"page={number}" in listing[-1]:
        listing.append(unescape(visitor.get(f"/transparency/answers?page={number}").get_data(as_text=True)))
        number += 1
    reads = unescape(app.test_client().get("/open311/v2/requests.json", headers={"X-Api-Key": key}).get_data(
        as_text=True))
    for n, line in enumerate(lines):  # pages of many answers: the items no other text holds as a common word
        for where, text in (("the list", "".join(listing)), ("Open311", reads)):
            distinctive = [secret for secret in secrets_of(n, line) if re.search(r"\d{6}|@|\w\s+\w", secret)]
            leaks.setdefault(where, []).extend(found_in(distinctive, text))
    assert published >= 0.95 * len(lines) and refused <= 0.05 * len(lines)  # the machine's version passes
    assert {where: found for where, found in leaks.items() if found} == {}
