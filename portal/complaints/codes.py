"""Tracking codes such as HN-2026-7KQ4M: short, read aloud over the phone without confusion.

The alphabet is Crockford's base 32 (no I, L, O, U), and what a resident types is read leniently: lower case,
spaces, O for 0 and I or L for 1 all find the same case.

The tracking code belongs to the resident; staff pages of the agencies name a case by its reference instead."""
import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 5
REFERENCE_LENGTH = 6
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
_SHAPE = re.compile(r"^HN-?(\d{4})-?([0-9A-Z]{5})$")


def new_code(year, choice=secrets.choice):
    """A new code for `year`; `choice` draws each character (the demo passes a seeded generator's)."""
    return f"HN-{year}-" + "".join(choice(ALPHABET) for _ in range(LENGTH))


def new_reference(year, choice=secrets.choice):
    """A staff reference for a new case, such as VV-2026-3H7K2Q: drawn independently of the tracking code, so
    that the one cannot be worked out from the other (staff of the agency see only the reference)."""
    return f"VV-{year}-" + "".join(choice(ALPHABET) for _ in range(REFERENCE_LENGTH))


def new_inspection_reference(year, choice=secrets.choice):
    """An inspection case's reference, such as TT-2026-8Q2M4K (thanh tra, kiểm tra); staff only."""
    return f"TT-{year}-" + "".join(choice(ALPHABET) for _ in range(REFERENCE_LENGTH))


def normalise(typed):
    """The canonical form of a code as typed, or None when it cannot be one."""
    compact = re.sub(r"[\s_.–—]+", "", (typed or "").upper()).replace("--", "-")
    match = _SHAPE.match(compact)
    if not match:
        return None
    return f"HN-{match.group(1)}-{match.group(2).translate(_CONFUSABLE)}"
