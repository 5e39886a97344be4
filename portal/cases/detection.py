"""Where personal data hides in a text, however people write it: the finders behind portal/cases/redaction.py.

Matching runs on the text normalised one character at a time: NFKC first (full-width digits, letters and "＠" are
read as themselves: normalise before matching, never after, or a cleaned text becomes a working address), then
folded (lower case, no diacritics, đ → d) for most finders, or kept in its case and accents for names, where a
capital and a diacritic tell a person ("bà Lan") from a word or a place ("bà con", "Ba Đình"). Each character of
either view maps back to the original, so a match is a span of the original text.

Numbers that look like data but are not (dates, times, amounts, legal references) are found first and shield
what they cover from the number finders."""
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property

import phonenumbers

from portal.cases import detection_words as words
from portal.domain.text import fold


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int

    def overlaps(self, other):
        return self.start < other.end and other.start < self.end


@cache
def _normalised(char):
    return unicodedata.normalize("NFKC", char)


@cache
def _folded(char):
    return " " if char.isspace() else fold(_normalised(char))


class Prepared:
    """A text (NFC) and its two views for matching, each with the original index of every character."""

    def __init__(self, text):
        self.text = unicodedata.normalize("NFC", text or "")
        self.plain, self.plain_origin = self._mapped(lambda c: " " if c.isspace() else _normalised(c))
        self.folded, self.folded_origin = self._mapped(_folded)

    def _mapped(self, convert):
        pieces, origin = [], []
        for index, char in enumerate(self.text):
            piece = convert(char)
            pieces.append(piece)
            origin.extend([index] * len(piece))
        return "".join(pieces), origin

    @cached_property
    def accentless(self):
        """Typed without any diacritic (on a phone, often): names are then read folded."""
        return self.folded == self.plain.lower()

    @cached_property
    def shouting(self):
        """Written all in capitals: a capital then tells nothing."""
        letters = [char for char in self.text if char.isalpha()]
        return len(letters) > 12 and sum(char.isupper() for char in letters) > 0.7 * len(letters)

    @cached_property
    def lowered(self):
        """The plain view in lower case, character for character (or folded, for a text without diacritics)."""
        if self.accentless:
            return self.folded
        return "".join(char.lower() if len(char.lower()) == 1 else char for char in self.plain)

    def key(self, text):
        """A word or words as the name vocabularies hold them: in lower case, or folded when typed without any
        diacritic (in a text without them, or a fragment of one with them)."""
        return fold(text) if text.isascii() else text.lower()

    def span(self, kind, start, end, view="folded"):
        """The original text's span of characters start:end of a view."""
        origin = self.folded_origin if view == "folded" else self.plain_origin
        return Span(kind, origin[start], origin[end - 1] + 1)

    def capitalised_at(self, folded_index):
        """Whether the word starting at this index of the folded view starts with a capital in the original."""
        return folded_index < len(self.folded_origin) and self.text[self.folded_origin[folded_index]].isupper()

    @cached_property
    def shielded(self):
        """Spans of dates, times, amounts and legal references: no number finder reaches into them."""
        return [self.span("shield", m.start(), m.end()) for m in _SHIELDS.finditer(self.folded)]

    def shields(self, span):
        return any(span.overlaps(shield) for shield in self.shielded)

    @cached_property
    def places(self):
        """Spans of places named like people ("Hai Bà Trưng", "Hoàng Mai"; not "bà Đinh"): no name finder reaches
        into them."""
        return [self.span("place", m.start(), m.end(), "plain")
                for m in place_names(self.accentless).finditer(self.lowered)]


# ---------------------------------------------------------------------------------------------------------------
# What is not personal: found first, it shields the numbers it covers
# ---------------------------------------------------------------------------------------------------------------

