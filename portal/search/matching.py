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

    def where(self, keep):
        """The matches for which the boolean array `keep` (one per match) is true."""
        return Matches(self.ids[keep], self.scores[keep])


def evaluate(node, segment, stats):
    """The live documents of `segment` matching `node`, scored."""
    return alive(_evaluate(node, segment, stats), segment)


def alive(found, segment):
    """`found` without the documents deleted from `segment` (postings keep them until a merge)."""
    return found.where(segment.live[found.ids])


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


def term(segment, stats, fieldname, text, boost=1.0, last=None):
    """One term's documents with their BM25 scores (constant for fields without lengths, like the keys); only
    the `last` (the newest) of them, when given."""
    ids, frequencies = postings(segment, fieldname, text)
    if last is not None and last < len(ids):  # ids ascend: the newest documents are at the end
        ids, frequencies = ids[len(ids) - last:], frequencies[len(frequencies) - last:]
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
    """The indexed words a prefix or wildcard stands for (the MAX_EXPANSION most frequent, when more): read from
    the term tables once per searcher, not once per segment."""
    key = (node.fieldname, type(node).__name__, node.text)
    if key not in stats.expansions:
        texts = {btext.decode() if isinstance(btext, bytes) else btext
                 for _, btext in node.expanded_terms(stats.searcher.reader())}
        if len(texts) > MAX_EXPANSION:
            frequency = stats.searcher.doc_frequency  # from the term tables: ranking needs no postings
            texts = sorted(texts, key=lambda text: -frequency(node.fieldname, text))[:MAX_EXPANSION]
        stats.expansions[key] = sorted(texts)
    return stats.expansions[key]


def _phrase(node, segment, stats):
    found = intersect([term(segment, stats, node.fieldname, word, node.boost) for word in node.words])
    if not len(found) or len(node.words) < 2:
        return found
    return found.where(segment.holding(found.ids, (" " + " ".join(node.words) + " ").encode()))


def everything(segment):
    return Matches(np.flatnonzero(segment.live).astype(np.int64), np.zeros(int(segment.live.sum()), np.float32))


def intersect(parts):
    parts = sorted(parts, key=len)  # the rarest first: every later step is smaller
    found = parts[0]
    for part in parts[1:]:
        if not len(found) or not len(part):
            return Matches.none()
        present, scores = _dense(part, _size(found, part))
        found = found.where(present[found.ids])
        found = Matches(found.ids, found.scores + scores[found.ids])
    return found


def unite(parts):
    parts = [part for part in parts if len(part)]
    if len(parts) < 2:
        return parts[0] if parts else Matches.none()
    ids = np.concatenate([part.ids for part in parts])
    scores = np.bincount(ids, weights=np.concatenate([part.scores for part in parts]))
    present = np.flatnonzero(np.bincount(ids))
    return Matches(present, scores[present].astype(np.float32))


def subtract(found, removed):
    if not len(removed) or not len(found):
        return found
    present, _ = _dense(removed, _size(found, removed))
    return found.where(~present[found.ids])


def boost_by(found, extra):
    """`found`, with the scores of the documents also in `extra` raised by theirs."""
    if not len(extra) or not len(found):
        return found
    _, scores = _dense(extra, _size(found, extra))
    return Matches(found.ids, found.scores + scores[found.ids])


def _size(*parts):
    return int(max(part.ids[-1] for part in parts)) + 1


def _dense(matches, size):
    """(present, scores) indexed by document number: set operations by indexing, without sorting."""
    present, scores = np.zeros(size, dtype=bool), np.zeros(size, dtype=np.float32)
    present[matches.ids], scores[matches.ids] = True, matches.scores
    return present, scores
