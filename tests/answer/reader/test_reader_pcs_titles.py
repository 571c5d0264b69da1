"""Every ICD-10-PCS section-0 long title, read as text, gives its code's spine and back verdicts.

The reader parses titles (root operation, body part, approach, qualifier) and decides them with the code
path's own tables, compiled into the lexicon; it never looks a title up. The few titles that name a
qualifier value instead of the body part are listed, each with its reason, in pcs_title_exceptions.tsv
(at most 1 %); the table must stay exact (no stale rows)."""
from __future__ import annotations

from title_agreement import check_pcs_titles, coder_rows


def test_every_section0_title_reads_as_its_code(capsys):
    rows = coder_rows("SELECT code, long_name FROM pcs_codes WHERE code LIKE '0%' ORDER BY code")
    assert len(rows) == 68367
    check_pcs_titles(rows, "pcs_title_exceptions.tsv", "ICD-10-PCS section-0 titles", capsys)
