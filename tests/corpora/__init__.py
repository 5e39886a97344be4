"""Two corpora written for the personal-data detection (portal/cases/redaction.py), and its measure on them.

personal_data.txt: lines of residents' and officers' text with each item of personal data in {{ }}, spelled the
ways people write them. ordinary_text.txt: complaint and answer text with none, full of what looks like it
(streets named after people, wards, positions, amounts, dates, legal references). Lines starting with # are
comments."""
import re
from dataclasses import dataclass, field
from pathlib import Path

from portal.cases.redaction import PUBLIC, Known, personal_spans

FOLDER = Path(__file__).parent
ITEM = re.compile(r"\{\{(.+?)\}\}")


@dataclass
class Measure:
    lines: int = 0
    right: int = 0
    misses: list = field(default_factory=list)

    @property
    def rate(self):
        return self.right / self.lines if self.lines else 1.0


def corpus(name):
    return [line for line in (FOLDER / name).read_text("utf-8").splitlines() if line.strip() and
            not line.startswith("#")]


def items_of(line):
    """(the text without braces, [(start, end) of each item])."""
    text, items, offset = "", [], 0
    for match in ITEM.finditer(line):
        text += line[offset:match.start()]
        items.append((len(text), len(text) + len(match.group(1))))
        text += match.group(1)
        offset = match.end()
    return text + line[offset:], items


def recall():
    """Lines of personal data whose every item the public detection covers whole."""
    measure = Measure()
    for line in corpus("personal_data.txt"):
        text, items = items_of(line)
        spans = personal_spans(text, Known(), PUBLIC)
        covered = set().union(*(range(span.start, span.end) for span in spans)) if spans else set()
        measure.lines += 1
        missed = [text[start:end] for start, end in items if not set(range(start, end)) <= covered]
        if missed:
            measure.misses.append((line, missed))
        else:
            measure.right += 1
    return measure


def precision():
    """Lines of ordinary text the public detection leaves whole."""
    measure = Measure()
    for text in corpus("ordinary_text.txt"):
        found = [text[span.start:span.end] for span in personal_spans(text, Known(), PUBLIC)]
        measure.lines += 1
        if found:
            measure.misses.append((text, found))
        else:
            measure.right += 1
    return measure
