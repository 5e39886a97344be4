"""Tests for portal.complaints.uploads: type by content, metadata stripped, PDFs screened."""

import io
import struct
import zlib

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import NullTranslations, Translations
from flask import Flask, has_request_context
from flask_babel import Babel, Domain
from markupsafe import escape
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from portal.complaints.uploads import (
    MAX_FILE_BYTES,
    CleanFile,
    UploadRejected,
    clean_upload,
    display_name,
)

GPS_IFD = 0x8825
ORIENTATION = 0x0112
HANOI_GPS = {1: "N", 2: (21.0, 1.0, 42.0), 3: "E", 4: (105.0, 51.0, 17.0)}

NOT_A_DOCUMENT = b"\x00\x01hello"  # neither a photo, a document nor text (text holds no control bytes)


# --- helpers ------------------------------------------------------------------


def image_bytes(fmt, size=(20, 10), mode="RGB", color="red", image=None, **save_options):
    image = image or Image.new(mode, size, color)
    out = io.BytesIO()
    image.save(out, format=fmt, **save_options)
    return out.getvalue()


def reopen(clean: CleanFile) -> Image.Image:
    image = Image.open(io.BytesIO(clean.data))
    image.load()
    return image


def gps_exif(orientation=None) -> Image.Exif:
    exif = Image.Exif()
    exif[GPS_IFD] = HANOI_GPS
    if orientation:
        exif[ORIENTATION] = orientation
    return exif


