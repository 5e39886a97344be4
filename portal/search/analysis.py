"""Vietnamese text as the index sees it: words in NFC, lower case, and a folded twin without diacritics.

Residents and staff type Vietnamese with or without accents (and phones send decomposed NFD text), so every
text is indexed folded (`dat dai` finds `đất đai`, đ → d), and its accented words once more as written (NFC +
lower case): a query's accented words then rank the accurate spelling first.

The schema, with these analyzers, is pickled into the index and into the processes of a parallel rebuild:
everything here is a module-level class or function."""
import re
import unicodedata

from whoosh.analysis import Token, Tokenizer

from portal.domain.text import fold

# A word: letters and digits, with any combining marks that NFC could not compose.
WORD = r"[\w\u0300-\u036f]+"
_WORD = re.compile(WORD)

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


class VietnameseTokenizer(Tokenizer):
    """Words of the NFC-normalised text (NFD input would otherwise split at every accent), lower case, and
    folded when `folded`, or only the words with accents when `accented`: a whole analyzer in one pass, since a
    rebuild analyses every complaint and Whoosh's chained filters cost more per word than the index writer."""

    def __init__(self, folded=False, accented=False):
        self.folded, self.accented = folded, accented

    def __eq__(self, other):
        return type(other) is type(self) and (other.folded, other.accented) == (self.folded, self.accented)

    def words_of(self, value):
        """The words as a list, without Whoosh's token objects: what indexing needs, several times faster."""
        found = _WORD.findall(nfc(value).lower())
        if self.accented:
            return [word for word in found if fold_word(word) != word]
        return [fold_word(word) for word in found] if self.folded else found

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True, start_pos=0,
                 start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        text = nfc(value)
        lowered = text.lower()
        if len(lowered) != len(text):  # a letter whose lower case is longer: offsets would shift
            lowered = None
        matches = _WORD.finditer(lowered or text) if tokenize else [_Whole(lowered or text)]
        fold_ = fold_word if self.folded else None
        for pos, match in enumerate(matches):
            word = match.group(0) if lowered else match.group(0).lower()
            if self.accented and fold_word(word) == word:
                continue
            token.text = fold_(word) if fold_ else word
            token.boost, token.stopped = 1.0, False
            if keeporiginal:
                token.original = text[match.start():match.end()]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar, token.endchar = start_char + match.start(), start_char + match.end()
            yield token


class _Whole:
    """The whole value as one match (tokenize=False: the query parser's wildcard terms)."""

    def __init__(self, text):
        self.text = text

    def group(self, _):
        return self.text

    def start(self):
        return 0

    def end(self):
        return len(self.text)


def folded_analyzer():
    """NFC words in lower case without diacritics."""
    return VietnameseTokenizer(folded=True)


def accented_analyzer():
    """The words written with diacritics, NFC and lower case (the exact field holds nothing else)."""
    return VietnameseTokenizer(accented=True)


def has_accents(word):
    return fold_word(word) != word


def words(text):
    """The folded words of `text`: the plain terms a malformed query falls back to, and what phrases match."""
    return _WORDS.words_of(text)


def phrase_text(*texts):
    """Folded words joined by single spaces, with a space at each end, as UTF-8: the `phrase` column, in which a
    phrase is found as the bytes of its own phrase_text."""
    return (" " + " ".join(word for text in texts for word in words(text)) + " ").encode()


_WORDS = VietnameseTokenizer(folded=True)
