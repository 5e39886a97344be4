"""The personal-data detection (portal/cases/redaction.py) measured on the two corpora of tests/corpora: recall on
the lines of personal data (every item covered whole), precision on ordinary complaint text (lines left whole),
against the targets, and its time per line beside a baseline measured in the same run: folding the same lines
(portal.domain.text.fold), the least any reading of them costs."""
import time

from portal.cases.redaction import PUBLIC, Known, personal_spans
from portal.domain.text import fold
from tests.corpora import corpus, precision, recall

RECALL_TARGET, PRECISION_TARGET = 0.99, 0.95
ROUNDS = 5


def run():
    found, kept = recall(), precision()
    print(f"   recall on {found.lines} lines of personal data     {found.rate:7.1%}   target >= {RECALL_TARGET:.0%}")
    print(f"   precision on {kept.lines} lines of ordinary text   {kept.rate:7.1%}   target >= {PRECISION_TARGET:.0%}")
    for line, missed in found.misses:
        print(f"     missed {missed}: {line}")
    for line, taken in kept.misses:
        print(f"     taken {taken}: {line}")
    lines = corpus("personal_data.txt") + corpus("ordinary_text.txt")
    baseline = _per_line(lines, fold)
    detection = _per_line(lines, lambda text: personal_spans(text, Known(), PUBLIC))
    print(f"   detection per line {detection * 1e6:10.1f} µs   {detection / baseline:8.1f}x baseline "
          "(folding the line)")


def _per_line(lines, function):
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for text in lines:
            function(text)
        best = min(best, (time.perf_counter() - start) / len(lines))
    return best


if __name__ == "__main__":
    run()
