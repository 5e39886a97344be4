"""Vietnamese text folded for comparison: NFC, lower case, no diacritics, đ → d, single spaces."""
import re
import unicodedata


def fold(text):
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text or "").lower())
    bare = "".join(char for char in decomposed if unicodedata.category(char) != "Mn").replace("đ", "d")
    return re.sub(r"\s+", " ", bare).strip()


HONORIFICS = {"ong", "ba", "anh", "chi", "co", "chu", "bac", "dong", "dc", "mr", "mrs", "ms", "em"}
TITLES = ("pho chu tich", "chu tich", "pho giam doc", "giam doc", "pho truong phong", "truong phong",
          "pho truong ban", "truong ban", "chanh van phong", "chanh thanh tra", "can bo", "chuyen vien",
          "cong chuc", "nhan vien", "thanh tra vien", "ke toan", "van thu", "dia chinh", "tu phap")


def official_key(name):
    """One key for one person however the name was typed: accents, case, word order, a leading honorific and a
    position (a title in front, or anything after a comma or dash) are ignored ("Ông Nguyễn Văn Hùng, cán bộ địa chính",
    "hung nguyen van" → "hung nguyen van")."""
    folded = fold(re.split(r"[,;(–—-]", name or "", maxsplit=1)[0])
    for title in TITLES:
        folded = re.sub(rf"\b{title}\b", " ", folded)
    words = re.findall(r"[a-z0-9]+", folded)
    while len(words) > 2 and words[0] in HONORIFICS:  # "Ông", "Bà"... in front; "Anh" inside is a given name
        words = words[1:]
    return " ".join(sorted(words))


def procedure_key(name):
    """Procedures grouped however they were typed: folded, punctuation dropped."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(name)))
