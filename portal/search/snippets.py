"""The passage of a result shown under its title, with the words searched for marked.

Whoosh's highlighter builds a token object per word and scores fragments, which took most of the time spent
on a page of results. A result needs only the passage around its first matches, found by the same words and
folding as the index."""
import re

from markupsafe import Markup, escape

from portal.search.analysis import WORD, fold_word

SNIPPET_CHARS = 200
BEFORE = 40  # characters kept before the first match
_WORD = re.compile(WORD)
_WORD_START = re.compile(rf"(?<![\w\u0300-\u036f]){WORD}")


def snippet(texts, terms):
    """The passage of the first of `texts` holding one of the folded `terms`, HTML-escaped, the matches in
    <mark>; the start of the first non-empty text when none does."""
    for text in texts:
        marked = _marked(text, terms) if text and terms else None
        if marked:
            return marked
    text = next((text for text in texts if text), "")
    return escape(text[:SNIPPET_CHARS]) + ("…" if len(text) > SNIPPET_CHARS else "")


def _marked(text, terms):
    spans = _matches(text, terms)
    if not spans:
        return None
    start = _word_start(text, max(0, spans[0][0] - BEFORE))
    end = min(len(text), start + SNIPPET_CHARS)
    parts, at = ["…" if start else ""], start
    for begin, finish in spans:
        if finish > end:
            break
        parts += [escape(text[at:begin]), Markup("<mark>"), escape(text[begin:finish]), Markup("</mark>")]
        at = finish
    parts += [escape(text[at:end]), "…" if end < len(text) else ""]
    return Markup("").join(parts)


def _matches(text, terms):
    """The spans of the words of `text` that fold to one of `terms`, up to where a passage starting at the first
    could end: the rest of a long text is never folded."""
    spans, limit = [], len(text)
    for match in _WORD.finditer(text):
        if match.start() >= limit:
            break
        if fold_word(match.group(0).lower()) in terms:
            spans.append(match.span())
            limit = min(limit, match.start() + SNIPPET_CHARS)
    return spans


def _word_start(text, position):
    """The start of the first word at or after `position` (a passage does not begin inside a word)."""
    following = _WORD_START.search(text, position)
    return following.start() if following else position
