"""Lay site words from ICD-10-PCS section B (imaging) for the text reader: 'Forearm', 'Finger(s)', 'Toe(s)',
'Teeth' are imaging body parts ('Plain Radiography of Left Forearm', BP0KZZZ) that no section-0 label names.

An imaging body system is placed outside the spine and the lower back only as a whole: every one of its body
parts that the section-0 vocabulary already reads must be provably outside both, and none may carry a spine or
back word ('Spinal Arteries', 'Epidural Veins', 'Lumbar Disc(s)', 'Trunk' disqualify their whole system). Its
other body parts then become site words, each remembering the title row it came from, for the explanation."""
from __future__ import annotations

import re
from pathlib import Path

from ..answer.reader.grammar import REGIONS
from ..answer.reader.text import key
from ..tsv import read_tsv

OF_PART = re.compile(r"^[A-Z][A-Za-z ()-]*? of (?P<part>.+?)(?: using .*|, .*| with .*)?$")
OPERATION_KINDS = {"proc", "root", "op", "idx"}
QUANTIFIERS = {"right", "left", "bilateral", "single", "multiple", "all", "unilateral"}
# Words that name (or may name) the spine, its contents or the back: a system with such a part is never 'outside'.
SPINE_WORDS = {"spinal", "spine", "epidural", "vertebral", "vertebra", "vertebrae", "disc", "discs", "facet", "sacrum",
               "coccyx", "sacroiliac", "back", "cord", "paraspinal", "paravertebral", "intercostal", "lumbar", "sacral",
               "cervical", "thoracic", "dorsal", "coccygeal", "lumbosacral", "thoracolumbar", "cervicothoracic"}
# Regions that contain the spine or the back ('Thorax' of the upper bones, 'Trunk'): never added, but they do not
# make the rest of their system spinal.
TRUNK_WORDS = {"trunk", "whole", "body", "skeleton", "retroperitoneum", "retroperitoneal", "pelvis", "pelvic", "abdomen",
               "abdominal", "chest", "thorax", "fetal", "fetus", "torso", "flank", "buttock"}


def _phrases(part: str) -> list[str]:
    """The ways notes write an imaging body part: 'Finger(s)' → finger, fingers; 'Hand/Finger Joint' → hand,
    finger joint; 'Multiple Teeth' → teeth (quantifiers and sides dropped)."""
    out = []
    for piece in part.split("/"):
        words = [w for w in key(piece.replace("(s)", "")).split() if w not in QUANTIFIERS]
        while words and words[0] == "and":  # 'Right and Left Heart'
            words.pop(0)
        if words:
            out.append(" ".join(words))
            if "(s)" in piece:
                out.append(" ".join(words) + "s")
    return out


def imaging_parts(directory: Path) -> dict[str, dict]:
    """imaging body part (system + body-part character) → {'label', 'row': (code, title)} of its first title."""
    parts: dict[str, dict] = {}
    for row in read_tsv(directory / "reference" / "icd10pcs_titles_other_sections.tsv"):
        found = OF_PART.match(row["title"]) if row["section"] == "B" else None
        if found:
            parts.setdefault(row["code"][1] + row["code"][3], {"label": found.group("part"), "row": [row["code"], row["title"]]})
    return parts


def add_imaging_sites(phrases: dict[str, list], directory: Path, outside_entry) -> dict[str, list]:
    """Add ['img', system+part] to each lay phrase of an imaging system wholly outside the spine and the back;
    ``outside_entry(entry)`` says whether a section-0 lexicon entry is provably outside both. Returns the table
    the reader explains them with: system+part → [label, code, title, system examples already read as outside]."""
    parts = imaging_parts(directory)
    systems: dict[str, list[tuple[str, list[str]]]] = {}
    for part, info in sorted(parts.items()):
        for phrase in _phrases(info["label"]):
            systems.setdefault(part[0], []).append((part, [phrase]))
    table: dict[str, list] = {}
    for system, members in sorted(systems.items()):
        known, new, clean = [], [], True
        for part, (phrase,) in members:
            if set(phrase.split()) & (SPINE_WORDS | set(REGIONS)):  # 'neck' is the cervical spine's region
                clean = False
                break
            if set(phrase.split()) & TRUNK_WORDS or any(e[0] in OPERATION_KINDS for w in phrase.split() for e in phrases.get(w, [])):
                continue  # 'Coronary Artery Bypass Graft' names an operation's product: 'CABG' must still read 'bypass'
            sites = [e for e in phrases.get(phrase, []) if e[0] in ("anat", "bp")]
            if not sites:
                sites = [e for e in phrases.get(phrase[:-1], []) if e[0] in ("anat", "bp")] if phrase.endswith("s") else []
            if sites:
                if not all(outside_entry(e) for e in sites):
                    clean = False
                    break
                known.append(phrase)
            elif not phrases.get(phrase):
                new.append((part, phrase))
        if not clean or not known:
            continue
        for part, phrase in new:
            phrases.setdefault(phrase, []).append(["img", part])
            table[part] = [parts[part]["label"], *parts[part]["row"], sorted(set(known))[:3]]
    return dict(sorted(table.items()))
