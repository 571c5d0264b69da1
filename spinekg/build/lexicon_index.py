"""Named procedures of the CMS ICD-10-PCS alphabetic index for the text reader: 'Vasectomy  see Excision, Male
Reproductive System 0VB', 'Cesarean section  see Extraction, Products of Conception 10D0', 'Circumcision  0VTTXZZ'.

Each index entry that names a procedure (not a root operation, device or substance) becomes a lexicon phrase
carrying its code prefixes; each prefix carries the code path's own answer over every FY2025 code it covers
(section 0: ``CodeTables.decide_pcs`` on each code; sections 1-9, B-D, F-H: never an operation). So the reader
decides 'vasectomy' exactly as it decides the codes the index sends it to, and says which entry read it."""
from __future__ import annotations

import re
from pathlib import Path

from ..answer.reader.text import key
from ..tsv import read_tsv

CODE = re.compile(r"\*\*([0-9A-HJ-NP-Z]{3,7})\*\*")
SEE = re.compile(r"^(?:(?P<sub>[A-Za-z][A-Za-z '-]*?)\s+)?see (?P<target>[A-Z][^*]*?)\s*$")
NON_OPERATIVE_SECTIONS = set("123456789BCDFGH")
MAX_SUBTERM_WORDS = 3
ADJECTIVE_ENDINGS = ("ory", "ive", "al", "ic")  # a one-word entry that only qualifies another ('Exploratory  see …')
MAX_PHRASE_WORDS = 5  # longer index terms are product names and catalogue wording, not operative text


def summary(values: set[str]) -> str:
    """Alternatives (which code the text means is open): yes if all are, no if none is, else depends."""
    return "yes" if values == {"yes"} else "no" if values == {"no"} else "depends"


def prefix_outcomes(directory: Path, index: dict) -> dict[str, list]:
    """For every prefix (3 to 7 characters) of every FY2025 section-0 code: [spine, back, operative, regions]."""
    from ..codes.icd10 import CodeTables

    t = CodeTables(directory, index)  # the tree being built, not the running package's
    found: dict[str, tuple[set, set, set, set, dict]] = {}
    for row in read_tsv(directory / "reference" / "icd10pcs_fy2025_codes.tsv"):
        code = row["code"]
        d = t.decide_pcs(code)
        for n in range(3, 8):
            spine, back, operative, regions, by_approach = found.setdefault(code[:n], (set(), set(), set(), set(), {}))
            spine.add(d.spine)
            back.add(d.back)
            operative.add(d.operative)
            by_approach.setdefault(code[4], set()).add(d.operative)
            regions.update(d.regions if d.spine != "no" or d.back != "no" else ())
    return {p: [summary(s), summary(b), summary(o), sorted(r), {a: summary(v) for a, v in sorted(ap.items())}]
            for p, (s, b, o, r, ap) in found.items()}


def _segments(content: str) -> list[tuple[str, str, str]]:
    """(subterm, 'see' target, code prefix) for each code the entry names; ('', '', '') marks a segment that
    is not a plain cross-reference (a device or substance entry), which disqualifies the entry."""
    out, last = [], 0
    for match in CODE.finditer(content):
        text = content[last:match.start()].replace("(continued)", " ").strip()
        last = match.end()
        if not text:
            out.append(("", "", match.group(1)))
            continue
        see = SEE.match(text)
        if see is None:
            return [("", "", "")]
        out.append(((see.group("sub") or "").strip(), see.group("target").strip().rstrip(","), match.group(1)))
    return out