_SHIELDS = re.compile("|".join((
    # 05/12/2026, 5.12, 12-3-25: a day and a month (34/5 is a house)
    r"(?<![\w.\-/])(?:0?[1-9]|[12]\d|3[01])([/.\-])(?:0?[1-9]|1[0-2])(?:\1(?:\d{4}|\d{2}))?(?![\w.\-/]|[.,]\d)",
    r"(?<![\w/])\d{1,2}/\d{4}(?![\w/])",  # tháng 11/2026
    r"(?<![\w.])\d{1,2}\s?(?::|h|gio)\s?\d{2}(?!\d)",  # 10:30, 8h30, 14 giờ 15
    # amounts and quantities: 500.000 đồng, 2,5 triệu, 45 m2, 0,5 ha
    r"(?<![\w.,/])\d[\d.,]*\s*(?:dong|d|vnd|vnđ|trieu|ty|nghin|ngan|usd|%|m2|m3|m|km|ha|met|kg|tan|lit|ho|nguoi)"
    r"(?![\w\-])",
    r"(?<![\w/])\d+(?:/\d{4})?/[a-z][a-z0-9\-]*",  # 30/2020/nd-cp, 766/qd-ttg, 136/2025/qh15, 1234/ubnd-dt
    r"\b(?:dieu|khoan|diem|chuong|muc|phu luc)\s+\d+[a-z]?\b",  # Điều 12, khoản 3
    r"(?<!\d[\s.\-/])(?<!\d)(?:1022|1900\s?\d{4}|1800\s?\d{4}|111|113|114|115)(?![\s.\-/]?\d)",  # hotlines
)))


# ---------------------------------------------------------------------------------------------------------------
# Phone numbers: digits and digit words, any separators; valid Vietnamese numbers only
# ---------------------------------------------------------------------------------------------------------------

_UNIT = r"(?<![^\W\d_])(?:\d+|" + "|".join(sorted(words.DIGIT_WORDS, key=len, reverse=True)) + r")(?![^\W\d_])"
_PHONE_SEPARATOR = r"[\s.\-–—/,_()]*"
_PHONE_RUN = re.compile(rf"(?P<lead>\(?\s*(?:\+|cong\s)?\s*\(?\s*){_UNIT}(?:{_PHONE_SEPARATOR}{_UNIT})*")
_UNIT_ONLY = re.compile(_UNIT)


def phones(prepared):
    for run in _PHONE_RUN.finditer(prepared.folded):
        units = [(m.start(), m.end(), _digits_of(m.group()))
                 for m in _UNIT_ONLY.finditer(prepared.folded, run.end("lead"), run.end())]
        yield from _phones_in(prepared, units, run)


def _digits_of(unit):
    return unit if unit.isdigit() else words.DIGIT_WORDS[unit]


def _phones_in(prepared, units, run):
    """The longest valid numbers made of consecutive units, left to right; the first one with what leads the run
    ("+", "(", "cộng")."""
    plus = "+" in run.group("lead") or "cong" in run.group("lead")
    start = 0
    while start < len(units):
        found, digits = None, ""
        for end in range(start, len(units)):
            digits += units[end][2]
            if len(digits) > 13:
                break
            if len(digits) >= 9 and _is_phone(digits, plus and start == 0):
                found = end
        if found is None:
            start += 1
            continue
        lead = run.group("lead")
        first = run.end("lead") - len(lead.lstrip()) if start == 0 and lead.strip() else units[start][0]
        span = prepared.span("phone", first, units[found][1])
        if not prepared.shields(span):
            yield span
        start = found + 1


def _is_phone(digits, plus):
    if not plus and re.fullmatch(r"01[2689]\d{8}", digits):  # an 11-digit mobile of before 2018, still written
        return True
    if digits.startswith("0084"):
        digits, plus = digits[2:], True
    if (plus or digits.startswith("84")) and digits.startswith("840"):  # +84 (0) 912...
        digits, plus = "84" + digits[3:], True
    number = "+" + digits if plus or (digits.startswith("84") and len(digits) >= 11) else digits
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number, "VN"))
    except phonenumbers.NumberParseException:
        return False


# ---------------------------------------------------------------------------------------------------------------
# Emails, also spelled out ("at", "(at)", "a còng", "chấm") and full-width
# ---------------------------------------------------------------------------------------------------------------

