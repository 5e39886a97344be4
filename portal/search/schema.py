"""The fields of a complaint in the index.

Each text is indexed folded (stored, for highlights) and exact (`*_exact`, accents kept). Queries weigh the
title more than the body, and `details` (official, procedure, dossier, ward, agency) less (TEXT_FIELDS: boosts
at query time, which scale scores linearly, unlike index-time field boosts under BM25). Facets are lower-case
codes, sortable so that grouping reads them from columns. `version` is the complaint's row version: a
document whose version differs from the database is stale."""
from whoosh.fields import BOOLEAN, DATETIME, ID, STORED, TEXT, Schema

from portal.search.analysis import exact_analyzer, folded_analyzer

# Field -> query-time boost; the exact field of each pair is boosted again (searching.EXACT_BOOST).
TEXT_FIELDS = {"title": 3.0, "body": 1.0, "details": 0.5}
FACETS = ("kind", "status", "agency", "category", "problem_type", "ward")
KEYS = ("official", "procedure", "dossier")


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
        "created": DATETIME(stored=True, sortable=True),
        "due": DATETIME(stored=True, sortable=True),
    }
    for name in TEXT_FIELDS:
        fields[name] = TEXT(analyzer=folded, stored=name != "details")
        fields[f"{name}_exact"] = TEXT(analyzer=exact)
    for name in FACETS + KEYS:
        fields[name] = _facet()
    return Schema(**fields)
