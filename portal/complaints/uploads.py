"""Checking and cleaning the files residents attach to a complaint.

Why this module exists:

* A file's type is decided by its CONTENT, never by its name or by the
  content type the browser sends: both are chosen by the client, so an HTML
  page or a program renamed ``photo.jpg`` must not reach the officials who open
  attachments. Only photos (JPEG, PNG, WebP) that Pillow can fully decode,
  PDF and Word (DOCX) documents, and plain text are accepted.
* Photos are re-encoded from their pixels so that no metadata survives. A
  phone photo's EXIF block usually carries the GPS position where it was
  taken; for a resident denouncing a neighbour or an official that is often
  their own home, and the complaint file may be seen by the very people the
  complaint is about. XMP, comments, ICC profiles and PNG text chunks go too.
* PDFs cannot be re-encoded here, so they are stored as received, but only
  after a screen for scripts, launch actions and embedded files. The screen
  looks at names outside stream data and inside compressed object streams; it
  is not a full PDF parser (encrypted objects or exotic filters can hide
  names), so stored PDFs must still be served as downloads, never inline.
* A DOCX is a zip of XML parts: it is accepted without macros, embedded
  objects or parts fetched from elsewhere when opened (a reader's address
  would go with the fetch), and within a bound on what it inflates to. Plain
  text is accepted as UTF-8 without control characters, stored as UTF-8.

Everything here is pure: bytes in, a ``CleanFile`` out or ``UploadRejected``
raised with a message for the resident. Storage is done elsewhere.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from lxml import etree
from markupsafe import Markup, escape
from PIL import Image, ImageOps

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_NAME_CHARS = 120
JPEG_QUALITY = 88
WEBP_QUALITY = 88

# Object streams (and a DOCX's parts) are decompressed to look inside; this
# bounds the work a small, highly compressed file can cause.
MAX_INFLATED_PDF_BYTES = 8 * MAX_FILE_BYTES
MAX_DOCX_PARTS = 1000
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"

_T = TypeVar("_T")

# --- messages for residents -------------------------------------------------

_NOT_ACCEPTED = _l(
    "“%(name)s” is not a photo (JPEG, PNG, WebP), a PDF or Word (DOCX) "
    "document, or plain text. Please choose a different file."
)
_TOO_LARGE = _l(
    "“%(name)s” is larger than %(limit)d MB. Please reduce the photo size "
    "(for example, send it at a lower resolution) and try again."
)
_TOO_MANY_PIXELS = _l(
    "“%(name)s” has too many pixels for us to process. Please reduce the "
    "photo size (for example, send it at a lower resolution) and try again."
)
_DAMAGED = _l(
    "“%(name)s” could not be read: the file may be damaged or incomplete. "
    "Please save or take it again, or choose a different file."
)
_PDF_ACTIVE_CONTENT = _l(
    "“%(name)s” contains scripts, attached files or other active content, "
    "which we cannot accept for safety reasons. Please save it again as a "
    "plain PDF (for example with “Print” and “Save as PDF”) or send photos "
    "of the pages instead."
)
_PDF_NOT_CHECKABLE = _l(
    "“%(name)s” is too complex for our safety check. Please save it again as "
    "a plain PDF (for example with “Print” and “Save as PDF”) or send photos "
    "of the pages instead."
)
_DOCX_ACTIVE_CONTENT = _l(
    "“%(name)s” contains macros, embedded objects or parts fetched from the "
    "internet, which we cannot accept for safety reasons. Please save it again "
    "as a plain document (DOCX without macros) or as a PDF."
)
_UNNAMED = _l("unnamed file")


class UploadRejected(ValueError):
    """Raised with a message for the resident that says what to do (translatable lazy string)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class ResidentMessage(LazyString):
    """A lazy, translated message filled in with parameters when it is shown.

    flask_babel's ``LazyString.__html__`` returns the text unescaped, so Jinja
    would treat the whole message, including the resident-chosen file name, as
    safe HTML. This subclass escapes it instead.
    """

    def __html__(self) -> Markup:
        return escape(str(self))