_AT = r"(?:\s*@\s*|\s*[(\[{<]\s*(?:at|a|@|a cong|a moc)\s*[)\]}>]\s*|\s+(?:at|a cong|a moc|acong|amoc)\s+)"
_DOT = r"(?:\s*\.\s*|\s*[(\[{<]\s*(?:dot|cham|\.)\s*[)\]}>]\s*|\s+(?:dot|cham)\s+)"
_TLD = "|".join(sorted(words.TLDS, key=len, reverse=True))
_PROVIDERS = "|".join(sorted(words.MAIL_PROVIDERS, key=len, reverse=True))
_EMAILS = re.compile(
    rf"[\w][\w.+\-]*\s*@\s*[\w\-]+(?:\.[\w\-]+)*(?:\s*\.\s*(?:{_TLD})(?!\w))*"  # with an @, however spaced
    rf"|[\w][\w.+\-]*(?:{_DOT}[\w+\-]+)*{_AT}(?:[\w\-]+{_DOT})+(?:{_TLD})(?![\w])"  # spelled out, to a known end
    rf"|[\w][\w.+\-]*{_AT}(?:{_PROVIDERS})(?![\w])")  # "... a còng gmail"


def emails(prepared):
    for match in _EMAILS.finditer(prepared.folded):
        yield prepared.span("email", match.start(), match.end())


# ---------------------------------------------------------------------------------------------------------------
# Identity, insurance, tax and bank account numbers
# ---------------------------------------------------------------------------------------------------------------

_ID_CUES = (r"cccd|cmnd|cmt|can cuoc(?: cong dan)?|chung minh(?: nhan dan| thu)?|(?:so )?dinh danh(?: ca nhan)?|"
            r"ho chieu|passport|bhxh|bao hiem xa hoi|bhyt|bao hiem y te|ma so thue|mst|so tai khoan|"
            r"tai khoan(?: ngan hang)?|stk|so tk|the atm|so the")
_NOT_MONEY = r"(?!\s*(?:d|dong|vnd|vnđ|trieu|ty|nghin|ngan|usd)\b)"
_IDS = re.compile("|".join((
    # after its name: "CCCD số 001 190 012 345", "STK: 1903 4567 8901 23", "mã số thuế 0101234567-001"
    rf"\b(?:{_ID_CUES})\b[^\w\n]{{0,4}}(?:(?:so|la|cua|toi|bo|me|vo|chong|con|moi|cu|ca nhan|nhan tien|nhan|:)"
    r"\W{0,3}){0,5}"
    r"(?P<cued>[a-z]{0,3}\s?\d(?:[\s.\-]?\d){5,})",
    # 12 digits (CCCD), also grouped; 9 digits in one run (CMND: with dots they are money)
    rf"(?<![\w.,])(?:\d{{12}}|\d{{3}}(?:[\s.\-]\d{{3}}){{3}}|\d{{4}}(?:[\s.\-]\d{{4}}){{2}}|\d{{9}})(?!\w|[.,]\d){_NOT_MONEY}",
    # any other long run of digits: tax codes (0101234567-001), insurance and account numbers
    rf"(?<![\w.,])\d{{10,19}}(?:-\d{{3}})?(?!\w|[.,]\d){_NOT_MONEY}",
    r"(?<![\w])[a-z]{2}\d{13}(?!\w)",  # a health insurance card (DN4010123456789)
    r"(?<![\w])[a-z]\d{7,8}(?!\w)",  # a passport (B1234567)
)))


def id_numbers(prepared):
    for match in _IDS.finditer(prepared.folded):
        start, end = match.span("cued") if match.group("cued") else match.span()
        span = prepared.span("id_number", start, end)
        if match.group("cued") or not prepared.shields(span):
            yield span


# ---------------------------------------------------------------------------------------------------------------
# Licence plates: 29A-123.45, 29A1-123.45, 30E-12345, 29-B1 123.45, older 29A-1234
# ---------------------------------------------------------------------------------------------------------------

