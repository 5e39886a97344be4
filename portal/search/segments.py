"""The index as numpy arrays: per segment, its columns (facets, dates, flags, field lengths) and, on demand, the
postings of a term (document numbers and frequencies).

Whoosh scores and counts one document at a time in Python, which at 200,000 complaints takes seconds for a
common word. Reading a term's posting blocks into arrays and doing the set algebra, scoring and counting with
numpy takes milliseconds. A segment's files never change once written (only its deletions do), so what is read
from it is cached by segment: columns for as long as the segment lives, postings in a bounded LRU.

This reads Whoosh's codec below its public interface (block data of W3LeafMatcher, raw column bytes), so the
version of whoosh-reloaded is pinned; tests/test_search.py would fail on a change of format."""
import mmap
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from portal.search.schema import EXACT, FACETS, FLAGS, MOMENTS, PHRASE, TEXT_FIELD

POSTINGS_CACHE_BYTES = 256 * 2**20  # per process; the postings of the commonest words stay decoded
SCORED = (TEXT_FIELD, EXACT)
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
EMPTY_IDS = np.zeros(0, dtype=np.int64)


class Vocabulary:
    """The values of one facet across every segment, numbered in the order first seen (per process), so that
    counting a facet over all segments is one bincount."""

    def __init__(self):
        self.values, self._numbers = [], {}

    def numbers(self, values):
        with _lock:
            for value in values:
                if value not in self._numbers:
                    self._numbers[value] = len(self.values)
                    self.values.append(value)
            return np.array([self._numbers[value] for value in values], dtype=np.int32)


VOCABULARIES = {name: Vocabulary() for name in FACETS}


@dataclass
class Segment:
    """One segment's arrays. Documents are numbered locally; `offset` makes them the searcher's numbers."""

    key: str
    reader: object
    offset: int
    size: int
    live: np.ndarray  # False for deleted documents
    facets: dict = field(default_factory=dict)  # name -> per document, a number in VOCABULARIES[name]
    moments: dict = field(default_factory=dict)
    flags: dict = field(default_factory=dict)
    lengths: dict = field(default_factory=dict)  # scored field -> per document length
    phrases: tuple | None = None  # the phrase column, once a phrase query needs it (see holding)

    def facet(self, name, docnum):
        return VOCABULARIES[name].values[self.facets[name][docnum]]

    def holding(self, docnums, needle):
        """Which of `docnums` hold the bytes `needle` in their phrase column. The column is searched where it
        lies, in its file mapped into memory, between each document's offsets: nothing is copied."""
        if self.phrases is None:
            column = self.reader.column_reader(PHRASE, translate=False)
            self.phrases = (_mapped(column), list(column._offsets), list(column._lengths))
        region, offsets, lengths = self.phrases
        search = re.compile(re.escape(needle)).search
        return np.fromiter((search(region, offsets[d], offsets[d] + lengths[d]) is not None
                            for d in docnums.tolist()), dtype=bool, count=len(docnums))


def _mapped(column):
    """The column's bytes as a buffer `re` can search: a view of its file mapped into memory."""
    source = column._dbfile
    buffer = getattr(source, "_buf", None)  # a compound segment is mapped already
    if buffer is None:
        buffer = mmap.mmap(source.fileno(), 0, access=mmap.ACCESS_READ)
    return memoryview(buffer)[column._basepos:column._basepos + column._length]


@dataclass
class Snapshot:
    """What a searcher sees: its segments, and the statistics scores need (over every segment)."""

    searcher: object
    segments: list
    documents: int
    average_length: dict
    frequencies: dict = field(default_factory=dict)  # (field, term) -> document frequency
    expansions: dict = field(default_factory=dict)  # a prefix or wildcard -> the terms it stands for

    def document_frequency(self, fieldname, term):
        """In how many documents of the whole index `term` occurs, deleted ones included as Whoosh counts them:
        read from each segment's term table, not from its postings (a segment may not need them)."""
        key = (fieldname, term)
        if key not in self.frequencies:
            self.frequencies[key] = sum(held_in(segment, fieldname, term) for segment in self.segments)
        return self.frequencies[key]


_snapshots = WeakKeyDictionary()  # searcher -> Snapshot
_columns = {}  # segment key -> (facets, moments, flags, lengths)
_lock = threading.Lock()


def snapshot(searcher):
    """The arrays of `searcher`'s segments (cached with the searcher, which the store reopens after commits)."""
    found = _snapshots.get(searcher)
    if found is None:
        found = _snapshots[searcher] = _take(searcher)
    return found


def _take(searcher):
    segments = [_segment(reader, offset) for reader, offset in _leaves(searcher)]
    documents = max(1, searcher.doc_count_all())
    average = {name: max(1.0, searcher.field_length(name) / documents) for name in SCORED}
    with _lock:  # forget the segments merged away (of this index: others are searched again soon enough)
        for gone in set(_columns) - {segment.key for segment in segments}:
            del _columns[gone]
    return Snapshot(searcher, segments, documents, average)


def _leaves(searcher):
    reader = searcher.reader()
    return [(reader, 0)] if reader.is_atomic() else reader.leaf_readers()