def _fill_in(template: LazyString, params: dict) -> str:
    return str(template) % params


def _message(template: LazyString, name: str, **params) -> ResidentMessage:
    """Translate ``template`` and insert the parameters only when it is displayed.

    ``LazyString % params`` would translate immediately (it returns a plain
    str), fixing the language at raise time; this keeps it lazy and also works
    outside an app context, where flask_babel returns the English text.
    """
    return ResidentMessage(_fill_in, template, {"name": name or _UNNAMED, **params})


def _reject(template: LazyString, name: str, **params) -> UploadRejected:
    return UploadRejected(_message(template, name, **params))


# --- result --------------------------------------------------------------------


@dataclass(frozen=True)
class CleanFile:
    data: bytes  # the bytes to store
    mime: str  # "image/jpeg", "image/png", "image/webp", "application/pdf", DOCX, "text/plain"
    extension: str  # ".jpg", ".png", ".webp", ".pdf", ".docx", ".txt"
    original_name: str  # client's file name made safe for display; never a path


@dataclass(frozen=True)
class _ImageKind:
    pillow_format: str
    mime: str
    extension: str
    kept_modes: tuple[str, ...]  # pixel modes re-saved as they are
    keeps_alpha: bool
    save_options: tuple[tuple[str, object], ...]


_JPEG = _ImageKind("JPEG", "image/jpeg", ".jpg", ("L", "RGB"), False, (("quality", JPEG_QUALITY),))
_PNG = _ImageKind(
    "PNG", "image/png", ".png", ("1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"), True, ()
)
_WEBP = _ImageKind("WEBP", "image/webp", ".webp", ("RGB", "RGBA"), True, (("quality", WEBP_QUALITY),))


# --- entry point ----------------------------------------------------------------


def clean_upload(data: bytes, filename: str) -> CleanFile:
    """Return the file to store, or raise UploadRejected saying what to do."""
    name = display_name(filename)
    _refuse_too_large(data, name)
    if _looks_like_pdf(data):
        return _clean_pdf(data, name)
    if data.startswith(b"PK\x03\x04"):
        return _clean_docx(data, name)
    kind = _sniff_image_kind(data)
    if kind is not None:
        return _clean_image(data, kind, name)
    text = _plain_text(data)
    if text is None:
        raise _reject(_NOT_ACCEPTED, name)
    return CleanFile(data=text.encode(), mime=TEXT, extension=".txt", original_name=name)


def display_name(filename: str | None) -> str:
    """The client's file name reduced to something safe to show; never a path."""
    spaced = " ".join((filename or "").split())  # tabs, newlines, runs of spaces
    visible = "".join(ch for ch in spaced if not unicodedata.category(ch).startswith("C"))
    basename = visible.replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", basename).strip()
    if not name.strip("."):
        return ""
    return _shorten(name, MAX_NAME_CHARS)


def _shorten(name: str, limit: int) -> str:
    """Cut a long name to ``limit`` characters, keeping a short extension visible."""
    if len(name) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    if dot and stem and len(extension) <= 10:
        return stem[: limit - len(extension) - 1] + dot + extension
    return name[:limit]


