"""Staff search over the index: text with or without accents, filters, facets, and similar complaints.

What a user may find follows the same rule as the case pages (portal.cases.visibility): roles that follow every
agency search everything; agency staff only their agency's accepted cases; anyone else nothing. The rule is
applied as a filter on every query, so no query text can reach past it."""
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from markupsafe import Markup, escape
from whoosh import highlight, sorting
from whoosh.qparser import FieldsPlugin, MultifieldParser, QueryParser, RangePlugin
from whoosh.query import And, AndMaybe, DateRange, Every, NullQuery, Or, Term

from portal.accounts.roles import Permission
from portal.domain.text import fold, official_key, procedure_key
from portal.search.analysis import exact_query, folded_query, words
from portal.search.documents import keys, naive_utc, visible_text
from portal.search.schema import EXACT, FACETS, TEXT_FIELDS
from portal.search.store import IndexUnavailable, searcher
from portal.timeutil import HANOI, utcnow

log = logging.getLogger(__name__)

EXACT_BOOST = 2.0  # the accurate spelling, typed with its accents, ranks first
MAX_PER_PAGE = 5_000  # an export takes its rows in one page
SNIPPET_CHARS = 200
CODE_FILTERS = ("kind", "status", "agency", "category", "problem_type", "ward")
SIMILAR_BOOSTS = {"official": 3.0, "dossier": 3.0, "procedure": 1.5}
SIMILAR_TERMS = 8  # the most telling words of each field: more costs time (every one is a posting list) and adds little


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


def visibility_filter(user):
    """(allowed, query): the documents `user` may find; query None means all of them."""
    if user is None or not getattr(user, "is_authenticated", True):
        return False, None
    if user.can(Permission.VIEW_ALL_CASES):
        return True, None
    if user.can(Permission.HANDLE_CASES) and user.agency is not None:
        return True, And([Term("agency", user.agency.code.lower()), Term("accepted", True)])
    return False, None


def search(user, query_text, filters=None, sort="relevance", page=1, per_page=20):
    """One page of the complaints `user` may see that match `query_text` and `filters`, with facet counts.
    An empty query lists everything visible, newest first."""
    page, per_page = max(1, int(page)), min(max(1, int(per_page)), MAX_PER_PAGE)
    empty = SearchResults(page=page, per_page=per_page)
    allowed, visible = visibility_filter(user)
    if not allowed:
        return empty
    restrict = _combine([visible, *filter_queries(filters or {})])
    try:
        with searcher() as reader:
            query = text_query(reader.schema, query_text)
            newest = sort == "newest" or query is None
            results = _run(reader, query, restrict, newest, page, per_page, query_text)
            return _collect(results, page, per_page)
    except Exception as error:  # a missing or damaged index: the worker rebuilds it; searching must not fail
        _unavailable(error)
        empty.unavailable = True
        return empty


def _unavailable(error):
    if isinstance(error, IndexUnavailable):
        log.warning("search unavailable: %s", error)
    else:
        log.exception("search failed; the index may be damaged (the worker rebuilds it)")


def _run(reader, query, restrict, newest, page, per_page, query_text):
    options = {"filter": restrict, "groupedby": _facets(),
               "sortedby": sorting.FieldFacet("created", reverse=True) if newest else None}
    try:
        return reader.search_page(query or Every(), page, pagelen=per_page, **options)
    except Exception as error:  # a query the parser let through but the searcher refuses
        log.info("query %r failed (%s); searching its plain words", query_text, error)
        return reader.search_page(plain_terms(query_text) or Every(), page, pagelen=per_page, **options)


def _facets():
    return {name: sorting.FieldFacet(name, maptype=sorting.Count) for name in FACETS}


def _collect(results, page, per_page):
    found = SearchResults(total=results.total, page=results.pagenum if results.total else page, per_page=per_page,
                          pages=results.pagecount, facets=_facet_counts(results.results))
    if results.total:
        results.results.fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=40)
        results.results.formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
        found.hits = [_hit(hit) for hit in results]
    return found


def _facet_counts(results):
    counts = {}
    for name in FACETS:
        groups = results.groups(name)
        counts[name] = {_text(key): count for key, count in groups.items() if key not in (None, "", b"")}
    return counts


def _text(key):
    return key.decode() if isinstance(key, bytes) else str(key)


def _hit(hit):
    stored = hit.fields()
    created = stored.get("created")
    return Hit(id=int(stored["id"]), code=stored.get("code", ""), kind=stored.get("kind", ""),
               status=stored.get("status", ""), agency=stored.get("agency_code", ""),
               category=stored.get("category", ""), created=created.replace(tzinfo=UTC) if created else None,
               title=stored.get("title", ""), highlight=_snippet(hit, stored), score=hit.score)