def _segment(reader, offset):
    key = reader.segment().segment_id()
    size = reader.doc_count_all()
    live = np.ones(size, dtype=bool)
    deleted = reader.deleted_docs_set
    if deleted:
        live[np.fromiter(deleted, dtype=np.int64, count=len(deleted))] = False
    with _lock:
        cached = _columns.get(key)
    if cached is None:
        cached = (_facets(reader, size), {name: _numbers(reader, name, size) for name in MOMENTS},
                  {name: _numbers(reader, name, size).astype(bool) for name in FLAGS},
                  {name: _field_lengths(reader, name, size) for name in SCORED})
        with _lock:
            _columns[key] = cached
    facets, moments, flags, lengths = cached
    return Segment(key, reader, offset, size, live, facets, moments, flags, lengths)


def _facets(reader, size):
    """Per facet, each document's value as its number in the facet's Vocabulary."""
    facets = {}
    for name in FACETS:
        if not reader.has_column(name):  # no document of this segment has a value
            facets[name] = np.full(size, VOCABULARIES[name].numbers([""])[0], dtype=np.int32)
            continue
        column = reader.column_reader(name, translate=False)
        itemsize = column._itemsize
        raw = column._dbfile.get(column._basepos, size * itemsize)
        refs = np.frombuffer(raw, dtype=f">u{itemsize}")
        facets[name] = VOCABULARIES[name].numbers([value.decode() for value in column._uniques])[refs]
    return facets


def _numbers(reader, name, size):
    if not reader.has_column(name):
        return np.zeros(size, dtype=np.int64)
    return _fixed_width(reader.column_reader(name, translate=False), size)


def _fixed_width(column, size):
    """A numeric column's values as an array (documents after the last value written take the default)."""
    count = min(column._count, size)
    values = np.full(size, column._default, dtype=np.int64)
    if count:
        raw = column._dbfile.get(column._basepos, count * column._fixedlen)
        values[:count] = np.frombuffer(raw, dtype=">" + column._typecode)
    return values


def _field_lengths(reader, name, size):
    column = reader._perdoc._cached_reader(_lenfield(name), LENGTHS_COLUMN)
    if column is None:
        return np.ones(size, dtype=np.float32)
    return _LENGTHS[_fixed_width(column, size)]


# Postings

class _Lru:
    """A bounded cache shared by the threads of a process: the least recently used entries go first."""

    def __init__(self, limit, size=lambda value: 1):
        self.limit, self.size, self.used, self.entries = limit, size, 0, OrderedDict()

    def get(self, key, compute):
        with _lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
                return found
        found = compute()
        with _lock:
            if key not in self.entries:
                self.entries[key] = found
                self.used += self.size(found)
            while self.used > self.limit and len(self.entries) > 1:
                self.used -= self.size(self.entries.popitem(last=False)[1])
        return found


HELD_CACHE_ENTRIES = 500_000
_held = _Lru(HELD_CACHE_ENTRIES)  # (segment key, field, term) -> how many of the segment's documents hold it
_postings = _Lru(POSTINGS_CACHE_BYTES, lambda found: found[0].nbytes + found[1].nbytes)  # -> (docnums, freqs)


def held_in(segment, fieldname, term):
    """How many documents of `segment` hold `term` (its term table's count, cached: it never changes)."""
    return _held.get((segment.key, fieldname, term), lambda: segment.reader.doc_frequency(fieldname, term))


def postings(segment, fieldname, term):
    """(docnums, frequencies) of `term` in `segment`, local document numbers in ascending order; deleted
    documents included (the caller masks them with `segment.live`)."""
    return _postings.get((segment.key, fieldname, term), lambda: _read_postings(segment.reader, fieldname, term))


def _read_postings(reader, fieldname, term):
    try:
        matcher = reader.postings(fieldname, term)
    except TermNotFound:
        return EMPTY_IDS, np.zeros(0, dtype=np.float32)
    if hasattr(matcher, "child"):  # without the deletion filter (`live` masks deletions), from the start
        matcher = matcher.child
        matcher.reset()
    if not isinstance(matcher, W3LeafMatcher):  # a term in one document is kept inline in the term table
        ids = np.fromiter(matcher.all_ids(), dtype=np.int64)
        matcher.reset()
        weights = np.array([_weight_of(matcher) for _ in ids], dtype=np.float32)
        return ids, weights
    deltas, weights, lengths = [], [], []
    while matcher.is_active():  # block by block: (ids as deltas from 0, weights, values) as the codec wrote them
        matcher._read_data()
        block_ids, block_weights = matcher._data[0], matcher._data[1]
        length = matcher._blocklength
        deltas.extend(block_ids)
        if block_weights is None or isinstance(block_weights, float):
            weights.extend([block_weights or 1.0] * length)
        else:
            weights.extend(block_weights)
        lengths.append(length)
        matcher._next_block()
    if not deltas:
        return EMPTY_IDS, np.zeros(0, dtype=np.float32)
    return _absolute(np.array(deltas, dtype=np.int64), lengths), np.array(weights, dtype=np.float32)


def _absolute(deltas, block_lengths):
    """Document numbers from per-block deltas (each block starts again from 0)."""
    running = np.cumsum(deltas)
    ends = np.cumsum(block_lengths)
    before = np.concatenate(([0], running[ends[:-1] - 1]))  # the running total where each block starts
    return running - np.repeat(before, block_lengths)


def _weight_of(matcher):
    weight = matcher.weight()
    matcher.next()
    return weight

