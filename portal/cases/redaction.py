"""Finding personal data in a text, to remove it before others read the text; the one detection behind the
machine's suggestions and the server's refusals, so that what a form removes and what the server refuses cannot
drift apart.

Three readers, three scopes:
- the agency handling a tố cáo (AGENCY), in the texts intake passes on: what identifies the denouncer (their
  name, phone, email, address, tax code, organisation, the code of their own dossier) and any identity or account
  number; the official denounced keeps their name, even one the denouncer shares in part ("Nguyễn Văn An" must
  not hide "Trần Văn An");
- the same agency, in a file it would receive (SHARED_FILE): anything that identifies anybody, but the official;
- the public (PUBLIC): anything that identifies anybody, whoever it belongs to and however it is written (names,
  phones, emails, addresses, plates, identity and account numbers, dossier and case codes, the official's name).

Residents write their own name in any casing, with or without diacritics (phones often send decomposed text),
and their phone number in any spacing, with a +84 or 0 prefix; others' data they spell in words, with "a còng"
for @ or in full-width characters: portal/cases/detection.py reads all of it."""
import re
from dataclasses import dataclass, field

import phonenumbers
from flask_babel import lazy_gettext as _l

from portal.cases import detection
from portal.cases.detection import Prepared, Span
from portal.domain.text import HONORIFICS, fold

MARKER = "[đã che]"

# What each kind of item is called in a refusal, per scope, in the order they are reported.
AGENCY_ITEMS = {
    "name": _l("the denouncer's name"),
    "phone": _l("the denouncer's phone number"),
    "email": _l("an email address"),
    "address": _l("the denouncer's address"),
    "id_number": _l("an identity card number (CCCD or CMND)"),
    "tax_code": _l("a tax code"),
    "dossier": _l("the code of the denouncer's own dossier"),
}
PUBLIC_ITEMS = {
    "name": _l("a person's name"),
    "official": _l("the name of the official concerned"),
    "phone": _l("a phone number"),
    "email": _l("an email address"),
    "address": _l("a home address"),
    "plate": _l("a licence plate"),
    "id_number": _l("an identity, passport, insurance, tax or bank account number"),
    "tax_code": _l("an identity, passport, insurance, tax or bank account number"),
    "dossier": _l("a dossier or case code"),
}


@dataclass(frozen=True)
class Scope:
    everybody: bool  # anybody's data in every form, or only the denouncer's and the numbers that name a person
    official: bool  # whether the official concerned's name is personal data here
    items: dict  # what each kind is called in a refusal, in the order they are reported


AGENCY = Scope(everybody=False, official=False, items=AGENCY_ITEMS)
SHARED_FILE = Scope(everybody=True, official=False, items=PUBLIC_ITEMS)
PUBLIC = Scope(everybody=True, official=True, items=PUBLIC_ITEMS)

# (finder, whether it reads anybody's data): whoever's they are, an agency has no use for an email or a number
# that names a person either. In this order: where two overlap, the first found keeps it (a dossier code is no
# phone number).
_FINDERS = ((detection.codes, True), (detection.emails, False), (detection.phones, True), (detection.plates, True),
            (detection.id_numbers, False), (detection.addresses, True), (detection.names, True))


@dataclass(frozen=True)
class Known:
    """What is known of the people a text is about: the filer (or None), the official concerned, the filer's own
    dossier code, and the case's own codes."""
    filer: object = None
    official: str = ""
    dossier: str = ""
    codes: tuple = field(default=())


def personal_spans(text, known, scope=AGENCY):
    """The places in `text` (NFC) holding personal data in `scope`, without overlaps, in the order they occur."""
    prepared = Prepared(text)
    found = [*_known_spans(prepared, known, scope.official)]
    for finder, anybodys in _FINDERS:
        if scope.everybody or not anybodys:
            found.extend(finder(prepared))
    kept = [span for span in _without_overlaps(found) if span.kind != "official" or scope.official]
    return _joined(kept, prepared.text)


def redact(text, filer=None, official="", dossier="", *, scope=AGENCY, codes=()):
    """`text` with every item of personal data in `scope` replaced by a neutral marker."""
    prepared_text = Prepared(text).text
    spans = personal_spans(prepared_text, Known(filer, official or "", dossier or "", tuple(codes)), scope)
    return _replaced(prepared_text, spans)


def identity_left(text, filer=None, official="", dossier="", *, scope=AGENCY, codes=()):
    """The names of the kinds of personal data in `scope` still in `text`, in the order of the scope's items."""
    known = Known(filer, official or "", dossier or "", tuple(codes))
    kinds = {span.kind for span in personal_spans(text or "", known, scope)}
    return list(dict.fromkeys(label for kind, label in scope.items.items() if kind in kinds))


