"""The accused agency's view of a denunciation, tried the way the agency would: a resident files tố cáo with a
distinctive identity through the real form (name, phone in several spellings, email, address, ID number, a PDF
whose metadata names them), intake accepts them through the case page as intake would (once without editing the
suggested text) and writes a note, then the officer and the head of the receiving agency visit every page, file,
search, export and email they can reach: not one spelling of the identity may be in any of them.

To forbid one more string, add it to IDENTITY (or SPELLINGS); to visit one more page, add it to AGENCY_URLS."""
import io
import re
import zipfile
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, quote, quote_plus, urljoin, urlsplit

import pikepdf
import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.complaints.models import Complaint
from portal.domain.text import fold
from portal.extensions import db
from portal.history import first_broken_link
from portal.outbox.worker import run_once
from tests.conftest import case_url, csrf_token, english_client, signed_in
from tests.helpers import delivered_emails, post_form
from tests.test_track_secrecy import track, without_csrf

NAME, PHONE, EMAIL = "Trịnh Thị Quỳnh Dao", "0936 271 845", "quynhdao.trinh@example.com"
ADDRESS, CCCD, DOSSIER = "47 ngõ Trạm Hàng Bông, Hoàn Kiếm, Hà Nội", "001190012345", "HS-2026-778899"
# Every string that would tell the agency who the denouncer is, as typed in the filing.
IDENTITY = [NAME, "Quỳnh Dao", PHONE, "0936.271.845", "+84936271845", "936271845", EMAIL, "47 ngõ Trạm", CCCD,
            DOSSIER]
# The same strings as they may come out of a page: other casing, no diacritics, another phone spelling.
SPELLINGS = [spelling for text in IDENTITY for spelling in (text, text.upper(), fold(text))]
PHONE_DIGITS = ["936271845"]  # the phone's digits, whatever separates them

TITLE = f"Tố cáo cán bộ địa chính — người gửi {NAME}, ĐT {PHONE}"
DESCRIPTION = (f"Tôi là {NAME.upper()}, CCCD {CCCD}, ở {ADDRESS}. Cán bộ địa chính phường đòi 50 triệu đồng mới "
               f"nhận hồ sơ {DOSSIER}. Xin gọi tôi: 0936.271.845 hoặc +84936271845, email {EMAIL}. "
               f"Ký tên: {fold(NAME)}.")

# Pages of the agency's area, besides every /staff/ link the crawl finds ({case} is the case page's path).
AGENCY_URLS = ["/staff/", "/staff/cases", "/staff/cases?status=all", "/staff/cases?kind=to_cao", "{case}",
               "/staff/search", "/staff/search?q=t%E1%BB%91+c%C3%A1o", "/staff/search?q=dia+chinh&page=2",
               *[f"/staff/search?q={quote(text)}" for text in (NAME, fold(NAME), PHONE, "0936271845", EMAIL, CCCD)],
               "/staff/search/export.csv?q=", "/staff/search/export.xlsx?q=", "/staff/search/export.csv?q=to+cao",
               "/staff/search/export.xlsx?q=dia+chinh", "/staff/patterns", "/staff/patterns/export.csv",
               "/staff/patterns/export.xlsx", "/staff/patterns/agency/SXD", "/staff/follow-up", "/staff/triage"]
CRAWL_LIMIT = 80
pytestmark = pytest.mark.usefixtures("fresh_index")
NOT_FOLLOWED = ("/staff/logout", "/staff/password", "/lang/")


