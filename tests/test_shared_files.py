"""A tố cáo's files reach the agency only when nothing in them tells who the denouncer is: the detection reads a
document's text (PDF, DOCX, plain text) and refuses one that names anybody but the official, asking intake for a
redacted copy, which goes instead; a photo or a scanned page goes only once intake has looked at it. The accused
agency downloads nothing of a letter that names the denouncer."""
import io
import re
import zipfile
from html import unescape

import pytest
from PIL import Image

from portal.cases.agency_files import docx_without_metadata
from portal.cases.file_text import readable_text
from portal.complaints.uploads import DOCX, TEXT, UploadRejected, clean_upload
from tests.conftest import case_url, signed_in
from tests.helpers import VALID, photo_bytes, post_form
from tests.test_staff_pages import act

LETTER = (f"Kính gửi Thanh tra thành phố. Tôi là {VALID['full_name']}, điện thoại {VALID['phone']}, "
          f"ở {VALID['address']}. Tôi tố cáo ông Trần Văn Khoa, cán bộ địa chính, đòi 20 triệu đồng.")
COPY = "Kính gửi Thanh tra thành phố. Người tố cáo cho biết ông Trần Văn Khoa, cán bộ địa chính, đòi 20 triệu đồng."
IDENTITY = (VALID["full_name"], "Văn An", "0912", "345 678", "Phố Huế")


def pdf_of(text):
    """A PDF with a text layer, made by WeasyPrint as the portal loads it (importing it directly would leave
    Pillow accepting truncated images for the rest of the test process)."""
    from portal.reports.outputs import _weasyprint
    return _weasyprint().HTML(string=f"<p>{text}</p>").write_pdf()


def scanned_pdf():
    """A PDF whose page is a picture (no text layer), as a scanner makes it."""
    out = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(out, "PDF")
    return out.getvalue()


def docx_of(text, author="Nguyễn Văn An"):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-'
            'properties+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/><Relationship Id="r2" Type="http://schemas.openxmlformats'
            '.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>'))
        archive.writestr("word/document.xml", (
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p><w:p><w:ins w:author="{author}" w:date="2026-12-01">'
            '<w:r><w:t>Xin cảm ơn.</w:t></w:r></w:ins></w:p></w:body></w:document>'))
        archive.writestr("docProps/core.xml", (
            '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            f'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{author}'
            '</dc:creator></cp:coreProperties>'))
    return out.getvalue()


# What is read, and what is accepted

def test_the_text_of_each_kind_of_document_is_read():
    assert "Trần Văn Khoa" in readable_text(pdf_of(LETTER), "application/pdf")
    assert "Trần Văn Khoa" in readable_text(docx_of(LETTER), DOCX) and "Xin cảm ơn" in readable_text(
        docx_of(LETTER), DOCX)
    assert readable_text(LETTER.encode(), TEXT) == LETTER
    assert readable_text(scanned_pdf(), "application/pdf") is None  # pictures: a person must look
    assert readable_text(photo_bytes(), "image/jpeg") is None


def test_word_documents_and_plain_text_are_accepted_but_not_macros_or_remote_parts():
    assert clean_upload(docx_of(LETTER), "thư.docx").mime == DOCX
    assert clean_upload("Đơn tố cáo\r\nnội dung".encode(), "don.txt").data == "Đơn tố cáo\nnội dung".encode()
    with_macros = io.BytesIO(docx_of(LETTER))
    with zipfile.ZipFile(with_macros, "a") as archive:
        archive.writestr("word/vbaProject.bin", b"\x00" * 16)
    remote = io.BytesIO(docx_of(LETTER))
    with zipfile.ZipFile(remote, "a") as archive:
        archive.writestr("word/_rels/document.xml.rels", (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
            'Id="r9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
            'Target="http://tracker.example/pixel.png" TargetMode="External"/></Relationships>'))
    for data in (with_macros.getvalue(), remote.getvalue()):
        with pytest.raises(UploadRejected) as refused:
            clean_upload(data, "thư.docx")
        assert "macros, embedded objects or parts fetched" in str(refused.value.message)


