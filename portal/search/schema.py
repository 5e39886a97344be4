"""The fields of a complaint in the index.

Searching reads the index with numpy (portal.search.segments), so the layout is made for that:
- `text` holds the folded words of the title (twice: a word of the title weighs more), the details (official,
  procedure, dossier, ward, agency) and the body, with frequencies but no positions: posting blocks without
  positions decode about fifteen times faster, and each posting costs a rebuild time.
- `exact` holds only the words written with accents, NFC and lower case: an unaccented word is the same
  folded or not, so it would add postings and nothing to rank by.
- `phrase` is a column with the folded words joined by spaces: phrase queries are checked against it.
- Facets and dates are columns, read whole into arrays, not indexed: counting and filtering happen on arrays.
- `official`, `procedure` and `dossier` are indexed keys (one posting each): filters and similar complaints
  look them up.
`version` is the complaint's row version: a document whose version differs from the database is stale."""
from collections import Counter

from whoosh import columns
from whoosh.fields import COLUMN, ID, STORED, TEXT, Schema
from whoosh.formats import Frequency
from whoosh.system import pack_uint

from portal.search.analysis import accented_analyzer, folded_analyzer

TEXT_FIELD, EXACT, PHRASE = "text", "exact", "phrase"
FACETS = ("kind", "status", "agency", "category", "problem_type", "ward")
KEYS = ("official", "procedure", "dossier")
MOMENTS = ("created", "due")  # seconds since the epoch, UTC; 0 when there is none
FLAGS = ("accepted", "open")


class WordCounts(Frequency):
    """Whoosh's Frequency format, counted from the analyzer's list of words rather than its token objects
    (a third of a rebuild went to tokens)."""

    def word_values(self, value, analyzer, **kwargs):
        boost = self.field_boost
        return ((word, n, n * boost, pack_uint(n)) for word, n in Counter(analyzer.words_of(value)).items())


class CountedText(TEXT):
    """A text field of word counts without positions."""

    def __init__(self, analyzer):
        super().__init__(analyzer=analyzer, phrase=False)
        self.format = WordCounts()


def build_schema():
    fields = {
        "id": ID(stored=True, unique=True),
        "code": ID(stored=True),
        "version": STORED(),
        "agency_code": STORED(),  # as the directory spells it, for display; `agency` is the lower-case facet
        "title": STORED(),
        "body": STORED(),
        TEXT_FIELD: CountedText(folded_analyzer()),
        EXACT: CountedText(accented_analyzer()),
        PHRASE: COLUMN(columns.VarBytesColumn()),
    }
    for name in FACETS:
        fields[name] = COLUMN(columns.RefBytesColumn())
    for name in KEYS:
        fields[name] = ID()
    for name in MOMENTS:
        fields[name] = COLUMN(columns.NumericColumn("q", default=0))
    for name in FLAGS:
        fields[name] = COLUMN(columns.NumericColumn("B", default=0))
    return Schema(**fields)
