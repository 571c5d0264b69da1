"""Held-out wording: the titles of ICD-10-PCS section-0 codes of other years (CCSR/CCS titles of codes absent
from FY2025, ../shared/reference/icd10pcs_codes_other_years.tsv), read as text, give their code's spine and
back verdicts. Nothing was tuned to these titles; a disagreement must be listed, with its reason, in
other_year_title_exceptions.tsv (at most 1 %), and the list must stay exact."""
from __future__ import annotations

import csv
from pathlib import Path

from spinekg.answer.composers import composer
from spinekg.answer.reader import classify_text
from spinekg.codes.icd10 import tables
from spinekg.codes.reference import other_years

HERE = Path(__file__).parent


def exceptions() -> dict[str, str]:
    with open(HERE / "other_year_title_exceptions.tsv", encoding="utf-8") as handle:
        return {row["code"]: row["reason"] for row in csv.DictReader(handle, delimiter="\t")}


def test_other_year_titles_read_as_their_code(capsys):
    rows = sorted((code, row["title"]) for code, row in other_years().items() if row["section"] == "0" and row["title"])
    assert len(rows) == 2797
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
        print(f"\nother-year ICD-10-PCS section-0 titles read as text: {len(rows) - len(mismatched)}/{len(rows)} agree "
              f"with their code ({100 * (len(rows) - len(mismatched)) / len(rows):.2f} %); {len(known)} listed exceptions")
    unexpected = {c: m for c, m in mismatched.items() if c not in known}
    assert not unexpected, f"{len(unexpected)} titles disagree with their code, e.g. {sorted(unexpected.items())[:5]}"
    assert not set(known) - set(mismatched), f"stale exceptions: {sorted(set(known) - set(mismatched))[:10]}"