_PLATES = re.compile(r"(?<![\w/.])\d{2}\s?[-.]?\s?[a-z]{1,2}\d?\s?[-.]?\s?(?:\d{3}[.\s]?\d{2}|\d{4,5})(?![\w/]|[.,]\d)")


def plates(prepared):
    for match in _PLATES.finditer(prepared.folded):
        span = prepared.span("plate", match.start(), match.end())
        if not prepared.shields(span):
            yield span


# ---------------------------------------------------------------------------------------------------------------
# Home addresses: apartments, lanes, house numbers before a street
# ---------------------------------------------------------------------------------------------------------------

_NUMBER = r"\d+[a-z]?(?:/\d+[a-z]?)*"
_STREET_WORDS = r"pho|duong|ngo|ngach|hem|kiet|thon|xom|ap|to"
_APARTMENT = (r"(?:\btang\s+\d{1,2}\s*,?\s*)?"
              r"(?:\b(?:can ho|can)\s+(?:so\s+)?(?=[a-z0-9.\-]{3})[a-z]{0,2}\.?\d{1,4}[a-z]?\d{0,3}(?:[.\-]\d{2,4})?\b"
              r"|\bphong\s+(?:so\s+)?[a-z]{0,2}\.?\d{3,5}[a-z]?\b"
              r"|\bphong\s+(?:so\s+)?\d{1,2}(?=\s*,?\s*(?:tang|toa|nha)\b)"
              r"|(?<!bien bao )\bp\.?\s?\d{3,4}[a-z]?\b)"
              r"(?:\s*,?\s*(?:tang\s+\d{1,2}|(?:toa(?: nha)?|nha|block)\s+(?:the\s+)?[a-z0-9.\-]+(?:\s+\d{1,2}\b)?))*")
_ADDRESSES = re.compile("|".join((
    _APARTMENT,  # an apartment and its building: căn hộ P1205 tòa HH2, phòng 12 tầng 3 nhà C5, căn 1603 tòa Park 9
    r"\btoa(?: nha)?\s+[a-z]{1,3}\d{1,2}(?:[.\-]\d{1,2})?[a-z]?\b",  # tòa A2, tòa S1.02
    rf"\b(?:ngo|ngach|hem|kiet)\s+(?:so\s+)?{_NUMBER}\b",  # ngõ 12, ngách 3, hẻm 52/15
    r"\btang\s+\d{1,2}(?=\s*,?\s*(?:so|nha|can|phong|ngo)\b)",  # tầng 3, số 27, ngõ 1
    rf"(?<![\w/.,]){_NUMBER}(?=\s+(?:ngo|ngach|hem|kiet)\s+\d)",  # 8 kiệt 28
    rf"\b(?:so nha|nha so|nha|can nha so|dia chi(?: so)?)\s*:?\s*{_NUMBER}\b",  # số nhà 25, nhà số 25
    rf"\bso\s+{_NUMBER}(?=\s*,?\s*(?:{_STREET_WORDS})\b)",  # số 7 ngõ 12
)))
# Words that fold like a lane's name: "Bính Ngọ 2026" is a year.
_LANE_LOOKALIKE = re.compile(r"ng[ọóòỏ]\s|ngạch\s|hém\s|kiết\s")
# A house number where a place is said ("ở số 40 Lò Đúc", "tại 37 Hàng Bồ"), before a street named in capitals.
_AT_NUMBER = re.compile(rf"\b(?:tai|o|nha|truoc|canh|gan|doi dien|dia chi|den)\s*:?\s+(?P<number>(?:so\s+)?"
                        rf"{_NUMBER})\s+(?P<next>[^\W\d_]+)\s+[^\W\d_]")
_NOT_STREETS = {"so", "ubnd", "hdnd", "bo", "phong", "cong", "ban", "cuc", "chi", "toa", "vien", "truong", "thang",
                "ngay", "lan", "gio", "ngo", "ngach", "hem", "kiet", "pho", "duong", "quyet", "nghi", "thong", "ke"}