def _snippet(hit, stored):
    """The matching passages of the text the index holds (for a tố cáo, the redacted text), HTML-escaped with
    the matches in <mark>; the start of the text when nothing in it matched."""
    for name in ("body", "title"):
        if stored.get(name):
            marked = hit.highlights(name, top=2)
            if marked:
                return Markup(marked)
    text = stored.get("body") or stored.get("title") or ""
    return escape(text[:SNIPPET_CHARS] + ("…" if len(text) > SNIPPET_CHARS else ""))


# The query

def _parser(schema, exact=False):
    if exact:
        parser = QueryParser(EXACT, schema)
    else:
        parser = MultifieldParser(list(TEXT_FIELDS), schema, fieldboosts=TEXT_FIELDS)
    parser.remove_plugin_class(FieldsPlugin)  # "title:x" or a colon in a sentence is just text
    parser.remove_plugin_class(RangePlugin)
    return parser


def text_query(schema, query_text):
    """The query for `query_text`: the folded fields find, the exact field (boosted) ranks the accurate
    spelling first. None when it has no words (an empty box, a lone `*`); a malformed query falls back to its
    plain words."""
    if not words(query_text or ""):
        return None
    try:
        folded = _parser(schema).parse(folded_query(query_text))
        exact = _parser(schema, exact=True).parse(exact_query(query_text))
    except Exception as error:
        log.info("query %r not understood (%s); searching its plain words", query_text, error)
        return plain_terms(query_text)
    if _broken(folded) or _broken(exact):
        return plain_terms(query_text)
    return AndMaybe(folded, exact.with_boost(EXACT_BOOST))  # the folded query decides, the exact one ranks


def _broken(query):
    """The parser reports what it could not read as a NullQuery or a part with an `error`."""
    return query is None or query is NullQuery or any(
        part is NullQuery or getattr(part, "error", None) for part in _parts(query))


def _parts(query):
    yield query
    for child in query.children():
        yield from _parts(child)


def plain_terms(query_text):
    """Every word of the query, in any text field, folded: what a query the parser cannot read becomes."""
    terms = words(query_text or "")
    if not terms:
        return None
    return And([Or([Term(name, word, boost=boost) for name, boost in TEXT_FIELDS.items()]) for word in terms])


# Filters

def filter_queries(filters):
    """Queries for the filters of the search form: codes (one or several), the official's key, the procedure,
    the dates filed (`date_from`, `date_to`, Hanoi days) and `overdue`."""
    queries = []
    for name in CODE_FILTERS:
        queries.append(_any_of(name, filters.get(name), str.lower))
    queries.append(_any_of("official", filters.get("official"), str, official_key))  # a key, or a name as typed
    queries.append(_any_of("procedure", filters.get("procedure"), str, procedure_key))
    queries.append(_any_of("dossier", filters.get("dossier"), fold))
    start, end = _moment(filters.get("date_from")), _moment(filters.get("date_to"), end=True)
    if start or end:
        queries.append(DateRange("created", start, end, endexcl=end is not None))
    if filters.get("overdue"):
        queries.append(And([Term("open", True), DateRange("due", None, naive_utc(utcnow()), endexcl=True)]))
    return [q for q in queries if q is not None]


def _any_of(name, values, *normalisations):
    if not values:
        return None
    values = [values] if isinstance(values, str) else list(values)
    terms = [Term(name, text) for text in dict.fromkeys(
        normalise(value) for value in values if value for normalise in normalisations) if text]
    return Or(terms) if len(terms) > 1 else (terms[0] if terms else None)


def _moment(value, end=False):
    """A naive UTC datetime for a filter bound: a date is a whole day in Hanoi (`date_to` included). A date
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
    return naive_utc(value)


def _combine(queries):
    queries = [q for q in queries if q is not None]
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else And(queries)


# Similar complaints

def similar(complaint, user, limit=5):
    """The other complaints `user` may see that read most like `complaint` (its key terms), ranked higher when
    they name the same official, procedure or dossier. Returns [Similar(id, code, score, reason)]."""
    allowed, visible = visibility_filter(user)
    if not allowed:
        return []
    named = _keys(complaint)
    try:
        with searcher() as reader:
            query = _similar_query(reader, complaint, named) if reader.doc_count() else None
            if query is None:
                return []
            results = reader.search(query, limit=limit, filter=visible, mask=Term("id", str(complaint.id)))
            return [Similar(id=int(hit["id"]), code=hit["code"], score=hit.score,
                            reason=tuple(name for name, value in named.items() if hit.get(name) == value))
                    for hit in results]
    except Exception as error:
        _unavailable(error)
        return []


def _keys(complaint):
    return {name: value for name, value in keys(complaint).items() if value}


def _similar_query(reader, complaint, named):
    title, body = visible_text(complaint)
    text = f"{title}\n{body}"
    subqueries = []
    if words(text):
        for name in ("title", "body"):
            for term, weight in reader.key_terms_from_text(name, text, numterms=SIMILAR_TERMS):
                subqueries.append(Term(name, term, boost=weight * TEXT_FIELDS[name]))
    subqueries += [Term(name, value, boost=SIMILAR_BOOSTS[name]) for name, value in named.items()]
    return Or(subqueries) if subqueries else None