def test_the_agencys_copy_of_a_word_document_names_no_author():
    copy = docx_without_metadata(docx_of(COPY, author="Nguyễn Văn An"))
    with zipfile.ZipFile(io.BytesIO(copy)) as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist())
        assert "docProps/core.xml" not in archive.namelist()
    assert "Nguyễn Văn An".encode() not in everything and "Trần Văn Khoa".encode() in everything


# Sharing at acceptance

def denunciation(app, client, make_user, files):
    response = post_form(client, kind="to_cao", title="Tố cáo cán bộ địa chính đòi tiền",
                         description="Cán bộ địa chính đòi tiền mới nhận hồ sơ cấp giấy chứng nhận.",
                         official_name="Trần Văn Khoa", official_position="Cán bộ địa chính", files=files)
    assert response.status_code == 303, response.get_data(as_text=True)
    from tests.helpers import latest_complaint
    code = latest_complaint(app)
    return code, signed_in(app, make_user("intake")), signed_in(app, make_user("officer", "SXD"))


def accept(intake, code, **fields):
    page = intake.get(case_url(code)).get_data(as_text=True)
    ids = dict(re.findall(r'<label class="form-check-label" for="share-(\d+)">([^<]+)</label>', page))
    fields = {key: ([id_ for id_, name in ids.items() if name in value] if key in ("share_file", "looked_at")
                    else value) for key, value in fields.items()}
    return act(intake, code, "accept", kind="to_cao", category="xay_dung", problem_type="delay", ward="",
               agency="SXD", redacted_title="Tố cáo cán bộ địa chính", redacted_description="Cán bộ đòi tiền.",
               **fields)


def agency_downloads(officer, code):
    page = officer.get(case_url(code)).get_data(as_text=True)
    return [officer.get(link).data for link in sorted(set(re.findall(r'href="(/staff/files/[^"]+)"', page)))]


def test_a_letter_naming_the_denouncer_is_refused_and_its_redacted_copy_goes_instead(app, client, make_user):
    code, intake, officer = denunciation(app, client, make_user, [("thu-to-cao.pdf", pdf_of(LETTER))])
    intake.get("/lang/vi")
    refused = accept(intake, code, share_file=["thu-to-cao.pdf"])
    html = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400
    assert "“thu-to-cao.pdf” chứa tên một người, một số điện thoại" in html and "bản sao" in html
    accepted = accept(intake, code, redacted_copies=[(io.BytesIO(pdf_of(COPY)), "ban-sao.pdf")])
    assert accepted.status_code == 302
    received = agency_downloads(officer, code)
    assert len(received) == 1 and b"%PDF" in received[0]
    text = readable_text(received[0], "application/pdf")
    assert "Trần Văn Khoa" in text and not [part for part in IDENTITY if part in text]


def test_a_copy_that_still_names_the_denouncer_is_refused_too(app, client, make_user):
    code, intake, _officer = denunciation(app, client, make_user, [])
    refused = accept(intake, code, redacted_copies=[(io.BytesIO(LETTER.encode()), "ban-sao.txt")])
    assert refused.status_code == 400 and "ban-sao.txt" in unescape(refused.get_data(as_text=True))


def test_pictures_go_only_once_intake_has_looked_at_them(app, client, make_user):
    files = [("anh.jpg", photo_bytes()), ("scan.pdf", scanned_pdf())]
    code, intake, officer = denunciation(app, client, make_user, files)
    refused = accept(intake, code, share_file=["anh.jpg", "scan.pdf"], looked_at=["anh.jpg"])
    assert refused.status_code == 400 and "scan.pdf" in unescape(refused.get_data(as_text=True))
    assert accept(intake, code, share_file=["anh.jpg", "scan.pdf"],
                  looked_at=["anh.jpg", "scan.pdf"]).status_code == 302
    assert len(agency_downloads(officer, code)) == 2