# A house number before a street whose name is written with a capital ("25 phố Hàng Bài", "15B/3 Hàng Bông").
_BEFORE_STREET = re.compile(rf"(?<![\w/.,\-])(?:so\s+)?{_NUMBER}(?![\w/])(?=\s*,?\s*(?:(?:pho|duong)\s+)?(?P<next>\w))")
_DATE_WORDS = re.compile(r"(?:ngay|hom|thang|tu|den|truoc|sau|luc|nam|dieu|khoan|quyet dinh|cong van)\s*$")


def addresses(prepared):
    folded = prepared.folded
    for match in _ADDRESSES.finditer(folded):
        if not _LANE_LOOKALIKE.match(prepared.lowered, match.start()):
            yield prepared.span("address", match.start(), match.end())
    for match in _AT_NUMBER.finditer(folded):
        if prepared.capitalised_at(match.start("next")) and match.group("next") not in _NOT_STREETS:
            span = prepared.span("address", match.start("number"), match.end("number"))
            if not prepared.shields(span):
                yield span
    for match in _BEFORE_STREET.finditer(folded):
        after = folded[match.end():match.end() + 12]
        street_named = re.match(r"\s*,?\s*(?:pho|duong)\s", after) or "/" in match.group()
        if not (street_named and prepared.capitalised_at(match.start("next"))) or \
                folded[match.start("next"):].split(" ", 1)[0] in _NOT_STREETS:
            continue
        if _DATE_WORDS.search(folded[max(0, match.start() - 14):match.start()]):
            continue
        span = prepared.span("address", match.start(), match.end())
        if not prepared.shields(span):
            yield span


# ---------------------------------------------------------------------------------------------------------------
# Dossier and case codes
# ---------------------------------------------------------------------------------------------------------------

_CODE_CUES = (r"ma ho so|so ho so|ma so ho so|ho so so|ho so ma|ma bien nhan|so bien nhan|bien nhan so|"
              r"phieu hen so|ma phieu|ma tra cuu|ma don|so don")
_CODES = re.compile("|".join((
    r"\b(?:[a-z]?\d{2,3}\.){2,3}[a-z]?\d{2,3}-\d{6}-\d{4}\b",  # 000.00.12.H26-251201-0001
    r"\b[a-z]\d{2}\.\d{2,4}\.\d{4,6}\b",  # H01.2605.000123
    r"\b(?:hn|vv|tt)[\W_]*\d{4}[\W_]*[0-9a-z]{5,6}\b",  # the portal's tracking codes and staff references
    r"\b[a-z]{2,3}[-.]\d{4}[-.]\d{4,6}\b",  # a receipt's number: HS-2026-000927
    rf"\b(?:{_CODE_CUES})\b\W{{0,4}}(?:(?:so|la)\W{{1,3}})?(?P<cued>[a-z0-9][a-z0-9.\-/]*\d[a-z0-9.\-/]*[a-z0-9])",
)))


def codes(prepared):
    for match in _CODES.finditer(prepared.folded):
        start, end = match.span("cued") if match.group("cued") else match.span()
        yield prepared.span("dossier", start, end)


# ---------------------------------------------------------------------------------------------------------------
# People's names: after an honorific or "tôi là", full names led by a family name (any case, with or without
# accents), never a place ("phố Trần Hưng Đạo", "phường Hai Bà Trưng"). Accents and capitals tell a name from a
# word ("Ngô" from "ngõ", "Phạm Văn" from "phạm vẫn"), except in a text typed without any diacritic, read folded,
# or all in capitals, read in lower case.
# ---------------------------------------------------------------------------------------------------------------

_UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_CAPITALISED = rf"[{_UPPER}][^\W\d_]*(?:'[^\W\d_]+)?"
_CAPITALISED_RUNS = re.compile(rf"(?<![^\W\d_]){_CAPITALISED}(?:[ \t]+{_CAPITALISED})*")
_WORD = re.compile(r"[^\W\d_]+")