def _replaced(text, spans):
    """`text` with each of `spans` (in order, without overlaps) replaced by the marker; items of any kinds next
    to each other become one marker."""
    for span in reversed(_joined(spans, text, any_kind=True)):
        text = text[:span.start] + MARKER + text[span.end:]
    return text


def _joined(spans, text, any_kind=False):
    """Spans of one kind (or of any, with `any_kind`) separated by spaces or one comma, dash or slash, as one: "số 7
    ngõ 12 ngách 3" is one address."""
    joined = []
    for span in spans:
        last = joined[-1] if joined else None
        if last and (any_kind or last.kind == span.kind) and re.fullmatch(r"\s*[,\-/]?\s*", text[last.end:span.start]):
            joined[-1] = Span(last.kind, last.start, span.end)
        else:
            joined.append(span)
    return joined


# ---------------------------------------------------------------------------------------------------------------
# What is known of the filer, the official and the case, found however it is written
# ---------------------------------------------------------------------------------------------------------------

_GAP = r"[\W_]+"  # between the words of a name or an address: spaces, commas, dashes...
_DIGIT_GAP = r"[\s.\-()]*"  # inside a phone number: 0912 345 678, 0912.345.678, (+84) 912-345-678
_TAX_CODE = r"(?:\bmst|\bma so thue)\W{0,4}(\d{10}(?:\W?\d{3})?)(?!\d)"
_HOUSE_WORDS = {"so", "nha", "can", "ho", "phong"}


def _known_spans(prepared, known, official_is_personal):
    """The filer's details, the official (kind "official", dropped in the agency's scope, where it only keeps the
    denouncer's patterns off the accused's name), the dossier and the case's codes."""
    patterns = [("official", _words(_person(known.official)))]
    if official_is_personal:
        patterns += [("official", _words(part)) for part in _names(_person(known.official))]
    patterns += _filer_patterns(known.filer)
    if known.dossier and known.dossier.strip():
        patterns.append(("dossier", _words(known.dossier)))
    patterns += [("dossier", _words(code)) for code in known.codes if code]
    patterns.append(("tax_code", _TAX_CODE))
    for kind, pattern in patterns:
        for match in re.finditer(pattern, prepared.folded):
            start, end = match.span(match.lastindex or 0)
            if end > start:
                yield prepared.span(kind, start, end)


def _filer_patterns(filer):
    if filer is None:
        return []
    patterns = [("name", _words(name)) for name in _names(filer.full_name)]
    patterns += [("phone", _phone(filer.phone))] if _digits(filer.phone) else []
    patterns += [("email", re.escape(fold(filer.email)))] if filer.email else []
    patterns += [("address", _words(part)) for part in _address_parts(filer.address)]
    patterns += [("tax_code", _digit_run(filer.tax_code))] if len(_digits(filer.tax_code)) >= 10 else []
    patterns += [("name", _words(filer.organisation))] if filer.organisation else []
    return patterns


def _words(text):
    """A regex for these words in this order, whatever spaces or punctuation separate them."""
    found = re.findall(r"\w+", fold(text))
    return r"(?<!\w)" + _GAP.join(re.escape(word) for word in found) + r"(?!\w)" if found else r"(?!)"


def _person(name):
    """A person's name without the position after it or the honorific before it ("Ông Trần Văn An, cán bộ
    địa chính" → "Trần Văn An")."""
    found = re.findall(r"\w+", re.split(r"[,;(–—-]", name or "", maxsplit=1)[0])
    while len(found) > 2 and fold(found[0]) in HONORIFICS:
        found = found[1:]
    return " ".join(found)


def _names(full_name):
    """The full name, and its endings of two words or more ("Trịnh Thị Quỳnh Dao" is also "Thị Quỳnh Dao" and
    "Quỳnh Dao"); a single given name alone is too common to remove."""
    found = re.findall(r"\w+", full_name or "")
    return [" ".join(found[start:]) for start in range(max(len(found) - 1, 1))]


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
    """Keep the first of overlapping spans in the order they were found (what is known first), or their union when
    they are of one kind; then sort by position."""
    kept = []
    for span in spans:
        overlapping = [other for other in kept if span.overlaps(other)]
        if not overlapping:
            kept.append(span)
        elif len(overlapping) == 1 and overlapping[0].kind == span.kind:
            other = overlapping[0]
            kept[kept.index(other)] = Span(other.kind, min(other.start, span.start), max(other.end, span.end))
    return sorted(kept, key=lambda span: span.start)
