"""The real-world phrase table (phrases.tsv: operative notes, schedules, registries) with exact answers.
Rows the reader does not get right yet are listed in phrase_gaps.tsv with what it answers and why; the
gap list must stay exact, so a fix shows up as a stale row and a regression as a failure."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from spinekg.api import classify
from spinekg.errors import SpinekgError

HERE = Path(__file__).parent


def table(name: str) -> list[dict[str, str]]:
    with open(HERE / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


PHRASES = table("phrases.tsv")
GAPS = {row["text"]: row["got"] for row in table("phrase_gaps.tsv")}


def answer(text: str) -> str:
    try:
        verdict = classify(text)
    except SpinekgError as exc:
        return "error: " + exc.message[:60]
    return f"{verdict.spine_surgery}/{verdict.back_surgery}/{'|'.join(verdict.regions)}"


def test_table_size_and_gap_share():
    assert len(PHRASES) >= 300
    assert set(GAPS) <= {row["text"] for row in PHRASES}
    print(f"\nphrases: {len(PHRASES) - len(GAPS)}/{len(PHRASES)} exact")


@pytest.mark.parametrize("row", PHRASES, ids=[row["text"][:60] for row in PHRASES])
def test_phrase(row):
    got = answer(row["text"])
    expected = f"{row['spine_surgery']}/{row['back_surgery']}/{row['regions']}"
    if row["text"] in GAPS:
        assert got == GAPS[row["text"]] != expected, "gap fixed or changed: update phrase_gaps.tsv"
    else:
        assert got == expected, row["note"]
