"""The text a file carries, for the detection to read before the file is shared with the agency of a tố cáo: a
PDF's text layer (PDFium, through pypdfium2), a Word document's paragraphs, headers, footers, notes and comments
(its XML, read with lxml), plain text as it is. A photo, or a PDF whose pages are pictures (a scanned letter), has
no text to read: a person must look at it instead."""
import io
import re
import zipfile

import pypdfium2
from lxml import etree

from portal.complaints.uploads import DOCX, TEXT

PDF = "application/pdf"
MIN_CHARACTERS_PER_PAGE = 40  # fewer, and a PDF's page is a picture of text rather than text
_WORD_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def readable_text(data, mime):
    """The file's text, or None when it has none a machine can read (a photo, a scan)."""
    if mime == TEXT:
        return data.decode("utf-8")
    if mime == DOCX:
        return _docx_text(data)
    if mime == PDF:
        return _pdf_text(data)
    return None


def _pdf_text(data):
    document = pypdfium2.PdfDocument(data)
    try:
        pages = [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()
    if not pages or any(len(page.strip()) < MIN_CHARACTERS_PER_PAGE for page in pages):
        return None  # a page that is a picture (a scan, a signature) needs a person's eyes
    return "\n".join(pages)


def _docx_text(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = sorted(name for name in archive.namelist() if _WORD_PARTS.match(name))
        return "\n".join(_paragraphs(archive.read(name)) for name in parts)


def _paragraphs(xml):
    root = etree.fromstring(xml, _SAFE_XML)
    return "\n".join("".join(node.text or "" for node in paragraph.iter(f"{_W}t"))
                     for paragraph in root.iter(f"{_W}p"))