class _Words:
    """The name-reading vocabularies: for a text without diacritics, folded; for a text with them, as written and
    folded too (a word typed without diacritics in it, "DINH VAN TOAN", is read as in a text without)."""

    def __init__(self, convert):
        def forms(vocabulary):
            return {convert(w) for w in vocabulary} | {fold(w) for w in vocabulary}
        self.strong, self.weak, self.middle = forms(words.STRONG_SURNAMES), forms(words.WEAK_SURNAMES), forms(
            words.MIDDLE_NAMES)
        self.given, self.after, self.titles = forms(words.GIVEN_NAMES), forms(words.AFTER_NAMES), forms(
            words.TITLE_WORDS)
        honorifics = "|".join(re.escape(convert(h)) for h in sorted(words.HONORIFICS, key=len, reverse=True))
        self.honorific_names = re.compile(
            rf"(?<!\w)(?i:{honorifics})\s+(?P<name>{_CAPITALISED}(?:[ \t]+{_CAPITALISED}){{0,3}})")
        surnames = "|".join(sorted(forms(words.LOWER_CASE_SURNAMES), key=len, reverse=True))
        middles = "|".join(sorted(forms(words.LOWER_CASE_MIDDLE_NAMES), key=len, reverse=True))
        self.lower_names = re.compile(rf"(?<![^\W\d_])(?:{surnames}) (?:{middles})(?: [^\W\d_]+){{1,2}}")
        cues = {convert(c) for c in words.PLACE_CUES} - (words.AMBIGUOUS_FOLDED_CUES if convert is fold else set())
        self.place_before = re.compile(r"(?:^|\W)(?:" + "|".join(re.escape(c) for c in sorted(
            cues, key=len, reverse=True)) + r")\W*$")
        self.not_place_before = re.compile(r"(?:" + "|".join(re.escape(convert(c)) for c in words.NOT_PLACE_CUES)
                                           + r")\W*$")


@cache
def _vocabulary(folded):
    return _Words(fold if folded else str.lower)


_NAME_CUES = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in sorted(words.NAME_CUES, key=len, reverse=True))
                        + r")\s*:?\s*(?=(?P<name>[^\W\d_]+(?:[ \t]+[^\W\d_]+){0,3}))")


def names(prepared):
    vocabulary = _vocabulary(prepared.accentless)
    for match in vocabulary.honorific_names.finditer(prepared.plain):
        end = _shouted_name_end(prepared, vocabulary, match) if prepared.shouting else match.end("name")
        if end is not None:
            yield from _name(prepared, match.start("name"), end, lead=match.start())
    if not prepared.accentless:  # a fragment typed without diacritics in a text with them: "nội dung: ung ho chi Nga"
        for match in _vocabulary(True).honorific_names.finditer(prepared.plain):
            end = _typed_without_diacritics(prepared, match)
            if end is not None:
                yield from _name(prepared, match.start("name"), end, lead=match.start())
    if not prepared.shouting:
        for run in _CAPITALISED_RUNS.finditer(prepared.plain):
            yield from _names_in_run(prepared, vocabulary, run)
    for match in vocabulary.lower_names.finditer(prepared.lowered):
        if not prepared.shouting and prepared.text[prepared.plain_origin[match.start()]].isupper():
            continue  # a capitalised name is read, and ended, by its capitals
        found = match.group().split()
        while found and found[-1] in vocabulary.after:
            found.pop()
        if len(found) >= 3 and " ".join(found[:2]) not in words.NOT_NAMES:
            yield from _name(prepared, match.start(), match.start() + len(" ".join(found)))
    for match in _NAME_CUES.finditer(prepared.folded):
        yield from _cued_name(prepared, vocabulary, match)


