"""What staff type into the search box, read as text first.

People type questions and sentences ("tại sao?", "đất đai?", "hồ sơ, giấy phép"), so punctuation is never
syntax: it separates words. Four operators remain, each in a form nobody types by accident:

- "quoted words": the words side by side;
- word* at the end of a word of three letters or more: the words that start so;
- -word or -"quoted words" (a minus stuck to the start), or NOT in capitals before a word: without it;
- OR in capitals between two words: either (AND in capitals is what words do anyway).

Whatever is left over (an unclosed quote, a lone OR, a `?` or `*` inside a word) is read as plain words, so a
query is never refused. The result is a Whoosh query tree, evaluated on arrays by portal.search.matching."""
import re
from dataclasses import dataclass, field

from whoosh.query import And, Not, Or, Phrase, Prefix, Term

from portal.search.analysis import WORD, fold_word, has_accents, nfc
from portal.search.schema import TEXT_FIELD

MIN_PREFIX = 3  # "c*" would stand for hundreds of words and rarely what was meant
_PIECE = re.compile(r'(-?)"([^"]*)"|(\S+)')  # a closed quote, or a run of anything but spaces
_WORD = re.compile(WORD)
_PREFIX = re.compile(rf"({WORD})\*")
_KEYWORDS = frozenset({"AND", "OR", "NOT"})


@dataclass
class Clause:
    node: object  # a Whoosh query over the folded text field
    typed: list = field(default_factory=list)  # (word as typed, NFC lower case; is a prefix)
    negated: bool = False


@dataclass
class Parsed:
    query: object  # None when nothing was typed that can be searched
    exact: list  # (accented word, is a prefix): the words that rank the accurate spelling first


def parse(text):
    """The query tree for `text` and the accented words it asks for."""
    clauses = _combine(_pieces(nfc(text or "")))
    positive = [clause for clause in clauses if not clause.negated]
    nodes = [clause.node for clause in positive] + [Not(clause.node) for clause in clauses if clause.negated]
    if not nodes:
        return Parsed(None, [])
    query = nodes[0] if len(nodes) == 1 and positive else And(nodes)
    exact = [(word, prefix) for clause in positive for word, prefix in clause.typed if has_accents(word)]
    return Parsed(query, list(dict.fromkeys(exact)))


def _pieces(text):
    """Clauses and the keywords between them, in the order typed."""
    for match in _PIECE.finditer(text):
        negated, quoted, run = match.groups()
        if quoted is not None:
            clause = _words_clause(quoted, phrase=True)
            if clause:
                clause.negated = bool(negated)
                yield clause
        elif run in _KEYWORDS:
            yield run
        else:
            clause = _run_clause(run)
            if clause:
                yield clause


def _run_clause(run):
    negated = run.startswith("-") and len(run) > 1
    body = run[1:] if negated else run
    prefix = _PREFIX.fullmatch(body)
    if prefix and len(fold_word(prefix.group(1).lower())) >= MIN_PREFIX:
        word = prefix.group(1).lower()
        return Clause(Prefix(TEXT_FIELD, fold_word(word)), [(word, True)], negated)
    clause = _words_clause(body, phrase=negated)  # "-đất-đai": without the two words side by side
    if clause:
        clause.negated = negated
    return clause


def _words_clause(text, phrase):
    typed = _WORD.findall(text.lower())
    if not typed:
        return None
    folded = [fold_word(word) for word in typed]
    if len(folded) == 1:
        node = Term(TEXT_FIELD, folded[0])
    else:
        node = Phrase(TEXT_FIELD, folded) if phrase else And([Term(TEXT_FIELD, word) for word in folded])
    return Clause(node, [(word, False) for word in typed])


def _combine(pieces):
    """Apply NOT and OR where they stand between clauses; drop them (and AND) anywhere else."""
    clauses, negate_next, either = [], False, False
    for piece in pieces:
        if isinstance(piece, str):
            negate_next = piece == "NOT"
            either = piece == "OR" and bool(clauses) and not clauses[-1].negated
            continue
        piece.negated = piece.negated or negate_next
        if either and not piece.negated:
            last = clauses[-1]
            children = list(last.node.subqueries) if isinstance(last.node, Or) else [last.node]
            clauses[-1] = Clause(Or([*children, piece.node]), last.typed + piece.typed)
        else:
            clauses.append(piece)
        negate_next = either = False
    return clauses