def _refuse_too_large(data: bytes, name: str) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise _reject(_TOO_LARGE, name, limit=MAX_FILE_BYTES // (1024 * 1024))


# --- images -----------------------------------------------------------------------


def _sniff_image_kind(data: bytes) -> _ImageKind | None:
    """Which accepted image format the leading bytes announce, if any."""
    if data.startswith(b"\xff\xd8\xff"):
        return _JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _WEBP
    return None


def _clean_image(data: bytes, kind: _ImageKind, name: str) -> CleanFile:
    image = _decode_image(data, kind, name)
    _apply_orientation(image)
    pixels = _saveable(image, kind)
    _strip_metadata(pixels)
    encoded = _guarded(lambda: _encode(pixels, kind), name)
    return CleanFile(data=encoded, mime=kind.mime, extension=kind.extension, original_name=name)


def _decode_image(data: bytes, kind: _ImageKind, name: str) -> Image.Image:
    """Open with Pillow (only as the sniffed format) and decode every pixel."""
    image = _guarded(lambda: Image.open(io.BytesIO(data), formats=[kind.pillow_format]), name)
    if _has_too_many_pixels(image):
        raise _reject(_TOO_MANY_PIXELS, name)
    _guarded(image.load, name)
    return image


def _guarded(step: Callable[[], _T], name: str) -> _T:
    """Run one Pillow step on untrusted bytes; any failure means we cannot use the file."""
    try:
        return step()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _reject(_TOO_MANY_PIXELS, name) from exc
    except Exception as exc:  # Pillow raises many kinds of errors on malformed input
        raise _reject(_DAMAGED, name) from exc


def _has_too_many_pixels(image: Image.Image) -> bool:
    """Pillow only warns between MAX_IMAGE_PIXELS and twice that; we refuse."""
    limit = Image.MAX_IMAGE_PIXELS
    return limit is not None and image.width * image.height > limit


def _apply_orientation(image: Image.Image) -> None:
    """Turn the pixels upright, since the EXIF orientation tag is about to be dropped."""
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except Exception:  # unreadable EXIF: keep the pixels as they were stored
        pass


def _saveable(image: Image.Image, kind: _ImageKind) -> Image.Image:
    """Convert to a pixel mode the format can store, keeping transparency where it can."""
    if image.mode in kind.kept_modes and "transparency" not in image.info:
        return image
    has_alpha = "A" in image.mode or "transparency" in image.info
    return image.convert("RGBA" if kind.keeps_alpha and has_alpha else "RGB")


def _strip_metadata(image: Image.Image) -> None:
    """Forget EXIF, XMP, ICC, comments and text chunks; Pillow re-saves some of them from ``info``."""
    image.info = {}


def _encode(image: Image.Image, kind: _ImageKind) -> bytes:
    out = io.BytesIO()
    image.save(out, format=kind.pillow_format, **dict(kind.save_options))
    return out.getvalue()


# --- PDF --------------------------------------------------------------------------

_FORBIDDEN_PDF_NAMES = frozenset({b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles"})
_PDF_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


class _PdfNotCheckable(Exception):
    """An object stream inflates to more than we are willing to inspect."""


def _looks_like_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-")


def _clean_pdf(data: bytes, name: str) -> CleanFile:
    if b"%%EOF" not in data[-1024:]:
        raise _reject(_DAMAGED, name)
    try:
        names = _pdf_names(data)
    except _PdfNotCheckable as exc:
        raise _reject(_PDF_NOT_CHECKABLE, name) from exc
    if names & _FORBIDDEN_PDF_NAMES:
        raise _reject(_PDF_ACTIVE_CONTENT, name)
    return CleanFile(data=bytes(data), mime="application/pdf", extension=".pdf", original_name=name)


def _pdf_names(data: bytes) -> set[bytes]:
    """Name objects outside stream data, plus those inside object streams.

    Stream data (images, fonts, page contents) is skipped: in binary data a
    byte sequence like ``/JS`` occurs by chance. Object streams are inflated
    because modern PDFs keep their dictionaries, actions included, in them.
    """
    names: set[bytes] = set()
    budget = MAX_INFLATED_PDF_BYTES
    for text, stream in _pdf_sections(data):
        text_names = _names_in(text)
        names |= text_names
        if b"ObjStm" in text_names:
            content = _inflate(stream, budget)
            budget -= len(content)
            names |= _names_in(content)
    return names


def _pdf_sections(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """Split a PDF into (text before a stream, the stream's data) pairs."""
    position = 0
    while (keyword := _next_stream_keyword(data, position)) != -1:
        start = keyword + len(b"stream")
        end = data.find(b"endstream", start)
        end = len(data) if end == -1 else end
        yield data[position:keyword], data[start:end]
        position = end + len(b"endstream")
    yield data[position:], b""


def _next_stream_keyword(data: bytes, position: int) -> int:
    while (found := data.find(b"stream", position)) != -1:
        if _is_stream_keyword(data, found):
            return found
        position = found + len(b"stream")
    return -1


def _is_stream_keyword(data: bytes, found: int) -> bool:
    """``stream`` after a dictionary and before an end of line, not ``endstream`` or part of a word."""
    before = data[found - 1 : found]
    after = data[found + len(b"stream") : found + len(b"stream") + 1]
    return before in (b">", b" ", b"\t", b"\r", b"\n", b"\x0c") and after in (b"\r", b"\n")


def _inflate(stream: bytes, limit: int) -> bytes:
    """Flate-decode an object stream; one that is not Flate-encoded is returned as it is.

    Raises _PdfNotCheckable when the content exceeds ``limit`` bytes.
    """
    inflater = zlib.decompressobj()
    try:
        content = inflater.decompress(stream.lstrip(b"\r\n"), max(limit, 1))
    except zlib.error:
        return stream
    if inflater.unconsumed_tail:
        raise _PdfNotCheckable
    return content


def _names_in(text: bytes) -> set[bytes]:
    """PDF name objects in ``text``, with ``#xx`` escapes decoded (``/J#53`` is ``/JS``)."""
    return {
        _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), raw) if b"#" in raw else raw
        for raw in _PDF_NAME.findall(text)
    }


# --- DOCX and plain text ------------------------------------------------------------

_DOCX_FORBIDDEN = re.compile(r"vbaProject|activeX|/embeddings/|\.bin$", re.IGNORECASE)
_EXTERNAL_TARGET = re.compile(rb'<Relationship\b[^>]*TargetMode="External"[^>]*>')
_HYPERLINK = b"/relationships/hyperlink\""


def _clean_docx(data: bytes, name: str) -> CleanFile:
    """A Word document without macros, embedded objects or parts fetched when it is opened; else refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            names = {part.filename for part in parts}
            if not {"[Content_Types].xml", "word/document.xml"} <= names:
                raise _reject(_NOT_ACCEPTED, name)
            if len(parts) > MAX_DOCX_PARTS or sum(part.file_size for part in parts) > MAX_INFLATED_PDF_BYTES:
                raise _reject(_PDF_NOT_CHECKABLE, name)
            if any(_DOCX_FORBIDDEN.search(part) for part in names) or \
                    b"macroEnabled" in archive.read("[Content_Types].xml"):
                raise _reject(_DOCX_ACTIVE_CONTENT, name)
            for part in names:
                if part.endswith(".rels") and any(_HYPERLINK not in link
                                                  for link in _EXTERNAL_TARGET.findall(archive.read(part))):
                    raise _reject(_DOCX_ACTIVE_CONTENT, name)
            etree.fromstring(archive.read("word/document.xml"), _SAFE_XML)
    except zipfile.BadZipFile as exc:
        raise _reject(_NOT_ACCEPTED, name) from exc
    except (etree.XMLSyntaxError, KeyError, OSError) as exc:
        raise _reject(_DAMAGED, name) from exc
    return CleanFile(data=bytes(data), mime=DOCX, extension=".docx", original_name=name)


_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


_MARKUP = re.compile(r"<\s*[A-Za-z!?/]")


def _plain_text(data: bytes) -> str | None:
    """The text of a UTF-8 file with nothing but printable characters, tabs and line breaks, and no markup (a web
    page or an SVG named .txt or .jpg is no letter); else None."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if not text.strip() or _MARKUP.search(text) or any(
            unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f" for ch in text):
        return None
    return text.replace("\r\n", "\n")
