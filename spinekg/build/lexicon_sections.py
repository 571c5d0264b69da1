"""Procedure names from the ICD-10-PCS sections that hold no operations, for the text reader.

The long titles of sections 1-9, B-D and F-H start with what is done, then 'of' (or 'into', 'using', ', ' …) and
the body part: 'Introduction of Anti-inflammatory into Spinal Canal', 'Osteopathic Treatment of Lumbar Region',
'Beam Radiation of Brain', 'Electroconvulsive Therapy, Unilateral-Single Seizure'. Every code of these sections is
answered 'not an operation' (codes/sections.py), so the head of each title is a name of a non-operative procedure.
Read as text, such a title was 'unknown procedure' or 'an anatomical site, not a procedure'; its code said 'no'.

A head already read another way is left as it is: a section-0 root operation ('Removal of Traction Apparatus on
Back', 'Drainage of … Products of Conception'), an ontology procedure ('Decompression, Circulatory', 'Chiropractic
Manipulation') or any other entry. So is a head that begins with such an operation word ('Repair Nervous System in
Products of Conception', 'Change Brace on Head'): it names a root operation and a body system, not a new procedure.
Nor is a head that section 0 uses as the qualifier of an operation ('Laser Interstitial Thermal Therapy')."""
from __future__ import annotations

import re
from pathlib import Path

from ..answer.reader.text import key
from ..tsv import read_tsv

NON_OPERATIVE_SECTIONS = "123456789BCDFGH"  # codes/sections.py: no code of these sections is an operation
PARENTHESIS = re.compile(r"\s*\([^)]*\)")  # 'Computerized Tomography (CT Scan)', 'High Dose Rate (HDR) Brachytherapy'
# the head ends at the first of these words; at a comma only where none follows ('Assistive, Adaptive, Supportive or
# Protective Devices Device Fitting using …' is one head; 'Electroconvulsive Therapy, Unilateral-Single Seizure' ends at it)
HEAD = re.compile(r"^(?P<head>.+?) (?:of|for|using|into|to|on|from|in|with) ")
COMMA_HEAD = re.compile(r"^(?P<head>[^,]+)(?:,|$)")
OPERATION_KINDS = {"root", "op", "proc", "abbr", "idx"}
NONOPERATIVE = ["op", "spinekg:NonOperativeProcedure"]  # the entry of a name of something that is not an operation
# a one-word head must be a noun of doing ('Introduction', 'Acupuncture', 'Pheresis'); a comma or 'of' inside a longer
# name leaves a modifier behind ('Assistive, Adaptive … Device Fitting', 'Range of Motion … Assessment'): not a head
# A one-word head is a name only where it heads a table of its section (a root operation heads many titles:
# 'Introduction', 'Immobilization', 'Pheresis') and no longer phrase holds it: a one-off ('Collection of Cerebrospinal
# Fluid …') is a word findings use too ('epidural fluid collection'), and 'with percutaneous endoscopic assistance' or
# 'nerve root compression' shows a word that qualifies others.
ROOT_TITLES = 10
ACTION_NOUN = re.compile(r"(?:tion|sion|ment|ing|py|sis|ture|age|ance|ery|ure|ia)$")


def _heads(title: str) -> list[str]:
    """The look-up keys of a title's head (without its parentheses: 'Computerized Tomography (CT Scan)'): up to its
    first 'of' (or other word above), else, where that leaves a modifier, up to its last 'of' ('Range of Motion and
    Joint Mobility Treatment of …')."""
    text = PARENTHESIS.sub("", title)
    first = key((HEAD.match(text) or COMMA_HEAD.match(text)).group("head"))  # type: ignore[union-attr]
    if " " in first or ACTION_NOUN.search(first):
        return [first]
    return [key(text.rsplit(" of ", 1)[0])] if text.count(" of ") > 1 else []


def section_heads(directory: Path) -> dict[str, list]:
    """head phrase (look-up key) → [section, code, title] of the first title it heads, in the table's order, and how
    many titles it heads."""
    heads: dict[str, list] = {}
    for row in read_tsv(directory / "reference" / "icd10pcs_titles_other_sections.tsv"):
        if row["section"] in NON_OPERATIVE_SECTIONS:
            for head in _heads(row["title"]):
                if not any(ch.isdigit() for ch in head):
                    heads.setdefault(head, [row["section"], row["code"], row["title"], 0])[3] += 1
    return heads


def add_section_heads(phrases: dict[str, list], directory: Path) -> dict[str, list[str]]:
    """Add a non-operative procedure entry to each new head (see above). Returns head → [section, code, title] of the
    row each came from: the lexicon keeps it (``Lexicon.section_heads``), so every name added can be traced to a title."""
    added: dict[str, list[str]] = {}
    # how a section-0 operation is done: 'Destruction of Lumbar Spinal Cord using Laser Interstitial Thermal Therapy'
    techniques = {key(r["value_label"]) for r in read_tsv(directory / "reference" / "icd10pcs_spine_device_qualifier_values.tsv")}
    inside = {w for phrase in phrases for w in phrase.split()[1:]} | {w for phrase in phrases for w in phrase.split()[:-1]}
    for head, (*row, count) in section_heads(directory).items():
        if phrases.get(head) or head in techniques or any(e[0] in OPERATION_KINDS for e in phrases.get(head.split()[0], [])):
            continue
        if " " not in head and (count < ROOT_TITLES or head in inside):
            continue
        phrases[head] = [NONOPERATIVE]
        added[head] = row
    return dict(sorted(added.items()))
