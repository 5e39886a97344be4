"""Staff search over the index: text with or without accents, filters, facets, and similar complaints.

What a user may find follows the same rule as the case pages (portal.cases.visibility): roles that follow every
agency search everything; agency staff only their agency's accepted cases; anyone else nothing. The rule is a
mask over every segment, applied with the filters to every query, so no query text can reach past it.

The query is read as text (portal.search.query) into a Whoosh query tree, evaluated on arrays
(portal.search.matching): the folded text decides what matches, and the accented words typed raise the documents
that hold them as written."""
import logging
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from markupsafe import Markup
from whoosh.query import And, Not, Phrase, Prefix, Term, Wildcard

from portal.accounts.roles import Permission
from portal.domain.text import fold, official_key, procedure_key
from portal.search.analysis import words
from portal.search.documents import keys, seconds, visible_text
from portal.search.matching import Matches, Unsupported, alive, boost_by, evaluate, expansion, term, unite
from portal.search.query import parse
from portal.search.schema import EXACT, FACETS, TEXT_FIELD
from portal.search.segments import VOCABULARIES, postings, snapshot
from portal.search.snippets import snippet
from portal.search.store import IndexUnavailable, searcher
from portal.search.telling import telling_terms
from portal.timeutil import HANOI, utcnow

log = logging.getLogger(__name__)

EXACT_BOOST = 2.0  # the accurate spelling, typed with its accents, ranks first
MAX_PER_PAGE = 5_000  # an export takes its rows in one page
SIMILAR_BOOSTS = {"official": 3.0, "dossier": 3.0, "procedure": 1.5}
SIMILAR_TERMS = 12  # the most telling words of the text: more costs time and adds little
MAX_CANDIDATES = 5_000  # per telling word or key: the newest documents holding it


@dataclass
class Hit:
    id: int
    code: str
    kind: str
    status: str
    agency: str
    category: str
    created: datetime | None
    title: str
    highlight: Markup
    score: float | None


@dataclass
class SearchResults:
    total: int = 0
    hits: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)  # facet -> {code: count}
    page: int = 1
    per_page: int = 20
    pages: int = 0
    unavailable: bool = False  # the index could not be read (the worker rebuilds it)


@dataclass(frozen=True)
class Similar:
    id: int
    code: str
    score: float
    reason: tuple  # which of "official", "procedure", "dossier" the two complaints share


def visibility(user):
    """(allowed, rule): what `user` may find. The rule gives a segment's mask of visible documents (None: all of
    them)."""
    if user is None or not getattr(user, "is_authenticated", True):
        return False, None
    if user.can(Permission.VIEW_ALL_CASES):
        return True, None
    if user.can(Permission.HANDLE_CASES) and user.agency is not None:
        agency = user.agency.code.lower()
        return True, lambda segment: _facet_mask(segment, "agency", [agency]) & segment.flags["accepted"]
    return False, None


def search(user, query_text, filters=None, sort="relevance", page=1, per_page=20):
    """One page of the complaints `user` may see that match `query_text` and `filters`, with facet counts.
    An empty query lists everything visible, newest first."""
    page, per_page = max(1, int(page)), min(max(1, int(per_page)), MAX_PER_PAGE)
    empty = SearchResults(page=page, per_page=per_page)
    allowed, visible = visibility(user)
    if not allowed:
        return empty
    rules = [rule for rule in (visible, *filter_rules(filters or {})) if rule is not None]
    try:
        with searcher() as reader:
            view = snapshot(reader)
            parsed = parse(query_text)
            query = parsed.query
            found = _matching(view, parsed, query_text, rules)
            newest = sort == "newest" or query is None
            return _results(view, found, query, newest, page, per_page)
    except Exception as error:  # a missing or damaged index: the worker rebuilds it; searching must not fail
        _unavailable(error)
        empty.unavailable = True
        return empty


def _unavailable(error):
    if isinstance(error, IndexUnavailable):
        log.warning("search unavailable: %s", error)
    else:
        log.exception("search failed; the index may be damaged (the worker rebuilds it)")


def _matching(view, parsed, query_text, rules):
    """[(segment, Matches)]: per segment, the visible documents matching the query and the filters."""
    query, boosts = parsed.query, parsed.exact
    found = []
    for segment in view.segments:
        try:
            matches = evaluate(query or _EVERYTHING, segment, view)
        except Unsupported as error:
            log.info("query %r not evaluated (%s); searching its plain words", query_text, error)
            matches = evaluate(plain_terms(query_text) or _EVERYTHING, segment, view)
        if boosts and len(matches):
            matches = boost_by(matches, unite([_exact(segment, view, word, prefix) for word, prefix in boosts]))
        for rule in rules:
            matches = matches.where(rule(segment)[matches.ids])
        found.append((segment, matches))
    return found


