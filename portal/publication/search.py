"""The public search over the published answers: the query read as staff queries are (portal/search/query.py),
the folded words deciding what matches and the accented words typed ranking the exact spelling first.

The index gives ids only; the answers shown are read from the database through the publication rule, so an
index a worker round behind never shows what stopped being public."""
from whoosh.query import AndMaybe, Or, Prefix, Term

from portal.paging import Page
from portal.publication.answers import PER_PAGE, Memo, public_answers, published_complaints
from portal.publication.index import open_index, version
from portal.search.query import parse
from portal.search.schema import EXACT
from portal.search.searching import EXACT_BOOST


def search_answers(text, page, per_page=PER_PAGE):
    """Page `page` of the published answers matching `text`, best first; None when the index cannot be read
    (not built yet: the worker builds it)."""
    parsed = parse(text)
    if parsed.query is None:
        return Page([], 1, per_page, 0)
    ix = open_index()
    if ix is None:
        return None
    key = (text, page, per_page, version(ix))
    page, ids, total = _found.get(key) or _found.remember(key, _search(ix, parsed, page, per_page))
    shown = published_complaints(ids)
    # The index may still hold an answer taken off since (until the worker's round): it is not counted either.
    return Page(public_answers(shown), page, per_page, total - (len(ids) - len(shown)))


_found = Memo(500)  # the pages of the queries asked lately, while the index stays as it was


def _search(ix, parsed, page, per_page):
    """(the page, the ids on it, how many match): scoring every match of a common word takes Whoosh a while."""
    with ix.searcher() as searcher:
        found = searcher.search(_ranked(parsed), limit=page * per_page)
        total = len(found)
        page = min(page, Page([], page, per_page, total).pages)
        return page, [int(hit["id"]) for hit in found[(page - 1) * per_page:page * per_page]], total


def _ranked(parsed):
    """The query, raised where the accented words typed are written so."""
    exact = [Prefix(EXACT, word, boost=EXACT_BOOST) if prefix else Term(EXACT, word, boost=EXACT_BOOST)
             for word, prefix in parsed.exact]
    return AndMaybe(parsed.query, Or(exact)) if exact else parsed.query
