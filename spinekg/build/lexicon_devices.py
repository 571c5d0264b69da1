"""Implants named by their make: the CMS index's Device Key ('X-STOP(R) Spacer  use Spinal Stabilization Device,
Interspinous Process in **0RH** …', 'Prodisc-L  use Synthetic Substitute', 'BRYAN(R) Cervical Disc System  use
Synthetic Substitute'). Theatre lists and implant logs name the make ('Prodisc-L L4-5', 'X-STOP L3-4', 'BRYAN
cervical disc C5-6'); read as unknown words, such a line was 'a level but no procedure'. Each term whose every target is
a device the lexicon knows (a device value of the spine's codes) becomes that device: its whole name (without the
trademark signs and bracketed variants), and the make alone, the words before the first trademark sign ('BRYAN',
'Dynesys', 'X-STOP'). A phrase the lexicon already has keeps its meaning (the word table and the index's own terms win),
a name made only of words it knows or holding a word that names an act is read from its words as before ('bone screw',
'Foley catheter': ``add_device_key``), and a make of fewer than MIN_MAKE letters is not taken alone ('AFX'). The reader
then reads an implant named alone as its insertion, as it reads 'interspinous spacer L3-4' (reader/placements.py)."""
from __future__ import annotations

import re
from pathlib import Path

from ..answer.reader.text import key
from ..tsv import read_tsv

TARGET = re.compile(r"use ([^*]+?)(?= in \*\*| in [A-Z]| use |$)")  # the device value, without the body system it goes in
MARK = re.compile(r"\((?:R|tm|TM)\)")  # a trademark sign
BRACKETS = re.compile(r"\s*\([^)]*\)")
MIN_MAKE = 4  # letters of a make taken alone


def device_key(ref: Path, phrases: dict[str, list]) -> dict[str, list[list[str]]]:
    """phrase key → the device entries its Device Key rows name (only rows whose every target is a known device)."""
    found: dict[str, list[list[str]]] = {}
    for row in read_tsv(ref / "icd10pcs_index.tsv"):
        content, term = row["content"].strip(), row["term"].strip()
        if not content.startswith("use "):
            continue
        targets = [_device(phrases, t) for t in TARGET.findall(content)]
        if not targets or not all(targets):
            continue
        names = {key(BRACKETS.sub("", MARK.sub("", term)))}
        make = key(MARK.split(term)[0]) if MARK.search(term) else ""
        if len(make.replace(" ", "")) >= MIN_MAKE:
            names.add(make)
        for name in names:
            for entry in (e for t in targets for e in t):  # type: ignore[union-attr]
                if name and entry not in found.setdefault(name, []):
                    found[name].append(entry)
    return found


def _device(phrases: dict[str, list], target: str) -> list[list[str]] | None:
    entries = [e for e in phrases.get(key(target), []) if e[0] == "dev"]
    return entries or None


def add_device_key(phrases: dict[str, list], ref: Path) -> None:
    """Add the Device Key's makes and names (``device_key``) that have a word the lexicon does not know and no word
    naming an act: a name made of known words ('bone screw': a construct's part) is read from them as before, and so is
    a name holding an act ('Foley catheter': a catheter is put in without an operation; 'MitraClip valve repair
    system'), whose make alone is still taken where it has one."""
    words = {w for phrase in phrases for w in phrase.split()}
    acts = {w for w in words if any(e[0] in ("op", "root") for e in phrases.get(w, []))}
    for name, entries in sorted(device_key(ref, phrases).items()):
        if name not in phrases and not words.issuperset(name.split()) and acts.isdisjoint(name.split()):
            phrases[name] = entries