def _exact(segment, view, word, prefix):
    texts = expansion(Prefix(EXACT, word), view) if prefix else [word]
    return unite([term(segment, view, EXACT, text, EXACT_BOOST) for text in texts])


def _results(view, found, query, newest, page, per_page):
    total = sum(len(matches) for _, matches in found)
    pages = math.ceil(total / per_page)
    page = min(page, pages) if total else page
    results = SearchResults(total=total, page=page, per_page=per_page, pages=pages, facets=_facet_counts(found))
    if total:
        terms = highlight_terms(query, view)
        results.hits = [_hit(view, docnum, score, terms) for docnum, score in
                        _ranked(found, newest, (page - 1) * per_page, page * per_page)]
    return results


def _ranked(found, newest, start, stop):
    """(searcher document number, score) of the results from `start` to `stop`: by score then newest first,
    or newest first. Only the documents that can reach the page are sorted."""
    docnums = np.concatenate([matches.ids + segment.offset for segment, matches in found])
    scores = np.concatenate([matches.scores for _, matches in found])
    created = np.concatenate([segment.moments["created"][matches.ids] for segment, matches in found])
    first, second = (created, scores) if newest else (scores, created)
    if stop < len(first):  # everything tied with the last place on the page stays in the running
        threshold = np.partition(first, len(first) - stop)[len(first) - stop]
        running = np.flatnonzero(first >= threshold)
        docnums, scores, first, second = docnums[running], scores[running], first[running], second[running]
    order = np.lexsort((-docnums, -second, -first))[start:stop]
    return [(int(docnums[i]), float(scores[i])) for i in order]


def _facet_counts(found):
    counts = {name: {} for name in FACETS}
    for name in FACETS if found else ():
        numbers = np.concatenate([segment.facets[name][matches.ids] for segment, matches in found])
        tally, values = np.bincount(numbers), VOCABULARIES[name].values
        counts[name] = {values[n]: int(tally[n]) for n in np.flatnonzero(tally) if values[n]}
    return counts


def _hit(view, docnum, score, terms):
    stored = view.searcher.stored_fields(docnum)
    segment = _segment_of(view, docnum)
    local = docnum - segment.offset
    created = int(segment.moments["created"][local])
    return Hit(id=int(stored["id"]), code=stored.get("code", ""),
               kind=segment.facet("kind", local), status=segment.facet("status", local),
               agency=stored.get("agency_code", ""), category=segment.facet("category", local),
               created=datetime.fromtimestamp(created, UTC) if created else None,
               title=stored.get("title", ""), highlight=snippet((stored.get("body"), stored.get("title")), terms),
               score=score)


def highlight_terms(query, view):
    """The folded words a query looks for (prefixes expanded), to mark in the snippets."""
    found = set()
    for node in _parts(query, skip=Not) if query is not None else ():
        if isinstance(node, Term) and node.fieldname == TEXT_FIELD:
            found.add(node.text)
        elif isinstance(node, Phrase):
            found.update(node.words)
        elif isinstance(node, (Prefix, Wildcard)):
            found.update(expansion(node, view))
    return frozenset(found)


# The query

_EVERYTHING = And([])  # evaluates to every live document


def _parts(query, skip=()):
    yield query
    for child in query.children():
        if not isinstance(child, skip):
            yield from _parts(child, skip)


def plain_terms(query_text):
    """Every word of the query, folded: what a query the evaluator does not know becomes."""
    terms = words(query_text or "")
    return And([Term(TEXT_FIELD, word) for word in dict.fromkeys(terms)]) if terms else None


# Filters

def filter_rules(filters):
    """Masks for the filters of the search form: codes (one or several), the official's key, the procedure,
    the dossier, the dates filed (`date_from`, `date_to`, Hanoi days) and `overdue`."""
    rules = [_facet_rule(name, _values(filters.get(name), str.lower)) for name in FACETS]
    rules.append(_key_rule("official", _values(filters.get("official"), str, official_key)))  # a key or a name
    rules.append(_key_rule("procedure", _values(filters.get("procedure"), str, procedure_key)))
    rules.append(_key_rule("dossier", _values(filters.get("dossier"), fold)))
    start, end = _moment(filters.get("date_from")), _moment(filters.get("date_to"), end=True)
    if start or end:
        rules.append(lambda segment: _between(segment.moments["created"], start, end))
    if filters.get("overdue"):
        now = seconds(utcnow())
        rules.append(lambda segment: segment.flags["open"] & _between(segment.moments["due"], 1, now))
    return [rule for rule in rules if rule is not None]


