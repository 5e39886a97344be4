"""Vietnamese text folded for comparison: NFC, lower case, no diacritics, đ → d, single spaces."""
import re
import unicodedata


def fold(text):
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text or "").lower())
    bare = "".join(char for char in decomposed if unicodedata.category(char) != "Mn").replace("đ", "d")
    return re.sub(r"\s+", " ", bare).strip()
