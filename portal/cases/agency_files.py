"""A case's files as the agency of a tố cáo receives them: under a neutral name, and documents without the
metadata where a word processor writes its user's name, phone and email (a PDF's /Author, /Title, /Subject and
XMP; a Word document's properties, reviewers and the authors of its comments and tracked changes).

Photos need nothing here: every photo is re-encoded from its pixels when it is uploaded, which drops EXIF and
XMP. The original file stays, untouched, for intake and inspectors; the agency's copy of a document is made once,
on first download, and kept beside it."""
import io
import logging
import os
import zipfile
from pathlib import Path
from typing import NamedTuple

import pikepdf
from lxml import etree

from portal.cases.visibility import case_view, is_secret_identity, sees_original_text
from portal.complaints.attachments import path_of
from portal.complaints.uploads import DOCX

log = logging.getLogger(__name__)

PDF = "application/pdf"
# Document-level entries that describe the file or its author rather than its pages.
_DOCUMENT_KEYS = ("/Metadata", "/PieceInfo")
# What a markup annotation (a comment, a highlight) records about who made it and when.
_ANNOTATION_KEYS = ("/T", "/M", "/CreationDate", "/NM")


class NotShareable(Exception):
    """The PDF could not be read to make the agency's copy; the original must not be sent instead."""


def agency_file_name(attachment, n):
    """The name the agency sees for the `n`-th file of a case (from 1): the case's staff reference, never
    anything the filer chose."""
    return f"{attachment.complaint.reference}-{n}{Path(attachment.stored_name).suffix.lower()}"


def file_namer(user, complaint, files):
    """A function naming each of `files` (the case's files `user` sees, in order) as `user` is shown it."""
    if sees_original_text(user, complaint):
        return lambda attachment: attachment.original_name
    numbers = {attachment.id: n for n, attachment in enumerate(files, start=1)}
    return lambda attachment: agency_file_name(attachment, numbers[attachment.id])


class Served(NamedTuple):
    path: Path
    name: str  # the download name
    dated: bool  # whether the response may carry the file's dates (Last-Modified, and the ETag made from them)


def served_file(user, attachment):
    """What `user`, who may download `attachment`, receives: the original for those who see the original text,
    otherwise the agency's copy under its neutral name, without the file's dates (they are the denouncer's
    upload time, to the second, to set beside the agency's named cases). Raises NotShareable."""
    complaint = attachment.complaint
    if sees_original_text(user, complaint):
        return Served(path_of(attachment), attachment.original_name, True)
    name = file_namer(user, complaint, case_view(user, complaint).attachments)(attachment)
    return Served(agency_copy(attachment), name, not is_secret_identity(complaint))


def agency_copy(attachment):
    """The path of the file the agency receives: for a document a copy without metadata, made on first use."""
    original = path_of(attachment)
    clean = {PDF: without_metadata, DOCX: docx_without_metadata}.get(attachment.mime)
    if clean is None:
        return original
    copy = original.with_name(original.stem + ".agency" + original.suffix)
    if not copy.exists():
        try:
            cleaned = clean(original.read_bytes())
        except (pikepdf.PdfError, zipfile.BadZipFile, etree.XMLSyntaxError) as error:
            log.warning("cannot make the agency's copy of attachment %s: %s", attachment.id, error)
            raise NotShareable from error
        temporary = copy.with_suffix(".part")
        temporary.write_bytes(cleaned)
        os.replace(temporary, copy)  # two downloads at once both write the same bytes; neither sees half a file
    return copy


def without_metadata(data):
    """The PDF `data` rewritten without its document information, XMP streams, private application data,
    embedded files and annotation authors; pages and their contents are kept as they are."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
        for obj in pdf.objects:
            if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
                _drop(obj, _DOCUMENT_KEYS)
        _drop_embedded_files(pdf)
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                if annotation.get("/Subtype") != pikepdf.Name.Widget:  # a form field's /T is its name
                    _drop(annotation, _ANNOTATION_KEYS)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, fix_metadata_version=False, preserve_pdfa=False)
        return out.getvalue()


def _drop(obj, keys):
    for key in keys:
        if key in obj:
            del obj[key]


def _drop_embedded_files(pdf):
    names = pdf.Root.get("/Names")
    if names is not None and "/EmbeddedFiles" in names:
        del names["/EmbeddedFiles"]


# A Word document's parts that describe its author and reviewers, and the attributes naming who wrote a comment
# or a tracked change, and when.
_DOCX_PEOPLE_PARTS = {"docProps/core.xml", "docProps/app.xml", "docProps/custom.xml", "word/people.xml"}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCX_PEOPLE_ATTRIBUTES = (f"{_W}author", f"{_W}initials", f"{_W}date")
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def docx_without_metadata(data):
    """The DOCX `data` rewritten without its properties and people, and without who wrote each comment and
    tracked change; the text is kept as it is."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for part in original.infolist():
            if part.filename in _DOCX_PEOPLE_PARTS:
                continue
            content = original.read(part)
            if part.filename.endswith((".xml", ".rels")):
                content = _without_people(content)
            copy.writestr(part.filename, content)
    return out.getvalue()


def _without_people(xml):
    root = etree.fromstring(xml, _SAFE_XML)
    for element in list(root.iter()):
        for attribute in _DOCX_PEOPLE_ATTRIBUTES:
            element.attrib.pop(attribute, None)
        target = element.get("Target") or element.get("PartName") or ""
        if target.lstrip("/") in _DOCX_PEOPLE_PARTS or target in ("people.xml", "../docProps/core.xml"):
            element.getparent().remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