def _values(values, *normalisations):
    if not values:
        return []
    values = [values] if isinstance(values, str) else list(values)
    return [text for text in dict.fromkeys(
        normalise(value) for value in values if value for normalise in normalisations) if text]


def _facet_rule(name, values):
    return (lambda segment: _facet_mask(segment, name, values)) if values else None


def _facet_mask(segment, name, values):
    vocabulary = VOCABULARIES[name].values
    return np.isin(segment.facets[name], [n for n, value in enumerate(vocabulary) if value in values])


def _key_rule(name, values):
    if not values:
        return None

    def mask(segment):
        found = np.zeros(segment.size, dtype=bool)
        for value in values:
            found[postings(segment, name, value)[0]] = True
        return found
    return mask


def _between(values, start, end):
    """start <= values < end, either bound optional (seconds)."""
    keep = np.ones(len(values), dtype=bool)
    if start is not None:
        keep &= values >= start
    if end is not None:
        keep &= values < end
    return keep


def _moment(value, end=False):
    """Seconds since the epoch for a filter bound: a date is a whole day in Hanoi (`date_to` included). A date
    that cannot be read (typed into a URL) sets no bound."""
    if not value:
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            return None
    if not isinstance(value, datetime):
        value = datetime.combine(value + timedelta(days=1) if end else value, time.min, tzinfo=HANOI)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return seconds(value)


# Similar complaints

def similar(complaint, user, limit=5):
    """The other complaints `user` may see that read most like `complaint` (its key terms), ranked higher when
    they name the same official, procedure or dossier. Returns [Similar(id, code, score, reason)]."""
    allowed, visible = visibility(user)
    if not allowed:
        return []
    named = {name: value for name, value in keys(complaint).items() if value}
    try:
        with searcher() as reader:
            view = snapshot(reader)
            title, body = visible_text(complaint)
            telling = telling_terms(view, f"{title}\n{body}", SIMILAR_TERMS)
            if not (telling or named) or not view.segments:
                return []
            return _most_similar(view, complaint.id, telling, named, visible, limit)
    except Exception as error:
        _unavailable(error)
        return []


def _most_similar(view, complaint_id, telling, named, visible, limit):
    """The candidates are the newest MAX_CANDIDATES documents holding each telling word or key: the segments are
    read newest first, and a word that has given its share gives no more (a common word would otherwise bring
    every complaint that ever used it, and the cost would grow with each one filed). Only documents the viewer may
    see count towards a share, so what others filed can never push the viewer's own candidates out."""
    own = view.searcher.document_number(id=str(complaint_id))
    wanted = [(TEXT_FIELD, text, weight) for text, weight in telling]
    wanted += [(name, value, SIMILAR_BOOSTS[name]) for name, value in named.items()]
    left = dict.fromkeys(((field_, text) for field_, text, _ in wanted), MAX_CANDIDATES)
    found, shared = [], {}
    for segment in reversed(view.segments):
        parts = {}
        for field_, text, weight in wanted:
            if left[field_, text] > 0:
                seen = _visible_to(alive(_without(term(segment, view, field_, text, weight), segment, own), segment),
                                   segment, visible)
                parts[field_, text] = _newest(seen, left[field_, text])
                left[field_, text] -= len(parts[field_, text])
        found.append((segment, unite(list(parts.values()))))
        shared[segment.key] = {name: parts.get((name, value), Matches.none()) for name, value in named.items()}
    results = []
    for docnum, score in _ranked(found, False, 0, limit):
        segment = _segment_of(view, docnum)
        stored = view.searcher.stored_fields(docnum)
        reason = tuple(name for name, matches in shared[segment.key].items()
                       if _holds(matches.ids, docnum - segment.offset))
        results.append(Similar(id=int(stored["id"]), code=stored["code"], score=score, reason=reason))
    return results


def _newest(matches, count):
    """The last `count` matches: local ids ascend, so these are the newest documents."""
    return matches if len(matches) <= count else Matches(matches.ids[-count:], matches.scores[-count:])


def _without(matches, segment, docnum):
    if docnum is None or not segment.offset <= docnum < segment.offset + segment.size:
        return matches
    return matches.where(matches.ids != docnum - segment.offset)


def _holds(ids, local):
    at = np.searchsorted(ids, local)
    return bool(at < len(ids) and ids[at] == local)


def _segment_of(view, docnum):
    return next(segment for segment in reversed(view.segments) if segment.offset <= docnum)


def _visible_to(found, segment, visible):
    if visible is None:
        return found
    return found.where(visible(segment)[found.ids])
