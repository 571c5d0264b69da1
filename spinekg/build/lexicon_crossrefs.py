"""Cross-references of the CMS ICD-10-PCS alphabetic index that name no code, for the text reader: 'Casting  see
Immobilization', 'Application  see Introduction of substance in or on', 'Flushing  see Irrigation', 'Acoustic Pulse
Thrombolysis  see Fragmentation, Artery'. The index says what a coder's word means in ICD-10-PCS terms; the reader
then reads the word as the operation it is sent to.

A term is added only where it is no lexicon phrase yet, and only when every operation it is sent to already reads
as one kind of thing: section-0 root operations (``['root', code]``) or procedures of the non-operative sections (the
section heads, ``lexicon_sections``). A term sent to one operation on one body part ('see Repair, Kidney Pelvis')
becomes an abbreviation of that operation of that part, so the part decides the site as in any text. Terms sent to
operations of both kinds ('Cannulation  see Bypass see … see Irrigation'), to an operation with a qualifier that
decides whether it is one ('see Excision with qualifier Diagnostic'), or to what the lexicon does not read, and
trademarked product names, are left out."""
from __future__ import annotations

import re
from pathlib import Path

from ..answer.reader.text import key
from ..tsv import read_tsv
from .lexicon_sections import NONOPERATIVE, PARENTHESIS

TARGET = re.compile(r"see (.+?)(?= see |$)")
HEAD = re.compile(r"^(?P<head>.+?) (?:of|using|with|in|into|on) ")  # 'Introduction of substance in or on'
TRADEMARK = re.compile(r"\((?:R|r|tm|TM)\)")


def _reading(target: str, phrases: dict[str, list]) -> tuple[str, list, str, str] | None:
    """(kind, entries, operation, body part) of one 'see' target: kind 'root' (section-0 root operations) or 'nonop';
    None when the lexicon does not read its operation, or a qualifier may decide whether it is an operation."""
    operation, _, part = PARENTHESIS.sub("", target).partition(", ")
    found = HEAD.match(operation + " ")
    entries = phrases.get(key(found.group("head") if found else operation), [])
    if NONOPERATIVE in entries:
        return "nonop", [NONOPERATIVE], operation, ""  # not an operation whatever its site, qualifier or device
    roots = [e for e in entries if e[0] == "root"]
    if not roots or " with qualifier " in target:
        return None
    return "root", roots, operation, part.strip()


def index_cross_references(ref: Path, phrases: dict[str, list]) -> dict[str, tuple[list, str]]:
    """term (look-up key) → (its lexicon entries, the index's words for it), for each cross-reference of the index that
    may be added (see above)."""
    added: dict[str, tuple[list, str]] = {}
    for row in read_tsv(ref / "icd10pcs_index.tsv"):
        content, term = row["content"].strip(), key(PARENTHESIS.sub("", row["term"]))
        if "**" in content or not content.startswith("see ") or TRADEMARK.search(row["term"]) or not term \
                or phrases.get(term) or term in added:
            continue
        readings = [_reading(t, phrases) for t in TARGET.findall(content)]
        if not readings or None in readings or len({r[0] for r in readings}) > 1:  # type: ignore[index]
            continue
        if len(readings) == 1 and readings[0][3]:  # type: ignore[index]
            _, _, operation, part = readings[0]  # type: ignore[misc]
            added[term] = ([["abbr", f"{operation.lower()} of {part.lower()}"]], content)
            continue
        entries: list = []
        for reading in readings:
            entries += [e for e in reading[1] if e not in entries]  # type: ignore[index]
        added[term] = (entries, content)
    return added


def add_index_cross_references(phrases: dict[str, list], ref: Path) -> dict[str, str]:
    """Add the terms of ``index_cross_references``. Returns term → the index's 'see' words: the lexicon keeps them
    (``Lexicon.index_cross_references``), so every term added can be traced to its row."""
    added = index_cross_references(ref, phrases)
    phrases.update((term, entries) for term, (entries, _) in added.items())
    return {term: content for term, (_, content) in sorted(added.items())}