def _shouted_name_end(prepared, vocabulary, match):
    """In a text all in capitals, where the name after an honorific ends: the whole run when led by a family name
    ("ÔNG LÊ ĐỨC TÀI", not "CỤ CAO TUỔI"), else its given names ("CHỊ LAN ANH BÁN HÀNG"); None when there is none."""
    found = [(m, prepared.key(m.group())) for m in _WORD.finditer(match.group("name"))]
    first = found[0][1]
    if first in vocabulary.strong or (len(found) > 2 and first in vocabulary.weak and found[1][1] in vocabulary.middle):
        return match.end("name")
    given = 0
    while given < min(len(found), 3) and found[given][1] in vocabulary.given:
        given += 1
    if not given and len(found) == 1 and re.match(r"\s*(?:[.,;:!?()\-–]|$)", prepared.plain[match.end("name"):]):
        given = 1  # a given name alone before a pause: "GẶP BÀ HUỆ."
    return match.start("name") + found[given - 1][0].end() if given else None


def _typed_without_diacritics(prepared, match):
    """Where the name after an honorific matched without its diacritics ends, when the honorific, the two words
    before it and the name's first words were all typed without any; else None."""
    start = prepared.plain_origin[match.start()]
    before = prepared.text[:start].split()[-2:]
    honorific = prepared.plain[match.start():match.start("name")]
    ascii_words = [m for m in _WORD.finditer(match.group("name"))][:4]
    kept = 0
    while kept < len(ascii_words) and ascii_words[kept].group().isascii():
        kept += 1
    if not kept or not all(word.isascii() for word in [*before, honorific]):
        return None
    return match.start("name") + ascii_words[kept - 1].end()


def _names_in_run(prepared, vocabulary, run):
    """In a run of capitalised words, the names led by a family name: "Tôi Ngô Quang Huy" holds one."""
    found = [(m.start() + run.start(), m.end() + run.start(), prepared.key(m.group()))
             for m in _WORD.finditer(run.group())]
    index = 0
    while index < len(found) - 1:
        key, following = found[index][2], found[index + 1][2]
        strong = key in vocabulary.strong
        # any family name, even one not listed, before "Thị" and a given name: "Mẫn Thị Hường"
        weak = ((key in vocabulary.weak or following == prepared.key("thị")) and following in vocabulary.middle
                and index < len(found) - 2)
        if strong or weak:
            last = min(index + 3, len(found) - 1)
            yield from _name(prepared, found[index][0], found[last][1])
            index = last + 1
        else:
            index += 1


def _cued_name(prepared, vocabulary, match):
    """The words after "tôi là", "họ tên:"... that make a name: capitalised, or led by a family name, and not
    an official's position ("tôi là Chủ tịch...", "tôi là người dân...")."""
    taken = []
    for word in re.finditer(r"[^\W\d_]+", match.group("name")):
        start, end = match.start("name") + word.start(), match.start("name") + word.end()
        original = prepared.text[prepared.folded_origin[start]:prepared.folded_origin[end - 1] + 1]
        if not taken and prepared.key(original) in _vocabulary(prepared.accentless).titles:
            return
        if not (prepared.capitalised_at(start) or prepared.key(original) in vocabulary.strong
                or (taken and not prepared.shouting and not prepared.capitalised_at(taken[0][0])
                    and prepared.key(original) not in vocabulary.after)):
            break
        taken.append((start, end))
    if taken:
        yield from _name(prepared, taken[0][0], taken[-1][1], view="folded")


def _name(prepared, start, end, view="plain", lead=None):
    """The name at start:end of a view (after an honorific starting at `lead` of the plain view), unless it is
    a place's name."""
    span = prepared.span("name", start, end, view)
    first = span.start if lead is None else prepared.plain_origin[lead]
    vocabulary = _vocabulary(prepared.accentless)
    before = prepared.key(prepared.text[max(0, first - 24):first])
    if vocabulary.place_before.search(before) and not vocabulary.not_place_before.search(before):
        return
    if not any(place.start <= span.start and span.end <= place.end for place in prepared.places):
        yield span


@cache
def place_names(folded):
    """A regex of the places whose names look like a person's: the directory's wards and communes, and others; as
    written, or folded for a text without diacritics."""
    convert = fold if folded else str.lower
    names = {convert(name) for name in (*words.PLACES, *words.ward_names())}
    return re.compile(r"(?<![^\W\d_])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                      + r")(?![^\W\d_])")
