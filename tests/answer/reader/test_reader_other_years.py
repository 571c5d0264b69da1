"""Held-out wording: the titles of ICD-10-PCS section-0 codes of other years (CCSR/CCS titles of codes absent
from FY2025, ../shared/reference/icd10pcs_codes_other_years.tsv), read as text, give their code's spine and
back verdicts. Nothing was tuned to these titles; a disagreement must be listed, with its reason, in
other_year_title_exceptions.tsv (at most 1 %), and the list must stay exact."""
from __future__ import annotations

from spinekg.codes.reference import other_years

from title_agreement import check_pcs_titles


def test_other_year_titles_read_as_their_code(capsys):
    rows = sorted((code, row["title"]) for code, row in other_years().items() if row["section"] == "0" and row["title"])
    assert len(rows) == 2797
    check_pcs_titles(rows, "other_year_title_exceptions.tsv", "other-year ICD-10-PCS section-0 titles", capsys)