def pdf_bytes(*bodies: bytes) -> bytes:
    """A well-formed PDF with the given objects (numbered from 1) and a correct xref."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)


def stream_object(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (dictionary, len(data), data)


PAGE_CONTENT = b"BT /F1 24 Tf 72 720 Td (Khieu nai) Tj ET"


def minimal_pdf(*extra_objects: bytes, catalog_extra: bytes = b"") -> bytes:
    return pdf_bytes(
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        stream_object(b"", PAGE_CONTENT),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *extra_objects,
    )


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge size (a decompression bomb, minus the bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def rejection(data: bytes, filename: str = "file") -> str:
    with pytest.raises(UploadRejected) as caught:
        clean_upload(data, filename)
    return str(caught.value.message)


# --- type by content --------------------------------------------------------------


def test_html_named_photo_jpg_is_refused():
    html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"

    message = rejection(html, "photo.jpg")

    assert "photo.jpg" in message
    for accepted in ("JPEG", "PNG", "WebP", "PDF"):
        assert accepted in message


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64,  # Windows executable
        b"\x7fELF\x02\x01\x01" + b"\x00" * 64,  # Linux executable
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>',
        b"PK\x03\x04" + b"\x00" * 64,  # zip
    ],
    ids=["exe", "elf", "svg", "zip"],
)
def test_other_file_types_are_refused(data):
    assert "is not a photo" in rejection(data, "photo.jpg")


def test_gif_is_refused_although_pillow_can_read_it():
    gif = image_bytes("GIF", mode="P", color=1)

    assert "is not a photo" in rejection(gif, "photo.gif")


def test_empty_file_is_refused():
    assert "is not a photo" in rejection(b"", "photo.jpg")


def test_type_comes_from_content_not_from_name():
    clean = clean_upload(image_bytes("PNG"), "scan.pdf")

    assert (clean.mime, clean.extension) == ("image/png", ".png")
    assert reopen(clean).format == "PNG"


@pytest.mark.parametrize(
    ("fmt", "mime", "extension"),
    [("JPEG", "image/jpeg", ".jpg"), ("PNG", "image/png", ".png"), ("WEBP", "image/webp", ".webp")],
)
def test_accepted_images_are_reencoded_and_reopen(fmt, mime, extension):
    clean = clean_upload(image_bytes(fmt, size=(64, 48)), "anh.bin")

    assert (clean.mime, clean.extension) == (mime, extension)
    reopened = reopen(clean)
    assert reopened.format == fmt
    assert reopened.size == (64, 48)


def test_webp_is_accepted():
    webp = image_bytes("WEBP", size=(30, 30), color="blue", exif=gps_exif())

    clean = clean_upload(webp, "hem.webp")

    assert clean.mime == "image/webp"
    reopened = reopen(clean)
    assert reopened.format == "WEBP"
    assert "exif" not in reopened.info


def test_truncated_jpeg_is_refused():
    jpeg = image_bytes("JPEG", size=(200, 200), image=Image.effect_noise((200, 200), 64))

    message = rejection(jpeg[: len(jpeg) // 2], "photo.jpg")

    assert "damaged or incomplete" in message


def test_image_with_too_many_pixels_is_refused_without_decoding():
    with pytest.warns(Image.DecompressionBombWarning):  # Pillow only warns at this size
        message = rejection(png_header_claiming(10_000, 10_000), "bomb.png")

    assert "too many pixels" in message


def test_decompression_bomb_error_from_pillow_is_refused():
    assert Image.MAX_IMAGE_PIXELS * 2 < 30_000 * 30_000  # Pillow itself raises here

    assert "too many pixels" in rejection(png_header_claiming(30_000, 30_000), "bomb.png")


# --- size ---------------------------------------------------------------------------


def test_file_over_the_limit_is_refused_with_the_limit_in_mb():
    message = rejection(b"\xff\xd8\xff" + bytes(MAX_FILE_BYTES - 2), "big.jpg")

    assert "10 MB" in message
    assert "reduce the photo size" in message


def test_file_at_the_limit_is_checked_for_type_not_size():
    message = rejection(bytes(MAX_FILE_BYTES), "notes.txt")

    assert "is not a photo" in message


# --- metadata -----------------------------------------------------------------------


def test_jpeg_loses_gps_and_all_exif():
    jpeg = image_bytes("JPEG", exif=gps_exif())
    assert Image.open(io.BytesIO(jpeg)).getexif().get_ifd(GPS_IFD) == HANOI_GPS

    clean = clean_upload(jpeg, "hem-42.jpg")

    reopened = reopen(clean)
    assert reopened.getexif().get_ifd(GPS_IFD) == {}
    assert len(reopened.getexif()) == 0
    assert "exif" not in reopened.info
    assert b"Exif" not in clean.data


def test_jpeg_loses_xmp_comment_and_icc_profile():
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    jpeg = image_bytes(
        "JPEG", comment=b"Nha so 12 ngo 34", xmp=b"<x:xmpmeta>GPS 21.0285</x:xmpmeta>", icc_profile=icc
    )
    assert {"comment", "xmp", "icc_profile"} <= Image.open(io.BytesIO(jpeg)).info.keys()

    clean = clean_upload(jpeg, "photo.jpg")

    assert not {"comment", "xmp", "icc_profile"} & reopen(clean).info.keys()
    assert b"Nha so" not in clean.data
    assert b"xmpmeta" not in clean.data


def test_exif_orientation_is_applied_before_stripping():
    image = Image.new("RGB", (20, 10), "blue")
    image.paste("red", (0, 0, 10, 10))  # left half red
    jpeg = image_bytes("JPEG", image=image, exif=gps_exif(orientation=6))
    assert Image.open(io.BytesIO(jpeg)).getexif()[ORIENTATION] == 6

    reopened = reopen(clean_upload(jpeg, "photo.jpg"))

    assert reopened.size == (10, 20)
    red, _, blue = reopened.getpixel((5, 3))  # orientation 6: the left half is on top
    assert red > 200 and blue < 60


def test_png_text_chunk_is_removed():
    text = PngInfo()
    text.add_text("Author", "Nguyen Van A, ngo 5 Hang Bac")
    png = image_bytes("PNG", pnginfo=text)
    assert Image.open(io.BytesIO(png)).info["Author"].startswith("Nguyen")

    clean = clean_upload(png, "screenshot.png")

    assert "Author" not in reopen(clean).info
    assert b"tEXt" not in clean.data
    assert b"Nguyen" not in clean.data


def test_png_keeps_transparency():
    png = image_bytes("PNG", mode="RGBA", color=(255, 0, 0, 0))

    reopened = reopen(clean_upload(png, "logo.png"))

    assert reopened.mode == "RGBA"
    assert reopened.getpixel((0, 0))[3] == 0


def test_palette_png_keeps_transparency():
    image = Image.new("P", (8, 8), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    png = image_bytes("PNG", image=image, transparency=1)

    reopened = reopen(clean_upload(png, "sticker.png"))

    assert reopened.convert("RGBA").getpixel((0, 0))[3] == 0


def test_cmyk_jpeg_is_saved_as_rgb():
    jpeg = image_bytes("JPEG", mode="CMYK", color=(0, 255, 255, 0))

    reopened = reopen(clean_upload(jpeg, "print.jpg"))

    assert reopened.mode == "RGB"


# --- PDF ------------------------------------------------------------------------------


def test_minimal_pdf_is_accepted_as_received():
    pdf = minimal_pdf()

    clean = clean_upload(pdf, "don-khieu-nai.pdf")

    assert clean == CleanFile(data=pdf, mime="application/pdf", extension=".pdf", original_name="don-khieu-nai.pdf")


def test_pdf_with_javascript_is_refused():
    pdf = minimal_pdf(b"<< /S /JavaScript /JS (app.alert(1)) >>", catalog_extra=b"/OpenAction 6 0 R")

    message = rejection(pdf, "don.pdf")

    assert "scripts" in message


@pytest.mark.parametrize(
    "action",
    [
        b"<< /S /Launch /F (cmd.exe) >>",
        b"<< /Type /EmbeddedFile /Length 0 >>",
        b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>",  # hex-escaped names
    ],
    ids=["launch", "embedded-file", "escaped-javascript"],
)
def test_pdf_with_active_content_is_refused(action):
    assert "scripts" in rejection(minimal_pdf(action), "don.pdf")


def test_pdf_with_javascript_inside_compressed_object_stream_is_refused():
    objects = b"6 0 " + b"<< /S /JavaScript /JS (app.alert(1)) >>"
    object_stream = stream_object(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", zlib.compress(objects))

    assert "scripts" in rejection(minimal_pdf(object_stream), "don.pdf")


def test_pdf_whose_binary_stream_happens_to_contain_js_bytes_is_accepted():
    image_data = b"\x00\x17/JS \x99/JavaScript\x00/Launch)" * 10
    image = stream_object(b"/Type /XObject /Subtype /Image /Width 4 /Height 4", image_data)

    assert clean_upload(minimal_pdf(image), "scan.pdf").mime == "application/pdf"


def test_pdf_without_end_marker_is_refused():
    pdf = minimal_pdf()

    assert "damaged or incomplete" in rejection(pdf[: len(pdf) - 30], "don.pdf")


# --- names and messages ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\Lan\\Pictures\\ảnh.jpg", "ảnh.jpg"),
        ("ha\x00ng\x1b[31m.jpg", "hang[31m.jpg"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),  # right-to-left override removed
        ("a\u0300nh  ngõ\t5.jpg ", "ành ngõ 5.jpg"),
        ("..", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_display_name_is_safe(filename, expected):
    assert display_name(filename) == expected


def test_long_name_is_cut_to_120_characters_keeping_the_extension():
    name = display_name("x" * 300 + ".jpeg")

    assert len(name) == 120
    assert name.endswith("x.jpeg")


def test_original_name_in_result_is_sanitised():
    clean = clean_upload(image_bytes("PNG"), "../../etc/passwd")

    assert clean.original_name == "passwd"


def test_message_outside_app_context_is_english_text():
    with pytest.raises(UploadRejected) as caught:
        clean_upload(NOT_A_DOCUMENT, "notes.txt")

    assert str(caught.value) == str(caught.value.message)
    assert str(caught.value.message).startswith("“notes.txt” is not a photo")


def test_message_is_translated_lazily_when_shown(monkeypatch):
    catalog = Catalog(locale="vi")
    catalog.add(
        "“%(name)s” is not a photo (JPEG, PNG, WebP), a PDF or Word (DOCX) document, or plain text. Please choose a "
        "different file.",
        "“%(name)s” không phải là ảnh (JPEG, PNG, WebP), tài liệu PDF hoặc Word (DOCX), hay văn bản thuần. Vui lòng "
        "chọn tệp khác.",
    )
    mo = io.BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    vietnamese = Translations(mo)
    # Like flask_babel: no translations outside a request, the resident's language inside one.
    monkeypatch.setattr(
        Domain, "get_translations", lambda self: vietnamese if has_request_context() else NullTranslations()
    )
    with pytest.raises(UploadRejected) as caught:  # raised outside any app context
        clean_upload(NOT_A_DOCUMENT, "notes.txt")
    assert str(caught.value.message).startswith("“notes.txt” is not a photo")
    app = Flask(__name__)
    Babel(app, locale_selector=lambda: "vi")

    with app.test_request_context():
        shown = str(caught.value.message)

    assert shown.startswith("“notes.txt” không phải là ảnh")


def test_file_name_in_message_is_escaped_in_html():
    with pytest.raises(UploadRejected) as caught:
        clean_upload(NOT_A_DOCUMENT, "<img src=x onerror=alert(1)>.jpg")

    html = str(escape(caught.value.message))

    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;.jpg" in html