def identity_pdf():
    """A one-page PDF whose document information and XMP carry the denouncer's name, phone and email, as a word
    processor would write them."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Author"] = NAME
    pdf.docinfo["/Title"] = f"Đơn tố cáo — {NAME} — {PHONE}"
    pdf.docinfo["/Subject"] = EMAIL
    pdf.docinfo["/Keywords"] = f"{CCCD} {ADDRESS}"
    pdf.docinfo["/Creator"] = f"Writer ({EMAIL})"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
        xmp["dc:creator"] = [NAME]
        xmp["dc:title"] = f"{NAME} {PHONE}"
        xmp["dc:description"] = EMAIL
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def leaks(body):
    """The identity strings found in `body` (text or bytes: a page, a file, an email), in any spelling: as
    written, HTML-unescaped, folded without diacritics, digits with their separators removed, in UTF-8 or in
    the UTF-16 of PDF strings, and inside the parts of a zip (XLSX)."""
    data = body if isinstance(body, bytes) else body.encode()
    texts = [data.decode("utf-8", "ignore"), data.decode("utf-16-be", "ignore"), data[1:].decode("utf-16-be", "ignore")]
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            texts += [archive.read(name).decode("utf-8", "ignore") for name in archive.namelist()]
    if data.startswith(b"%PDF"):
        texts += list(pdf_texts(data))
    found = set()
    for text in map(unescape, texts):
        folded, digits = fold(text), re.sub(r"(?<=\d)[\s.\-()]+(?=\d)", "", text)  # 0936 271-845 → 0936271845
        found |= {s for s in SPELLINGS if s in text or fold(s) in folded}
        found |= {number for number in PHONE_DIGITS if number in digits}
    return found


def pdf_texts(data):
    """The decoded strings and streams of a PDF, so that compressed metadata is read too."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        yield str(pdf.trailer.get("/Info", ""))
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                yield obj.read_bytes().decode("utf-8", "ignore")
            elif isinstance(obj, pikepdf.Dictionary):
                yield " ".join(str(value) for value in obj.values() if isinstance(value, pikepdf.String))


