"""Finding what identifies a denouncer in a text, to remove it before the agency sees the text.

One detection (`identity_spans`) serves both the machine redaction that pre-fills intake's form and the check
that refuses a redacted text still naming the denouncer, so what the form removes and what the server refuses
cannot drift apart.

Residents write their own name in any casing, with or without diacritics (phones often send decomposed text),
and their phone number in any spacing, with a +84 or 0 prefix: matching runs on the text folded as
portal.domain.text folds it, one folded piece per original character so a match maps back to the original."""
import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from flask_babel import lazy_gettext as _l

from portal.domain.text import HONORIFICS, fold

MARKER = "[đã che]"

# What each kind of identifying item is called in the refusal, in the order they are reported.
ITEMS = {
    "name": _l("the denouncer's name"),
    "phone": _l("the denouncer's phone number"),
    "email": _l("an email address"),
    "address": _l("the denouncer's address"),
    "id_number": _l("an identity card number (CCCD or CMND)"),
    "tax_code": _l("a tax code"),
    "dossier": _l("the code of the denouncer's own dossier"),
}

_GAP = r"[\W_]+"  # between the words of a name or an address: spaces, commas, dashes...
_DIGIT_GAP = r"[\s.\-()]*"  # inside a phone number: 0912 345 678, 0912.345.678, (+84) 912-345-678
_EMAIL = r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
# ID numbers are not among the filer's known fields, so any that looks like one is removed: a 12-digit CCCD
# (also in groups of three or four), a 9-digit CMND written without separators (9 digits with dots are money).
_ID_NUMBER = (r"(?<![\w.,])(?:\d{12}|\d{3}(?: \d{3}){3}|\d{4}(?: \d{4}){2}|\d{9})(?!\w|[.,]\d)"
              r"(?!\s*(?:d|dong|vnd|trieu|ty)\b)")  # an amount of money is not an ID
_TAX_CODE = r"(?:\bmst|\bma so thue)\W{0,4}(\d{10}(?:\W?\d{3})?)(?!\d)"
_HOUSE_WORDS = {"so", "nha", "can", "ho", "phong"}


@dataclass(frozen=True)
class Span:
    kind: str  # a key of ITEMS
    start: int
    end: int


def identity_spans(text, filer, official="", dossier=""):
    """The places in `text` (NFC) that identify the filer, without overlaps, in the order they occur. `dossier`
    is the code of the filer's own dossier (mã hồ sơ): it leads to the filer's name in the agency's records.

    `official` is the name of the official the case is about: the denouncer "Nguyễn Văn An" must not make
    "Trần Văn An", the accused, disappear from the text (or be refused) because both end in "Văn An"."""
    text = _nfc(text)
    folded, origin = _fold_mapped(text)
    found = []
    patterns = [("official", _words(_person(official)))] + _patterns(filer)
    patterns += [("dossier", _words(dossier))] if dossier and dossier.strip() else []
    for kind, pattern in patterns:
        for match in re.finditer(pattern, folded):
            start, end = match.span(match.lastindex or 0)
            if end > start:
                found.append(Span(kind, origin[start], origin[end - 1] + 1))
    return [span for span in _without_overlaps(found) if span.kind != "official"]


def redact(text, filer, official="", dossier=""):
    """`text` with everything that identifies the filer replaced by a neutral marker."""
    text = _nfc(text)
    return _replaced(text, identity_spans(text, filer, official, dossier))


def _replaced(text, spans):
    """`text` with each of `spans` (in order, without overlaps) replaced by the marker."""
    for span in reversed(spans):
        text = text[:span.start] + MARKER + text[span.end:]
    return text


def redact_person(text, name):
    """`text` without the person `name`, nor the endings of the name `redact` removes of a filer's: the
    official a published complaint is about is left out of the public page."""
    text = _nfc(text)
    folded, origin = _fold_mapped(text)
    spans = [Span("name", origin[match.start()], origin[match.end() - 1] + 1)
             for part in _names(_person(name)) for match in re.finditer(_words(part), folded)]
    return _replaced(text, _without_overlaps(spans))


def identity_left(text, filer, official="", dossier=""):
    """The names (as in ITEMS) of the kinds of identifying items still in `text`, in ITEMS order."""
    kinds = {span.kind for span in identity_spans(text or "", filer, official, dossier)}
    return [label for kind, label in ITEMS.items() if kind in kinds]


def _nfc(text):
    return unicodedata.normalize("NFC", text or "")


def _fold_mapped(text):
    """(folded text, index in `text` of each folded character): `fold` one character at a time, so that a
    match in the folded text maps back to the characters it came from."""
    pieces, origin = [], []
    for index, char in enumerate(text):
        piece = " " if char.isspace() else fold(char)
        pieces.append(piece)
        origin.extend([index] * len(piece))
    return "".join(pieces), origin


