"""The fields of a complaint in the index.

The texts are indexed folded, each in its own field (title and body stored, for highlights; `details` holds
the official, procedure, dossier, ward and agency), and title and body once more, accents kept, in `exact`.
Queries weigh the title more than the body and `details` less (TEXT_FIELDS: boosts at query time, which scale
scores linearly, unlike index-time field boosts under BM25), and `exact` above all (searching.EXACT_BOOST).
One exact field rather than one per text keeps rebuilds fast: every term of every field is a posting to
write, and Whoosh spends most of a rebuild on postings.

Facets are lower-case codes, sortable so that grouping reads them from columns. `version` is the complaint's
row version: a document whose version differs from the database is stale."""
from whoosh.fields import BOOLEAN, DATETIME, ID, STORED, TEXT, Schema

from portal.search.analysis import exact_analyzer, folded_analyzer

# Folded text field -> query-time boost.
TEXT_FIELDS = {"title": 3.0, "body": 1.0, "details": 0.5}
EXACT = "exact"  # title and body, accents kept
FACETS = ("kind", "status", "agency", "category", "problem_type", "ward")
KEYS = ("official", "procedure", "dossier")


class Moment(DATETIME):
    """A datetime indexed as 4 terms (16-bit steps) instead of Whoosh's 8: ranges over dates still need only a
    handful of terms per step, and every complaint has two of these."""

    def __init__(self, stored=False, sortable=False):
        super().__init__(stored=stored, sortable=sortable)
        self.shift_step = 16


def _facet():
    return ID(stored=True, sortable=True)


def build_schema():
    folded, exact = folded_analyzer(), exact_analyzer()
    fields = {
        "id": ID(stored=True, unique=True),
        "code": ID(stored=True),
        "version": STORED(),
        "agency_code": STORED(),  # as the directory spells it, for display; `agency` is the lower-case facet
        "accepted": BOOLEAN(stored=True),
        "open": BOOLEAN(stored=True),
        "created": Moment(stored=True, sortable=True),
        "due": Moment(stored=True, sortable=True),
    }
    for name in TEXT_FIELDS:
        fields[name] = TEXT(analyzer=folded, stored=name != "details")
    fields[EXACT] = TEXT(analyzer=exact)
    for name in FACETS + KEYS:
        fields[name] = _facet()
    return Schema(**fields)
