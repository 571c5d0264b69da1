"""Abbreviations the CMS ICD-10-PCS index spells out itself: 'Metatarsophalangeal (MTP) joint', 'Anterior cruciate
ligament (ACL)', 'Percutaneous endoscopic gastrostomy (PEG) tube'. Notes write the short form ('MTP fusion'); without
it the reader saw an unknown word beside a spinal-default operation. An abbreviation is taken only when its letters
are, in order, letters of the words just before it, starting at a word's first letter (so 'Acculink (RX) Carotid
Stent' gives nothing), when it has one spelling-out, and when the lexicon has no meaning for it already (the
hand-written word table and the ontology's own abbreviations win).

The index also writes the short form first, the spelling-out after it in lower case: 'EMG (electromyogram)', 'ERCP
(endoscopic retrograde cholangiopancreatography)'. That is an explicit expansion, so only its first letter must
match ('EKG (electrocardiogram)' keeps the German K); it is taken only for an abbreviation the first form does not
spell out already (the index spells out 'PEG' both ways, with and without 'tube')."""
from __future__ import annotations

import re
from pathlib import Path

from ..answer.reader.text import key
from ..errors import SpinekgError
from ..tsv import read_tsv

SPELT_OUT = re.compile(r"^([A-Za-z][A-Za-z' -]*?)\s*\(([A-Z]{2,6})\)\s*([A-Za-z -]*)$")
SPELT_AFTER = re.compile(r"^([A-Z]{2,6})\s*\(([a-z][a-z' -]*)\)$")
FILES = ("icd10pcs_body_part_key.tsv", "icd10pcs_index.tsv")


def _words_of(abbr: str, words: list[str]) -> list[str] | None:
    """The last words before '(ABBR)' that it abbreviates: its letters in order, the first a word's first letter."""
    for start in range(len(words)):
        letters = iter("".join(words[start:]))
        if words[start][0] == abbr[0] and all(c in letters for c in abbr):
            return words[start:]
    return None


def index_abbreviations(ref: Path) -> dict[str, str]:
    """abbreviation → its one spelling-out in the index terms (abbreviations spelt out two ways are left out)."""
    found: dict[str, set[str]] = {}
    for name in FILES:
        for row in read_tsv(ref / name):
            match = SPELT_OUT.match(row["term"].strip())
            if not match:
                continue
            abbr, after = match.group(2).lower(), key(match.group(3))
            words = _words_of(abbr, key(match.group(1)).split())
            if words:
                found.setdefault(abbr, set()).add(" ".join(words + ([after] if after else [])))
    after: dict[str, set[str]] = {}
    for row in read_tsv(ref / "icd10pcs_index.tsv"):
        match = SPELT_AFTER.match(row["term"].strip())
        if match and match.group(1).lower() not in found and match.group(2)[0] == match.group(1)[0].lower():
            after.setdefault(match.group(1).lower(), set()).add(key(match.group(2)))
    found.update(after)
    return {abbr: next(iter(spelt)) for abbr, spelt in sorted(found.items()) if len(spelt) == 1}


def add_index_abbreviations(phrases: dict[str, list], ref: Path) -> None:
    """Add ['abbr', spelling-out] for each index abbreviation that is no phrase of the lexicon yet and no plural of one of
    its words ('tips', the plural of 'tip', is left out). A spelling-out the lexicon cannot read alone takes the entry of
    the index term that pairs it with its abbreviation ('continuous positive airway pressure' as 'CPAP (continuous
    positive airway pressure)'), so the short form does not expand into words the reader does not know."""
    words = {w for phrase in phrases for w in phrase.split()}
    for abbr, spelt in index_abbreviations(ref).items():
        if abbr not in phrases and not (abbr.endswith("s") and abbr[:-1] in words):
            phrases[abbr] = [["abbr", spelt]]
            paired = phrases.get(f"{abbr} {spelt}") or phrases.get(f"{spelt} {abbr}")
            if paired and spelt not in phrases:
                phrases[spelt] = paired


def check_expansions(phrases: dict[str, list]) -> None:
    """Refuse an abbreviation whose expansion begins with the abbreviation itself and names no longer phrase there
    ('transforaminal epidural' → 'transforaminal epidural steroid injection'): the reader's longest match would find the
    abbreviation again, expand it once more and read its last words twice, as a second procedure."""
    for phrase, entries in phrases.items():
        for expansion in (e[1] for e in entries if e[0] == "abbr" and e[1].startswith(phrase + " ")):
            words = expansion.split()
            if not any(" ".join(words[:n]) in phrases for n in range(len(phrase.split()) + 1, len(words) + 1)):
                raise SpinekgError(f"surgical-words.tsv: {phrase!r} expands to {expansion!r}, which begins with "
                                   f"{phrase!r} again: make the expansion (or a longer start of it) a phrase of its own")


def word_shorthand(phrases: dict[str, list]) -> dict[str, str]:
    """{token: word} for each one-word abbreviation of one word that no longer phrase uses ('fus': 'fusion', 'lumb':
    'lumbar', 'thor': 'thoracic'): the reader reads the word in its place before phrases are matched, so a phrase spans
    it ('thoracolumbar fus' is the phrase 'thoracolumbar fusion', 'lumb plexus block' the lumbar plexus); expanded on its
    own, as other abbreviations are, it could join no phrase ('lumb plexus' was the lumbar region and a plexus). A word
    of letters only: 'fem-pop' stays an abbreviation, whose expansion 'femoral-popliteal' is read apart at its hyphen."""
    in_phrases = {word for phrase in phrases if " " in phrase for word in phrase.split()}
    found = {}
    for phrase, entries in phrases.items():
        if " " in phrase or len(entries) != 1 or entries[0][0] != "abbr" or not entries[0][1].isalpha() or phrase in in_phrases:
            continue
        found[phrase] = entries[0][1]
    return dict(sorted(found.items()))
