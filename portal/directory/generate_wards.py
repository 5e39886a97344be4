"""Regenerate ``data/wards.yaml``: Hanoi's 126 wards and communes.

Source: the ``vietnamadminunits`` package, version 1.0.4 (MIT licence,
Copyright (c) 2025 Tran Ngoc Minh Hieu, https://github.com/tranngocminhhieu/vietnamadminunits).
Its bundled SQLite dataset (table ``admin_units``) holds the two-level
structure (province → ward/commune) that took effect on 2025-07-01, with the
official 5-digit ward codes. Hanoi is province code ``01``.

Run from the project root:

    .venv/bin/python -m portal.directory.generate_wards

This script writes ``data/wards.yaml`` only. ``data/agencies.yaml`` (city
departments, the 126 ward People's Committees, and the legacy departments and
district committees with their successors) was written once from the same
package data with a one-off snippet that is not committed, and is maintained
by hand from then on, so hand edits there are never overwritten by this script.
"""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from unidecode import unidecode
from vietnamadminunits.database import query

PACKAGE_VERSION = "1.0.4"
HANOI_PROVINCE_CODE = "01"
EXPECTED_COUNT = 126
OUTPUT = Path(__file__).parent / "data" / "wards.yaml"

# wardType in the package dataset → (kind, English suffix)
WARD_TYPES = {
    "Phường": ("ward", "Ward"),
    "Xã": ("commune", "Commune"),
}

HEADER = f"""\
# Hanoi wards (phường) and communes (xã) — the 2-level administrative structure
# in force since 2025-07-01 (province → ward/commune; districts abolished).
#
# Source: vietnamadminunits {PACKAGE_VERSION} (MIT licence, (c) 2025 Tran Ngoc Minh Hieu),
#         table admin_units, provinceCode {HANOI_PROVINCE_CODE}. Codes are the official 5-digit ward codes.
# Generated file — do not edit by hand. Regenerate with:
#     .venv/bin/python -m portal.directory.generate_wards
"""


def nfc(text: str) -> str:
    """Normalise Vietnamese text to NFC and trim whitespace."""
    return unicodedata.normalize("NFC", text).strip()


def fetch_hanoi_rows() -> list[dict]:
    """Read Hanoi's current wards/communes from the package's dataset."""
    return query(
        "SELECT DISTINCT ward, wardShort, wardType, wardCode FROM admin_units "
        f"WHERE provinceCode = '{HANOI_PROVINCE_CODE}'"
    )


def to_entry(row: dict) -> dict:
    """Turn one dataset row into a wards.yaml entry."""
    kind, suffix = WARD_TYPES[nfc(row["wardType"])]
    code = str(row["wardCode"]).zfill(5)
    return {
        "code": code,
        "name_vi": nfc(row["ward"]),
        "name_en": f"{unidecode(nfc(row['wardShort']))} {suffix}",
        "kind": kind,
    }


def build_entries(rows: list[dict]) -> list[dict]:
    """Convert, sort by code and check the count and code uniqueness."""
    entries = sorted((to_entry(r) for r in rows), key=lambda e: e["code"])
    codes = [e["code"] for e in entries]
    if len(entries) != EXPECTED_COUNT:
        raise SystemExit(f"expected {EXPECTED_COUNT} wards, got {len(entries)}")
    if len(set(codes)) != len(codes):
        raise SystemExit("duplicate ward codes")
    return entries


def render(entries: list[dict]) -> str:
    """One flow mapping per line; strings are JSON-quoted, which is valid YAML."""
    def q(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = [HEADER, "wards:"]
    for e in entries:
        lines.append(
            f"  - {{code: {q(e['code'])}, name_vi: {q(e['name_vi'])}, "
            f"name_en: {q(e['name_en'])}, kind: {e['kind']}}}"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    entries = build_entries(fetch_hanoi_rows())
    OUTPUT.write_text(render(entries), encoding="utf-8")


if __name__ == "__main__":
    main()
