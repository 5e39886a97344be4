"""Vietnamese text as the index sees it: words in NFC, lower case, and a folded twin without diacritics.

Residents and staff type Vietnamese with or without accents (and phones send decomposed NFD text), so every
text is indexed twice: folded (`dat dai` finds `đất đai`, đ → d) and exact (NFC + lower case), and queries
search both, the exact field boosted, so that typing the accents ranks the accurate spelling first.

The schema, with these analyzers, is pickled into the index and into the processes of a parallel rebuild:
everything here is a module-level class or function."""
import re
import unicodedata

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer

from portal.domain.text import fold

# A word: letters and digits, with any combining marks that NFC could not compose.
WORD = r"[\w\u0300-\u036f]+"
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})

_folded = {}
_FOLD_CACHE_SIZE = 200_000


def nfc(text):
    return unicodedata.normalize("NFC", text or "")


def fold_word(word):
    """`fold` for one lower-case word, memoised: the same few thousand words make up most complaints."""
    folded = _folded.get(word)
    if folded is None:
        if len(_folded) >= _FOLD_CACHE_SIZE:
            _folded.clear()
        folded = _folded[word] = fold(word)
    return folded


class VietnameseTokenizer(RegexTokenizer):
    """Unicode words of the NFC-normalised text (NFD input would otherwise split at every accent)."""

    def __init__(self):
        super().__init__(WORD)

    def __call__(self, value, **kwargs):
        return super().__call__(nfc(value), **kwargs)


class FoldFilter(Filter):
    """Drops diacritics and turns đ into d: the folded field's terms."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = fold_word(token.text)
            yield token


def exact_analyzer():
    """NFC words in lower case, accents kept."""
    return VietnameseTokenizer() | LowercaseFilter()


def folded_analyzer():
    """NFC words in lower case without diacritics."""
    return VietnameseTokenizer() | LowercaseFilter() | FoldFilter()


def exact_query(text):
    """A query string for the exact fields: NFC and lower case, operators (AND, OR, NOT) kept."""
    return _each_word(nfc(text), str.lower)


def folded_query(text):
    """A query string for the folded fields, folded here so that wildcard and prefix terms (which the query
    parser does not analyse) are folded too."""
    return _each_word(nfc(text), fold)


def _each_word(text, change):
    return re.sub(r"\S+", lambda m: m.group(0) if m.group(0) in OPERATORS else change(m.group(0)), text)


def words(text):
    """The folded words of `text`: the plain terms a malformed query falls back to."""
    return [fold_word(word.lower()) for word in re.findall(WORD, nfc(text))]


# Forms of address and titles written before a name ("ông Nguyễn Văn An", "đồng chí An"), folded. They are
# dropped only at the start, so that a given name such as "Lan Anh" keeps its "Anh".
HONORIFICS = tuple(tuple(phrase.split()) for phrase in sorted((
    "ong", "ba", "anh", "chi", "em", "co", "chu", "bac", "ngai", "dong chi", "d c", "dc", "ong ba",
    "can bo", "chuyen vien", "giam doc", "pho giam doc", "truong phong", "pho truong phong", "chu tich",
    "pho chu tich", "thu truong", "pho thu truong", "chanh van phong", "chanh thanh tra", "pho chanh thanh tra",
), key=lambda phrase: -len(phrase.split())))


def official_key(name):
    """One key for one official however the name is written: folded, titles dropped, words sorted
    ("Ông Nguyễn Văn An" and "an nguyen van" give "an nguyen van")."""
    parts = words(name)
    dropped = True
    while dropped:
        dropped = False
        for phrase in HONORIFICS:
            if tuple(parts[:len(phrase)]) == phrase and len(parts) > len(phrase):
                parts, dropped = parts[len(phrase):], True
                break
    return " ".join(sorted(parts))