def index_procedures(directory: Path, index: dict, root_names: set[str]) -> dict[str, list]:
    """phrase key → [["idx", {"term", "see": [[prefix, target, spine, back, operative, regions,
    {approach: operative}], ...]}]] (``split_codes`` then stores each prefix's answers once)."""
    outcomes = prefix_outcomes(directory, index)
    by_phrase: dict[str, dict] = {}

    def add(phrase: str, term: str, target: str, prefix: str) -> None:
        k = key(phrase)
        if not k or k in root_names:
            return
        if prefix[0] in NON_OPERATIVE_SECTIONS:
            see = [prefix, target, "no", "no", "no", [], {}]
        elif prefix[0] == "0" and prefix[:7] in outcomes:
            see = [prefix, target, *outcomes[prefix[:7]]]
        else:
            return  # section X (new technology devices) or a prefix no FY2025 code has
        entry = by_phrase.setdefault(k, {"term": term, "see": []})
        if see not in entry["see"]:
            entry["see"].append(see)

    heads: dict[str, list[tuple[str, str, str]]] = {}
    plain: set[str] = set()
    for row in read_tsv(directory / "reference" / "icd10pcs_index.tsv"):
        term = row["term"].strip()
        if key(term) in root_names or row["content"].startswith("use "):
            continue
        segments = _segments(row["content"])
        if not segments or segments[0][2] == "":
            continue
        head, _, modifier = term.partition(", ")
        if key(head) in root_names or (" " not in term and term.endswith(ADJECTIVE_ENDINGS)):
            continue  # 'Replacement, hip': a root operation and a site, which the reader composes; 'Exploratory'
        for sub, target, prefix in segments:
            add(term, term, target, prefix)
            if modifier:  # 'Fundoplication, gastroesophageal' is also written 'gastroesophageal fundoplication'
                add(f"{modifier} {head}", term, target, prefix)
                heads.setdefault(head, []).append((term, target, prefix))
            else:
                plain.add(key(head))
            if sub and key(term) in by_phrase:  # the lexicon drops a term whose subterms are sites ('Suspension: Kidney')
                by_phrase[key(term)].setdefault("subterms", []).append(key(sub))
            if sub and len(sub.split()) <= MAX_SUBTERM_WORDS:  # 'Laparotomy: Exploratory see Inspection …'
                add(f"{sub} {term}", f"{term}, {sub.lower()}", target, prefix)
    forms = tuple(r["affix"].lstrip("-") for r in read_tsv(directory / "reference" / "icd10pcs_medical_affixes.tsv")
                  if r["type"] == "suffix") + ("ation",)
    for head, rows in heads.items():  # a procedure word written only with modifiers names all of them ('fundoplication',
        if key(head) not in plain and head.lower().endswith(forms):  # 'conization'; not 'Section, cesarean')
            for term, target, prefix in rows:
                add(head, head, target, prefix)
    return {k: [["idx", v]] for k, v in sorted(by_phrase.items())}


def split_codes(entries: dict[str, list]) -> dict[str, list]:
    """Move each prefix's answers out of the entries (which keep the prefix) into one table, so a prefix many
    entries share ('0DB') is stored once: prefix → [spine, back, operative, regions, {approach: operative}, target]
    (the target as the first entry naming the prefix writes it: 'Excision, Gastrointestinal System')."""
    table: dict[str, list] = {}
    for phrase_entries in entries.values():
        for entry in phrase_entries:
            if entry[0] == "idx":
                for row in entry[1]["see"]:
                    table.setdefault(row[0], row[2:] + [row[1]])
                entry[1]["see"] = [row[0] for row in entry[1]["see"]]
    return dict(sorted(table.items()))


def device_sites(directory: Path) -> dict[str, list[str]]:
    """Devices the CMS index lists by the body parts they go in ('Pacemaker  … Insertion of device in  Atrium  Left
    **02H7** …  Chest **0JH6**'): phrase key → the section-0 body parts (system + body part) of its codes."""
    found: dict[str, list[str]] = {}
    for row in read_tsv(directory / "reference" / "icd10pcs_index.tsv"):
        content = row["content"]
        if "device in" not in content and "of device" not in content:
            continue
        codes = CODE.findall(content)
        parts = [c[1] + c[3] for c in codes if c[0] == "0" and len(c) >= 4]
        if parts and len(parts) == len(codes):
            found.setdefault(key(row["term"]), []).extend(parts)
    return {k: sorted(set(v)) for k, v in sorted(found.items())}