class FormReader(HTMLParser):
    """The forms of a page with the values a browser would send unchanged: inputs, ticked boxes, the selected
    option and the text of each textarea."""

    def __init__(self):
        super().__init__()
        self.forms, self.select, self.first_option, self.chosen, self.textarea = [], None, None, False, None

    def add(self, name, value):
        self.forms[-1]["fields"].setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action"), "fields": {}})
        elif not self.forms or ("name" not in a and tag != "option"):
            return
        elif tag == "input" and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.add(a["name"], a.get("value", "y" if a.get("type") == "checkbox" else ""))
        elif tag == "select":
            self.select, self.first_option, self.chosen = a["name"], None, False
        elif tag == "option" and self.select:
            self.first_option = a.get("value") if self.first_option is None else self.first_option
            if "selected" in a:
                self.add(self.select, a.get("value")), setattr(self, "chosen", True)
        elif tag == "textarea":
            self.textarea = a["name"]
            self.add(self.textarea, "")

    def handle_data(self, data):
        if self.textarea:
            self.forms[-1]["fields"][self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self.select:
            if not self.chosen and self.first_option is not None:
                self.add(self.select, self.first_option)
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def form_on(page, action_end):
    reader = FormReader()
    reader.feed(page.get_data(as_text=True))
    return next(form for form in reader.forms if (form["action"] or "").endswith(action_end))["fields"]


def file_denunciation(app, title=TITLE, description=DESCRIPTION):
    resident = english_client(app)
    response = post_form(resident, kind="to_cao", category="dat_dai", problem_type="bribe_request", title=title,
                         description=description, full_name=NAME, phone=PHONE, email=EMAIL, address=ADDRESS,
                         dossier_code=DOSSIER, files=[("Don to cao - Trinh Thi Quynh Dao 0936271845.pdf",
                                                      identity_pdf())])
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    with app.app_context():
        complaint = db.session.scalars(select(Complaint).order_by(Complaint.id.desc())).first()
        return complaint.code, complaint.attachments[0].id


def case_path(code):
    return case_url(code)


def accept_as_intake(intake, code, file_id, **edits):
    """Intake opens the case, leaves the accept form as suggested (changed only by `edits`), shares the PDF (a
    page with no text: intake has looked at it)."""
    fields = form_on(intake.get(case_path(code)), "/accept")
    fields.update({"agency": ["SNNMT"], "share_file": [str(file_id)], "looked_at": [str(file_id)], **edits})
    return intake.post(f"{case_path(code)}/accept", data=fields)


@pytest.fixture
def accepted(app, make_user, smtp_server):
    """Two tố cáo accepted for Sở Nông nghiệp và Môi trường: one with intake's suggested text unedited, one
    whose pasted original is refused and then written by hand; with a confidential note, a shared note and a
    reveal by intake. Returns the ids of the agency's officer and head and the codes."""
    staff = {"intake": make_user("intake"), "officer": make_user("officer", "SNNMT"),
             "head": make_user("agency_head", "SNNMT")}
    intake = signed_in(app, staff["intake"])
    unedited, pdf_id = file_denunciation(app)
    assert accept_as_intake(intake, unedited, pdf_id).status_code == 302
    pasted, other_pdf = file_denunciation(app, title="Tố cáo cán bộ địa chính phường",
                                          description=f"Liên hệ {PHONE}. Cán bộ đòi tiền.")
    refused = accept_as_intake(intake, pasted, other_pdf, redacted_description=[f"Liên hệ {PHONE}. Cán bộ đòi tiền."])
    assert refused.status_code == 400 and "phone number" in refused.get_data(as_text=True)
    assert accept_as_intake(intake, pasted, other_pdf,
                            redacted_description=["Cán bộ địa chính phường đòi tiền."]).status_code == 302
    for text, shared in ((f"Đã gọi lại người tố cáo ở số {PHONE}, chị {NAME} xác nhận.", None),
                         ("Đề nghị cơ quan xác minh sổ nhận hồ sơ tháng 3.", "y")):
        form = {"text": text, "csrf_token": csrf_token(intake, case_path(unedited))} | (
            {"share_with_agency": shared} if shared else {})
        assert intake.post(f"{case_path(unedited)}/note", data=form).status_code == 302
    intake.post(f"{case_path(unedited)}/reveal", data={"reason": f"Gọi lại chị {NAME} theo số {PHONE}",
                                                       "csrf_token": csrf_token(intake, case_path(unedited))})
    head = signed_in(app, staff["head"])  # the head names the officer: the email tells them what to do
    assignment = form_on(head.get(case_path(unedited)), "/assign")
    assignment.update({"officer": [str(staff["officer"])], "task": ["Xác minh sổ nhận hồ sơ tháng 3."]})
    assert head.post(f"{case_path(unedited)}/assign", data=assignment).status_code == 302
    with app.app_context():
        run_once()  # the index and the outbox catch up, as the worker would
    return staff, intake, (unedited, pasted), smtp_server


def without_echo(url, body):
    """`body` without the search words the agency typed itself (the search box and the sort links repeat them):
    a guess the agency typed is no leak, only results would be."""
    query = parse_qs(urlsplit(url).query).get("q", [""])[0]
    if not query:
        return body
    for echo in {query, escape(query), quote(query), quote_plus(query), quote(query, safe="")}:
        body = body.replace(str(echo).encode(), b"")
    return body


def crawl(client, start):
    """Every page under /staff/ reachable from `start` by links (at most CRAWL_LIMIT): {path: response}."""
    seen, queue = {}, list(start)
    while queue and len(seen) < CRAWL_LIMIT:
        url = queue.pop(0)
        if url in seen or any(part in url for part in NOT_FOLLOWED):
            continue
        response = seen[url] = client.get(url)
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        if response.mimetype == "text/html":
            for href in re.findall(r'href="([^"#]+)"', response.get_data(as_text=True)):
                target = urljoin(url, unescape(href))
                if urlsplit(target).path.startswith("/staff/") and not urlsplit(target).netloc:
                    queue.append(target)
    return seen


@pytest.mark.parametrize("role", ["officer", "head"])
def test_the_accused_agency_reaches_nothing_that_names_the_denouncer(app, accepted, role):
    staff = accepted[0]
    client = signed_in(app, staff[role])
    listed = client.get("/staff/cases").get_data(as_text=True)
    case_links = sorted({href for href in re.findall(r'href="(/staff/cases/[^"?#/]+)"', listed)})
    assert len(case_links) == 2  # both denunciations reached the agency
    pages = crawl(client, [url.format(case=case_links[0]) for url in AGENCY_URLS] + case_links)
    with app.app_context():
        agency_addresses = {db.session.get(User, staff[r]).email for r in ("officer", "head")}
    agency_mail = [m for m in delivered_emails(accepted[3]) if m["to"] in agency_addresses]
    assert agency_mail
    reached = {url: without_echo(url, response.get_data() + str(response.headers).encode())
               for url, response in pages.items()}
    reached |= {f"email to {m['to']}: {m['subject']}": (m["subject"] + m["text"] + m["html"]).encode()
                for m in agency_mail}
    assert {url: leaks(body) for url, body in reached.items() if leaks(body)} == {}
    codes = [code.encode() for code in accepted[2]]  # a tracking code would let the agency probe /track
    assert [url for url, body in reached.items() if any(code in body for code in codes)] == []
    case_page = pages[case_links[0]].get_data(as_text=True) + pages[case_links[1]].get_data(as_text=True)
    assert "[đã che]" in case_page and "Cán bộ địa chính phường đòi tiền." in case_page
    assert "Đề nghị cơ quan xác minh sổ nhận hồ sơ" in case_page  # the note intake chose to share
    files = [url for url in pages if url.startswith("/staff/files/")]
    assert len(files) == 2 and all(pages[url].status_code == 200 for url in files)
    assert all(re.search(r'filename="?VV-\d{4}-\w{6}-1\.pdf', pages[url].headers["Content-Disposition"])
               for url in files)
    found = pages["/staff/search?q=t%E1%BB%91+c%C3%A1o"].get_data(as_text=True)
    assert all(link in found for link in case_links)  # the search did search the two cases
    exported = pages["/staff/search/export.csv?q="].get_data(as_text=True)
    assert "[đã che]" in exported and len(exported.strip().splitlines()) == 3  # the header and both cases
    assert pages["/staff/search/export.xlsx?q=dia+chinh"].status_code == 200


def test_intake_keeps_the_original_file_and_sees_the_confidential_note(app, accepted):
    staff, intake, (unedited, _), _server = accepted
    page = intake.get(case_path(unedited)).get_data(as_text=True)
    assert "Đã gọi lại người tố cáo" in page and "Don to cao - Trinh Thi Quynh Dao 0936271845.pdf" in page
    token = re.search(r'href="/staff/files/([^"]+)"', page).group(1)
    original = intake.get(f"/staff/files/{token}")
    assert "Trinh Thi Quynh Dao" in original.headers["Content-Disposition"]
    with pikepdf.open(io.BytesIO(original.get_data())) as pdf:
        assert str(pdf.docinfo["/Author"]) == NAME
    with app.app_context():
        assert first_broken_link() is None  # confidentiality lives inside the hashed event data


def test_the_agencys_copy_is_made_once_and_has_no_metadata(app, accepted):
    staff, _, (unedited, _), _server = accepted
    officer = signed_in(app, staff["officer"])
    case = next(iter(re.findall(r'href="(/staff/cases/[^"?#/]+)"', officer.get("/staff/cases").get_data(as_text=True))))
    link = re.search(r'href="(/staff/files/[^"]+)"', officer.get(case).get_data(as_text=True)).group(1)
    first = officer.get(link).get_data()
    copies = list(Path(app.config["UPLOAD_DIR"]).rglob("*.agency.pdf"))
    made = {path: path.stat().st_mtime_ns for path in copies}
    assert officer.get(link).get_data() == first and {p: p.stat().st_mtime_ns for p in copies} == made
    with pikepdf.open(io.BytesIO(first)) as pdf:
        assert "/Info" not in pdf.trailer and "/Metadata" not in pdf.Root and len(pdf.pages) == 1


def test_the_leak_check_sees_every_spelling():
    """The assertion above is only as good as `leaks`: each way the identity can come out is caught."""
    assert leaks(f"<p>{fold(NAME).upper()}</p>") and leaks("Gọi 0936-271-845") and leaks("0936 271845")
    assert leaks(identity_pdf()) and leaks(NAME.encode("utf-16-be")) and leaks("Quynh&#32;Dao")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", f"<t>{EMAIL}</t>")
    assert leaks(archive.getvalue())
    assert not leaks("Cán bộ địa chính phường đòi 50 triệu đồng [đã che] 2026-11-29")


def test_a_code_in_the_agencys_hands_confirms_no_guess_on_the_tracking_page(app, accepted):
    """Had the agency learnt a tracking code elsewhere, /track answers its right and wrong guesses of the
    denouncer's phone and email alike, and shows nothing of the case's content."""
    code = accepted[2][0]
    answers = [track(app, code, guess) for guess in (PHONE, EMAIL, "0912 000 111", "someone@example.com")]
    bodies = {(answer.status_code, without_csrf(answer)) for answer in answers}
    assert len(bodies) == 1
    assert not leaks(answers[0].get_data()) and "địa chính" not in answers[0].get_data(as_text=True)
