"""The words that tell what a complaint is about, for finding the complaints like it: a word's weight is its
count in the text times its rarity (BM25's idf), how many complaints hold it being read from the term tables
(portal.search.segments caches the counts by segment), so choosing costs what the text's length does."""
import math
from collections import Counter

from portal.search.analysis import words
from portal.search.schema import TEXT_FIELD


def telling_terms(view, text, number):
    """[(word, weight)]: the `number` most telling folded words of `text`, the first weighing 1.0."""
    scored = []
    for word, count in Counter(words(text)).items():
        held = view.document_frequency(TEXT_FIELD, word)
        if held:
            scored.append((count * math.log(1 + (view.documents - held + 0.5) / (held + 0.5)), word))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    top = scored[:number]
    return [(word, score / top[0][0]) for score, word in top] if top else []
