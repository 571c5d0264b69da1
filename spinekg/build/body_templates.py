"""Whole-body anatomy: one term for every ICD-10-PCS body part, generated from the reference copy.

The ``body`` module is derived, like the levels, so no body part can go missing:

* ``reference/icd10pcs_body_parts.tsv`` (verbatim CMS rows) gives every (section, body system, body part);
* ``mappings/icd10pcs-body-parts.sssom.tsv`` (hand-curated) names the spine and back terms that already
  stand for some of them: those are reused, never duplicated;
* ``templates/body_systems.tsv`` gives each body system its grouping class and whether the whole system
  lies outside the spine and the back (``outside_back``) or also holds spine or back body parts
  (``mixed``: its generated terms are then asserted outside the back one by one);
* ``templates/pcs_body_parts.tsv`` holds the few reviewed exceptions (a reused look-alike term, a label
  the rule would garble, a laterality parent that already exists);
* ``reference/icd10pcs_body_part_key.tsv`` (CMS index "use X" rows whose every target is a body part)
  gives related synonyms: "Vermiform appendix: use Appendix".

Laterality: PCS codes paired structures by side ("Knee Joint, Right"). Each body part keeps its own term
("right knee joint"), a subclass of one laterality-free term ("knee joint") that a reader can name when
the text gives no side; a PCS body part with that label in the same system ("Kidney") is that parent.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SpinekgError
from ..tsv import read_tsv
from ..vocab import normalise
from ..version import __version__

SIDE_END = re.compile(r"^(?P<base>.+), (?P<side>Right|Left|Bilateral)$")
SIDE_IN = re.compile(r"^(?P<head>[^,]+), (?P<side>Right|Left) (?P<rest>[^,]+)$")
# "Skin, Hand" -> "skin of hand"; "Liver, Right Lobe" -> "right lobe of liver"; otherwise "Y X"
# ("Lymphatic, Right Axillary" -> "right axillary lymphatic").
OF_FORM = {"Skin": "skin of", "Subcutaneous Tissue and Fascia": "subcutaneous tissue and fascia of",
           "Bone Marrow": "bone marrow of"}
REVERSED_OF = {"Liver", "Stomach"}
KEEP_FORM = {"Coronary Artery", "Ribs"}
OUTSIDE = "StructureOutsideBack"
MAPPING_FILE = "icd10pcs-body-parts.sssom.tsv"
WHOLE_BODY_FILE = "icd10pcs-body-parts-whole-body.sssom.tsv"


def readable(label: str) -> str:
    """A CMS body-part label as a term label: 'Knee Joint, Right' -> 'right knee joint'."""
    side = SIDE_END.match(label)
    if side:
        return f"{side['side'].lower()} {readable(side['base'])}"
    if label.count(", ") != 1:
        return label.lower()
    head, rest = label.split(", ")
    if head in OF_FORM:
        return f"{OF_FORM[head]} {rest.lower()}"
    if head in REVERSED_OF:
        return f"{rest.lower()} of {head.lower()}"
    if head in KEEP_FORM:
        return label.lower()
    return f"{rest.lower()} {head.lower()}"


def laterality_base(label: str) -> str | None:
    """The label without its side ('Knee Joint' for 'Knee Joint, Right'); None when it has no side."""
    side = SIDE_END.match(label)
    if side:
        return None if side["side"] == "Bilateral" else side["base"]
    inner = SIDE_IN.match(label)
    if inner and inner["head"] not in REVERSED_OF:
        return f"{inner['head']}, {inner['rest']}"
    return None


def term_id(label: str) -> str:
    """'right knee joint' -> 'RightKneeJoint' (stable and readable)."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", label) if w]
    ident = "".join(w[:1].upper() + w[1:] for w in words)
    return ident if ident[:1].isalpha() else "BodyPart" + ident


@dataclass
class Body:
    """The generated rows (template-row dicts for ``add_term``) and the whole-body mapping rows."""

    rows: list[dict[str, str]] = field(default_factory=list)
    mappings: list[dict[str, str]] = field(default_factory=list)


def _key_targets(content: str) -> list[str]:
    """'use Foot Muscle, Right use Foot Muscle, Left' -> both labels. A few index entries survive only as
    their '(continued)' part (a source defect the reference README lists, e.g. Psoas muscle); they count."""
    content = content[len("(continued) "):] if content.startswith("(continued) use ") else content
    return [part.strip() for part in content[len("use "):].split(" use ")]


