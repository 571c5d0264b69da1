"""Shared by the tests that read code titles as text and compare them with their code's answer: the reviewed
exception tables and the PCS comparison itself, so each test says only which titles it reads."""
from __future__ import annotations

import csv
from pathlib import Path

from spinekg.answer.composers import composer
from spinekg.answer.reader import classify_text
from spinekg.codes.icd10 import tables

HERE = Path(__file__).parent


def exceptions(name: str) -> dict[str, str]:
    """code -> reason, from a reviewed exception table beside the tests (every reason written out)."""
    with open(HERE / name, encoding="utf-8") as handle:
        known = {row["code"]: row["reason"] for row in csv.DictReader(handle, delimiter="\t")}
    assert all(reason.strip() for reason in known.values()), f"{name}: every exception needs its reason"
    return known


def pcs_mismatches(rows: list[tuple[str, str]]) -> dict[str, tuple]:
    """The (code, title) rows whose title, read as text, does not give the code's spine and back verdicts."""
    t, comp = tables(), composer()
    mismatched = {}
    for code, title in rows:
        decided = t.decide_pcs(code)
        verdict = classify_text(title, comp)
        if (verdict.spine_surgery, verdict.back_surgery) != (decided.spine, decided.back):
            mismatched[code] = (title, (decided.spine, decided.back), (verdict.spine_surgery, verdict.back_surgery))
    return mismatched


def assert_exactly_listed(found: dict[str, tuple], known: dict[str, str], what: str) -> None:
    """Every disagreement is listed, and every listed one still disagrees (no stale rows)."""
    unexpected = {c: m for c, m in found.items() if c not in known}
    assert not unexpected, f"{len(unexpected)} titles {what}, e.g. {sorted(unexpected.items())[:5]}"
    assert not set(known) - set(found), f"stale exceptions: {sorted(set(known) - set(found))[:10]}"
