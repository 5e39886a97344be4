"""Evaluating a parsed query on one segment's arrays: which documents match, and their BM25 scores.

A query is the tree Whoosh's parser makes (terms, AND, OR, NOT, phrases, prefixes). Each node becomes a
Matches, the sorted document numbers and their scores; AND intersects, OR unites and adds, NOT subtracts.
Phrases match the documents that hold all their words, then keep those whose `phrase` column holds the words
side by side. Anything else the parser could make raises Unsupported, and the caller searches the plain words."""
import math
from dataclasses import dataclass

import numpy as np
from whoosh import query as q

from portal.search.segments import EMPTY_IDS, postings

K1, B = 1.2, 0.75
MAX_EXPANSION = 200  # terms a prefix or wildcard may stand for (the most frequent ones)


class Unsupported(Exception):
    """A kind of query this evaluator does not know."""


@dataclass
class Matches:
    ids: np.ndarray  # local document numbers, ascending, unique
    scores: np.ndarray

    @classmethod
    def none(cls):
        return cls(EMPTY_IDS, np.zeros(0, dtype=np.float32))

    def __len__(self):
        return len(self.ids)


def evaluate(node, segment, stats):
    """The live documents of `segment` matching `node`, scored."""
    return alive(_evaluate(node, segment, stats), segment)


def alive(found, segment):
    """`found` without the documents deleted from `segment` (postings keep them until a merge)."""
    keep = segment.live[found.ids]
    return Matches(found.ids[keep], found.scores[keep])


def _evaluate(node, segment, stats):
    if isinstance(node, q.Term):
        return term(segment, stats, node.fieldname, node.text, node.boost)
    if isinstance(node, q.Phrase):
        return _phrase(node, segment, stats)
    if isinstance(node, (q.Prefix, q.Wildcard)):
        return unite([term(segment, stats, node.fieldname, text, node.boost)
                      for text in expansion(node, stats)])
    if isinstance(node, q.And):
        wanted = [child for child in node.subqueries if not isinstance(child, q.Not)]
        unwanted = [child.query for child in node.subqueries if isinstance(child, q.Not)]
        found = intersect([_evaluate(child, segment, stats) for child in wanted]) if wanted else everything(segment)
        for child in unwanted:
            found = subtract(found, _evaluate(child, segment, stats))
        return found
    if isinstance(node, q.Or):
        return unite([_evaluate(child, segment, stats) for child in node.subqueries])
    if isinstance(node, q.Not):
        return subtract(everything(segment), _evaluate(node.query, segment, stats))
    if isinstance(node, q.AndNot):
        return subtract(_evaluate(node.a, segment, stats), _evaluate(node.b, segment, stats))
    if isinstance(node, q.AndMaybe):
        return boost_by(_evaluate(node.a, segment, stats), _evaluate(node.b, segment, stats))
    if isinstance(node, q.Every):
        return everything(segment)
    raise Unsupported(type(node).__name__)


def term(segment, stats, fieldname, text, boost=1.0):
    """One term's documents with their BM25 scores (constant for fields without lengths, like the keys)."""
    ids, frequencies = postings(segment, fieldname, text)
    if not len(ids):
        return Matches.none()
    frequency = stats.document_frequency(fieldname, text)
    idf = math.log(1 + (stats.documents - frequency + 0.5) / (frequency + 0.5))
    lengths = segment.lengths.get(fieldname)
    if lengths is None:
        return Matches(ids, np.full(len(ids), idf * boost, dtype=np.float32))
    norm = K1 * (1 - B + B * lengths[ids] / stats.average_length[fieldname])
    return Matches(ids, (idf * boost) * frequencies * (K1 + 1) / (frequencies + norm))


def expansion(node, stats):
    """The indexed words a prefix or wildcard stands for, most frequent first."""
    texts = {btext.decode() if isinstance(btext, bytes) else btext
             for _, btext in node.expanded_terms(stats.searcher.reader())}
    frequent = sorted(texts, key=lambda text: -stats.document_frequency(node.fieldname, text))
    return frequent[:MAX_EXPANSION]


def _phrase(node, segment, stats):
    found = intersect([term(segment, stats, node.fieldname, word, node.boost) for word in node.words])
    if not len(found) or len(node.words) < 2:
        return found
    keep = segment.holding(found.ids, (" " + " ".join(node.words) + " ").encode())
    return Matches(found.ids[keep], found.scores[keep])


def everything(segment):
    return Matches(np.flatnonzero(segment.live).astype(np.int64), np.zeros(int(segment.live.sum()), np.float32))


def intersect(parts):
    parts = sorted(parts, key=len)  # the rarest first: every later step is smaller
    found = parts[0]
    for part in parts[1:]:
        if not len(found):
            break
        _, mine, theirs = np.intersect1d(found.ids, part.ids, assume_unique=True, return_indices=True)
        found = Matches(found.ids[mine], found.scores[mine] + part.scores[theirs])
    return found


def unite(parts):
    parts = [part for part in parts if len(part)]
    if not parts:
        return Matches.none()
    if len(parts) == 1:
        return parts[0]
    ids, where = np.unique(np.concatenate([part.ids for part in parts]), return_inverse=True)
    scores = np.bincount(where, weights=np.concatenate([part.scores for part in parts]), minlength=len(ids))
    return Matches(ids, scores.astype(np.float32))


def subtract(found, removed):
    if not len(removed) or not len(found):
        return found
    keep = ~np.isin(found.ids, removed.ids, assume_unique=True)
    return Matches(found.ids[keep], found.scores[keep])


def boost_by(found, extra):
    """`found`, with the scores of the documents also in `extra` raised by theirs."""
    if not len(extra) or not len(found):
        return found
    _, mine, theirs = np.intersect1d(found.ids, extra.ids, assume_unique=True, return_indices=True)
    scores = found.scores.copy()
    scores[mine] += extra.scores[theirs]
    return Matches(found.ids, scores)