def body_rows(ontology: Path, existing: dict[str, str], names: set[str] = frozenset()) -> Body:  # type: ignore[assignment]
    """Every PCS body part → a reused or generated term. ``existing``: id -> label of the spine and back
    anatomy; ``names``: its labels and exact synonyms, which no generated label may repeat."""
    ref, templates = ontology / "reference", ontology / "templates"
    parts = read_tsv(ref / "icd10pcs_body_parts.tsv", ("section", "body_system_code", "body_system_label",
                                                      "body_part_code", "body_part_label"))
    systems = {(r["section"], r["body_system_code"]): r
               for r in read_tsv(templates / "body_systems.tsv", ("section", "body_system_code", "id", "label",
                                                                  "placement", "definition"))}
    overrides = {(r["section"], r["body_system_code"], r["body_part_code"]): r
                 for r in read_tsv(templates / "pcs_body_parts.tsv", ("section", "body_system_code", "body_part_code",
                                                                     "reuse", "id", "label", "parents", "comment"))}
    from ..codes.mappings import local, read_sssom

    curated = {local(r["subject_id"]): local(r["object_id"]) for r in read_sssom(ontology / "mappings" / MAPPING_FILE).rows}
    taken = {normalise(label) for label in list(existing.values()) + list(names)}
    body = Body()
    generated: dict[str, dict[str, str]] = {}
    term_of: dict[str, str] = {}  # CMS label -> the term that stands for it
    bases: dict[tuple[str, str, str], list[str]] = {}
    system_names: dict[tuple[str, str], str] = {}

    def add(row: dict[str, str]) -> None:
        if row["id"] in existing or row["id"] in generated:
            raise SpinekgError(f"{row['__line__']}: generated term id {row['id']} is already used")
        if normalise(row["label"]) in taken:
            raise SpinekgError(f"{row['__line__']}: label {row['label']!r} is already a term's label; reuse that term "
                               f"or give another label in templates/pcs_body_parts.tsv")
        taken.add(normalise(row["label"]))
        generated[row["id"]] = row
        body.rows.append(row)

    for system in systems.values():
        add({"id": system["id"], "label": system["label"], "definition": system["definition"],
             "parents": "AnatomicalStructure" + (f";{OUTSIDE}" if system["placement"] == "outside_back" else ""),
             "__line__": system["__line__"]})
    labels_in_system = {(r["section"], r["body_system_code"], r["body_part_label"]) for r in parts}
    for part in parts:
        sec, sys, code, pcs = part["section"], part["body_system_code"], part["body_part_code"], part["body_part_label"]
        system = systems.get((sec, sys))
        if system is None:
            raise SpinekgError(f"{part['__line__']}: body system {sec}/{sys} has no row in templates/body_systems.tsv")
        key = sec + sys + code
        override = overrides.get((sec, sys, code), {})
        reuse = curated.get(f"body-part-{key}") or override.get("reuse", "")
        where = f"{system['label']}, ICD-10-PCS body system {sys} ({part['body_system_label']}), body part {code} ('{pcs}')"
        if reuse:
            term_of[pcs] = reuse
            if f"body-part-{key}" not in curated:
                if reuse not in existing:
                    raise SpinekgError(f"{override['__line__']}: reuse names {reuse}, which is not an ontology term")
                body.mappings.append({"key": key, "subject_label": f"{part['body_system_label']}: {pcs}", "term": reuse,
                                      "label": existing[reuse], "comment": override.get("comment", "")})
            continue
        label = override.get("label") or readable(pcs)
        ident = override.get("id") or term_id(label)
        base = laterality_base(pcs)
        parents = override.get("parents", "")
        if not parents and base and (sec, sys, base) in labels_in_system:
            parents = "@" + base  # resolved below, once the base body part has its term
        elif not parents and base:
            parents = "#" + base
            bases.setdefault((sec, sys, base), []).append(key)
            system_names[(sec, sys)] = part["body_system_label"]
        elif not parents:
            parents = system["id"] + ("" if system["placement"] == "outside_back" else f";{OUTSIDE}")
        definition = (f"The {label}, ICD-10-PCS body part {key}: body part {code} ('{pcs}') of body system {sys} "
                      f"({part['body_system_label']}){' in section 1 (Obstetrics)' if sec == '1' else ''}. Outside the "
                      f"spine and the back: ICD-10-PCS gives the spine and the back body parts of their own.")
        # the CMS label as an exact synonym, unless it would make a known name ambiguous (0W6 'Neck')
        synonyms = pcs if normalise(pcs) not in taken | {normalise(label)} else ""
        row = {"id": ident, "label": label, "parents": parents, "definition": definition, "synonyms": synonyms,
               "comment": override.get("comment", ""), "__line__": part["__line__"]}
        add(row)
        term_of[pcs] = ident
        body.mappings.append({"key": key, "subject_label": f"{part['body_system_label']}: {pcs}", "term": ident,
                              "label": label, "comment": f"Generated for this body part ({where})."})
    for (sec, sys, base), keys in sorted(bases.items()):
        system = systems[(sec, sys)]
        label = readable(base)
        ident = term_id(label)
        add({"id": ident, "label": label, "synonyms": base if normalise(base) not in taken | {normalise(label)} else "",
             "parents": system["id"] + ("" if system["placement"] == "outside_back" else f";{OUTSIDE}"),
             "definition": f"The {label}, of either side. ICD-10-PCS codes it by side, as body parts "
                           f"{' and '.join(keys)} (body system {sys}, {system_names[(sec, sys)]}); a text that "
                           f"names no side names this term.",
             "__line__": system["__line__"]})
        term_of["#" + base] = ident
    side_free = set()
    for row in body.rows:
        if row["parents"][:1] in "@#":
            marker, base = row["parents"][0], row["parents"][1:]
            row["parents"] = term_of[base if marker == "@" else "#" + base]
            side_free.add(row["parents"])
    _add_key_synonyms(body, ref, term_of, generated, taken, side_free)
    return body