def _patterns(filer):
    """(kind, regex on folded text) for the filer's known details, then the generic identifiers."""
    patterns = []
    if filer is not None:
        patterns += [("name", _words(name)) for name in _names(filer.full_name)]
        patterns += [("phone", _phone(filer.phone))] if _digits(filer.phone) else []
        patterns += [("email", re.escape(fold(filer.email)))] if filer.email else []
        patterns += [("address", _words(part)) for part in _address_parts(filer.address)]
        patterns += [("tax_code", _digit_run(filer.tax_code))] if len(_digits(filer.tax_code)) >= 10 else []
        patterns += [("name", _words(filer.organisation))] if filer.organisation else []
    return patterns + [("email", _EMAIL), ("tax_code", _TAX_CODE), ("id_number", _ID_NUMBER)]


def _words(text):
    """A regex for these words in this order, whatever spaces or punctuation separate them."""
    words = re.findall(r"\w+", fold(text))
    return r"(?<!\w)" + _GAP.join(re.escape(word) for word in words) + r"(?!\w)" if words else r"(?!)"


def _person(name):
    """A person's name without the position after it or the honorific before it ("Ông Trần Văn An, cán bộ
    địa chính" → "Trần Văn An")."""
    words = re.findall(r"\w+", re.split(r"[,;(–—-]", name or "", maxsplit=1)[0])
    while len(words) > 2 and fold(words[0]) in HONORIFICS:
        words = words[1:]
    return " ".join(words)


def _names(full_name):
    """The full name, and its endings of two words or more ("Trịnh Thị Quỳnh Dao" is also "Thị Quỳnh Dao" and
    "Quỳnh Dao"); a single given name alone is too common to remove."""
    words = re.findall(r"\w+", full_name or "")
    return [" ".join(words[start:]) for start in range(max(len(words) - 1, 1))]


def _address_parts(address):
    """The whole address, and its first part when that is a house and street ("12 Phố Huế" of "12 Phố Huế, Hà
    Nội"); the ward or city alone would remove every mention of the place."""
    parts = [part.strip() for part in re.split(r"[,;]", address or "") if part.strip()]
    if not parts:
        return []
    first = re.findall(r"\w+", fold(parts[0]))
    is_street = any(w.isdigit() for w in first) and len([w for w in first if not w.isdigit()
                                                         and w not in _HOUSE_WORDS]) >= 1
    return [address] + ([parts[0]] if len(parts) > 1 and is_street and len(first) >= 3 else [])


def _digits(text):
    return re.sub(r"\D", "", text or "")


def _phone(number):
    """The filer's number however it is typed: with +84, 84, 0084 or 0 in front, any spacing or punctuation."""
    try:
        national = str(phonenumbers.parse(number, "VN").national_number)
    except phonenumbers.NumberParseException:
        national = _digits(number).lstrip("0")
    prefix = r"(?:\(?\+?\s*(?:00)?84\)?|\(?0\)?)?"
    return r"(?<!\d)" + prefix + _DIGIT_GAP + _DIGIT_GAP.join(national) + r"(?!\d)"


def _digit_run(number):
    return r"(?<!\d)" + _DIGIT_GAP.join(_digits(number)) + r"(?!\d)"


def _without_overlaps(spans):
    """Keep the first of overlapping spans in the order the patterns were tried (the filer's own details
    first), then sort by position."""
    kept = []
    for span in spans:
        if all(span.end <= other.start or span.start >= other.end for other in kept):
            kept.append(span)
    return sorted(kept, key=lambda span: span.start)


# What identifies somebody whoever wrote it, for texts anybody may read (the published answers): the filer's own
# details are not the only ones a resident types ("my wife's number is ..."), nor written only one way.
_SEPARATOR = r"[\s.\-/,_()]*"
_ANYONE = re.compile("|".join((
    r"(?<!\d)\d{3}[\s.\-]?\d{3}[\s.\-]?\d{3}[\s.\-]?\d{3}(?!\d)",  # a 12-digit CCCD in groups
    # A Vietnamese phone however written: 0912/345/678, (024) 3825 1234, +84 912 345 678 (not 05/12/2026 10:30).
    rf"(?<!\d)(?:0\d\d(?:{_SEPARATOR}\d){{7,8}}|(?:\+{_SEPARATOR})?84(?:{_SEPARATOR}\d){{9,10}})(?!\d)",
    r"\b(?:HN|VV|TT)[\W_]*\d{4}[\W_]*[0-9A-Z]{5,6}\b",  # any case's tracking code or staff reference
    r"\b(?:nhà|ngõ|ngách|hẻm|kiệt|căn hộ)\s+\d+[\w/\-]*",  # a house number...
    r"\b\d+[A-Za-z]?(?:/\d+)*(?=\s+(?:phố|đường|ngõ|ngách)\b)",  # ...before its street
)), re.IGNORECASE)


def redact_anyone(text):
    """`text` without phone numbers, ID numbers, case codes and house numbers, whoever they belong to (digits in
    any width: full-width digits are read as digits)."""
    return _ANYONE.sub(MARKER, unicodedata.normalize("NFKC", text or ""))