def _add_key_synonyms(body: Body, ref: Path, term_of: dict[str, str], generated: dict[str, dict[str, str]],
                      taken: set[str], side_free: set[str]) -> None:
    """CMS Body Part Key names as related synonyms of generated terms ('Vermiform appendix' of appendix).
    A name keyed to both sides goes to the laterality-free parent; a name that is already some term's
    label is left to that term; existing (curated) terms keep their own synonyms."""
    related: dict[str, list[str]] = {}
    keyed: dict[str, list[str | None]] = {}  # an entry and its '(continued)' rows are one entry
    for entry in read_tsv(ref / "icd10pcs_body_part_key.tsv", ("term", "content")):
        targets = [term_of.get(label) for label in _key_targets(entry["content"])]
        if any(t is None for t in targets):
            raise SpinekgError(f"{entry['__line__']}: {entry['content']!r} names a body part without a term")
        keyed.setdefault(entry["term"].strip(), []).extend(targets)
    for name, targets in keyed.items():
        by_parent: dict[str, list[str]] = {}
        for target in sorted(set(targets)):  # type: ignore[arg-type]
            parent = generated[target]["parents"] if target in generated else ""
            by_parent.setdefault(parent if parent in side_free else target, []).append(target)
        # both sides of one side-free term -> that term; anything else keeps its own target
        terms = sorted(parent if len(group) > 1 else group[0] for parent, group in by_parent.items())
        if normalise(name) in taken:
            continue
        for term in terms:
            if term in generated and normalise(name) not in {normalise(s) for s in related.get(term, [])}:
                related.setdefault(term, []).append(name)
    for row in body.rows:
        if row["id"] in related:
            row["related_synonyms"] = ";".join(related[row["id"]])


SSSOM_HEADER = """# curie_map:
#   ICD10PCS: http://purl.bioontology.org/ontology/ICD10PCS/
#   ICD10CM: http://purl.bioontology.org/ontology/ICD10CM/
#   PCSAXIS: https://w3id.org/spinekg/icd10pcs-axis/
#   spinekg: https://w3id.org/spinekg/
#   skos: http://www.w3.org/2004/02/skos/core#
#   semapv: https://w3id.org/semapv/vocab/
# mapping_set_id: https://w3id.org/spinekg/mappings/icd10pcs-body-parts-whole-body.sssom.tsv
# mapping_set_description: GENERATED by `spinekg generate` from ontology/reference/icd10pcs_body_parts.tsv and ontology/templates/body_systems.tsv + pcs_body_parts.tsv; do not edit. Every ICD-10-PCS body part that icd10pcs-body-parts.sssom.tsv does not map (the spine and back ones), mapped to the spinekg term generated for it or to the reviewed look-alike term it reuses. Together the two files map every (section, body system, body part) of the reference table. All of these terms are outside the spine and the back.
# license: https://creativecommons.org/licenses/by/4.0/
# mapping_provider: https://w3id.org/spinekg/
# mapping_set_version: {version}
# mapping_date: 2026-12-02
# creator_label:
#   - spinekg contributors
# comment: Generated; every subject id is a row of ontology/reference/icd10pcs_body_parts.tsv.
subject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\tmapping_justification\tsubject_source_version\tcomment
""".replace(
    "{version}", __version__)


def whole_body_sssom(body: Body) -> str:
    lines = [f"PCSAXIS:body-part-{m['key']}\t{m['subject_label']}\tskos:exactMatch\tspinekg:{m['term']}\t{m['label']}\t"
             f"semapv:ManualMappingCuration\tICD-10-PCS 2025 (CMS)\t{m['comment']}" for m in body.mappings]
    return SSSOM_HEADER + "\n".join(lines) + "\n"
