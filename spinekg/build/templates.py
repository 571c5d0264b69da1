"""Generate the regular ontology modules from the template tables in ``ontology/templates/``.

Templates keep regular content (terms with a label, definition, synonyms, xrefs and a few restrictions)
in tables that researchers can edit, in the manner of ROBOT templates. Levels (vertebrae, discs, motion
segments, nerve roots) are derived from two small tables, so "every disc C2-C3 ... L5-S1" cannot go
missing. Output is deterministic Turtle; a test fails when a committed module is out of date.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ..errors import SpinekgError
from ..namespaces import DEFINITION, OBOINOWL, PART_OF, HAS_PART, SPINEKG, XREF_PREFIXES, expand_curie
from ..tsv import read_tsv
from ..files import write_atomically

SK = Namespace(SPINEKG)
OIO = Namespace(OBOINOWL)

# Relation columns: column name -> (property IRI, kind). Kind "some" makes one existential restriction per
# ';'-separated value, with '|' inside a value meaning a union; "some-each" treats '|' like ';' (each
# alternative is its own typical association); "only" makes one universal restriction over the union
# of all values (the closure that lets "no" be entailed).
RELATIONS: dict[str, tuple[str, str]] = {
    "part_of": (PART_OF, "some"),
    "has_part": (HAS_PART, "some"),
    "has_site": (SPINEKG + "hasSite", "some"),
    "site_only": (SPINEKG + "hasSite", "only"),
    "has_approach": (SPINEKG + "hasApproach", "some"),
    "has_objective": (SPINEKG + "hasObjective", "some"),
    "treats": (SPINEKG + "treats", "some"),
    "performed_by": (SPINEKG + "typicallyPerformedBy", "some-each"),
    "recovery": (SPINEKG + "typicalRecovery", "some"),
    "affects": (SPINEKG + "affects", "some"),
    "may_require": (SPINEKG + "mayRequireSpecialty", "some-each"),
    "has_training": (SPINEKG + "hasTraining", "some"),
}
MAPPING_PREDICATES = {"exact": SKOS.exactMatch, "close": SKOS.closeMatch, "broad": SKOS.broadMatch, "narrow": SKOS.narrowMatch}

GENERATED_MODULES = ("anatomy", "levels", "body", "qualities", "specialties", "disorders", "procedures")
TEMPLATE_OF = {
    "anatomy": "anatomy.tsv",
    "qualities": "qualities.tsv",
    "specialties": "specialties.tsv",
    "disorders": "disorders.tsv",
    "procedures": "procedures.tsv",
    "levels": "vertebrae.tsv + nerve_roots.tsv",
    "body": "body_systems.tsv + pcs_body_parts.tsv with reference/icd10pcs_body_parts.tsv and icd10pcs_body_part_key.tsv",
}
MODULE_COMMENT = {
    "anatomy": "Spinal and back anatomy: regions, junctions, vertebrae by kind, discs, joints, posterior elements, canal, cord, meninges, nerve roots, ligaments, and look-alike structures outside the back.",
    "levels": "Every vertebra C1-S5, intervertebral disc C2-C3 to L5-S1, motion segment occiput-C1 to L5-S1 and nerve root C1-Co1.",
    "body": "The whole body: one term for every ICD-10-PCS body part that no spine or back term stands for, under a grouping class per body system, each provably outside the spine and the back; CMS Body Part Key names as related synonyms.",
    "qualities": "Approaches, objectives (seed section 3) and recovery profiles (seed section 5).",
    "specialties": "Specialists and training (seed section 4).",
    "disorders": "Spinal disorders named by the seed and the conditions behind its specialists, each with its region where intrinsic.",
    "procedures": "Procedures on the spine and back, with site, approach, objectives, conditions treated, typical specialists and recovery.",
}


def split_cell(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _class_expression(graph: Graph, value: str, where: str) -> URIRef | BNode:
    """``A`` names a class; ``A|B`` is their union."""
    names = [name.strip() for name in value.split("|") if name.strip()]
    for name in names:
        if not name.replace("_", "").isalnum():
            raise SpinekgError(f"{where}: {name!r} is not a term id")
    if len(names) == 1:
        return SK[names[0]]
    union = BNode()
    graph.add((union, RDF.type, OWL.Class))
    members = BNode()
    Collection(graph, members, [SK[name] for name in names])
    graph.add((union, OWL.unionOf, members))
    return union


def _restriction(graph: Graph, subject: URIRef, prop: str, quantifier: URIRef, filler: URIRef | BNode) -> None:
    restriction = BNode()
    graph.add((restriction, RDF.type, OWL.Restriction))
    graph.add((restriction, OWL.onProperty, URIRef(prop)))
    graph.add((restriction, quantifier, filler))
    graph.add((subject, RDFS.subClassOf, restriction))


def add_xref(graph: Graph, subject: URIRef, value: str, where: str) -> None:
    """``UBERON:0001130`` (exact) or ``broad:MESH:D010019``; exact ones also become oboInOwl xrefs."""
    kind, _, curie = value.partition(":")
    if kind not in MAPPING_PREDICATES:
        kind, curie = "exact", value
    prefix = curie.partition(":")[0]
    if prefix not in XREF_PREFIXES:
        raise SpinekgError(f"{where}: xref {value!r} has an unknown prefix (allowed: {', '.join(XREF_PREFIXES)})")
    graph.add((subject, MAPPING_PREDICATES[kind], URIRef(expand_curie(curie))))
    if kind == "exact":
        graph.add((subject, OIO.hasDbXref, Literal(curie)))


def add_term(graph: Graph, row: dict[str, str]) -> None:
    """Write one template row as an OWL class with its annotations and restrictions."""
    where = row.get("__line__", "template")
    term_id = row["id"].strip()
    if not term_id or not term_id.replace("_", "").isalnum():
        raise SpinekgError(f"{where}: bad term id {term_id!r}")
    subject = SK[term_id]
    graph.add((subject, RDF.type, OWL.Class))
    if not row.get("label", "").strip():
        raise SpinekgError(f"{where}: term {term_id} has no label")
    graph.add((subject, RDFS.label, Literal(row["label"].strip(), lang="en")))
    if row.get("definition", "").strip():
        graph.add((subject, URIRef(DEFINITION), Literal(row["definition"].strip(), lang="en")))
    for parent in split_cell(row.get("parents", "")):
        graph.add((subject, RDFS.subClassOf, SK[parent]))
    for synonym in split_cell(row.get("synonyms", "")):
        graph.add((subject, OIO.hasExactSynonym, Literal(synonym, lang="en")))
    for synonym in split_cell(row.get("related_synonyms", "")):
        graph.add((subject, OIO.hasRelatedSynonym, Literal(synonym, lang="en")))
    for abbreviation in split_cell(row.get("abbreviations", "")):
        graph.add((subject, SK.abbreviation, Literal(abbreviation)))
    for xref in split_cell(row.get("xrefs", "")):
        add_xref(graph, subject, xref, where)
    for section in split_cell(row.get("seed", "")):
        graph.add((subject, SK.seedSection, Literal(section)))
    if row.get("comment", "").strip():
        graph.add((subject, RDFS.comment, Literal(row["comment"].strip(), lang="en")))
    for column, (prop, kind) in RELATIONS.items():
        cell = row.get(column, "").strip()
        if not cell:
            continue
        if kind == "only":
            values = "|".join(split_cell(cell))
            _restriction(graph, subject, prop, OWL.allValuesFrom, _class_expression(graph, values, where))
            continue
        values = split_cell(cell)
        if kind == "some-each":
            values = [name for value in values for name in value.split("|")]
        for value in values:
            _restriction(graph, subject, prop, OWL.someValuesFrom, _class_expression(graph, value, where))


# ---- levels ---------------------------------------------------------------------------------------

REGION_CLASSES = {
    "cervical": ("CervicalSpine", "CervicalVertebra", "CervicalIntervertebralDisc", "CervicalNerveRoot"),
    "thoracic": ("ThoracicSpine", "ThoracicVertebra", "ThoracicIntervertebralDisc", "ThoracicNerveRoot"),
    "lumbar": ("LumbarSpine", "LumbarVertebra", "LumbarIntervertebralDisc", "LumbarNerveRoot"),
    "sacral": ("SacralSpine", "SacralVertebra", "", "SacralNerveRoot"),
    "coccygeal": ("CoccygealSpine", "CoccygealVertebra", "", "CoccygealNerveRoot"),
}
ORDINALS = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
            "tenth", "eleventh", "twelfth"]
REGION_WORD = {"C": "cervical", "T": "thoracic", "L": "lumbar", "S": "sacral", "Co": "coccygeal"}


def level_id(level: str) -> str:
    return level.replace("-", "")


def level_pair_forms(upper: str, lower: str) -> list[str]:
    """The ways clinicians write a level: L4-L5, L4/L5, L4-5, L4/5 (C0 also as occiput)."""
    forms = [f"{upper}-{lower}", f"{upper}/{lower}"]
    if upper[0] == lower[0] and upper[0] in "CTL":
        forms += [f"{upper}-{lower[1:]}", f"{upper}/{lower[1:]}"]
    return forms


@dataclass(frozen=True)
class Level:
    name: str
    region: str
    junction_below: str
    disc_below: bool
    synonyms: str
    xrefs: str
    where: str


def read_levels(templates: Path) -> list[Level]:
    rows = read_tsv(templates / "vertebrae.tsv", ("level", "region", "junction_below", "disc_below", "synonyms", "xrefs"))
    return [Level(r["level"], r["region"], r["junction_below"], r["disc_below"] == "yes", r["synonyms"], r["xrefs"], r["__line__"]) for r in rows]


def level_rows(templates: Path) -> list[dict[str, str]]:
    """Template rows for every vertebra, disc, motion segment and nerve root."""
    levels = read_levels(templates)
    rows: list[dict[str, str]] = []
    for level in levels:
        if not level.region:  # the occiput (C0) is not a vertebra; it only bounds the C0-C1 segment
            continue
        letter, number = level.name[0], int(level.name[1:])
        region = REGION_CLASSES[level.region]
        synonyms = [level.name, f"{ORDINALS[number]} {level.region} vertebra"] + split_cell(level.synonyms)
        rows.append({
            "id": f"Vertebra{level.name}", "label": f"{level.name} vertebra",
            "parents": region[1],
            "definition": f"The {ORDINALS[number]} {level.region} vertebra" + (" (a segment of the sacrum)." if letter == "S" else "."),
            "synonyms": ";".join(synonyms), "xrefs": level.xrefs, "__line__": level.where,
        })
    for upper, lower in zip(levels, levels[1:]):
        if lower.region == "sacral" and upper.region == "sacral":
            continue  # the sacral segments are fused: no discs or motion segments
        home = REGION_CLASSES[upper.region or "cervical"][0]
        pair = f"{upper.name}-{lower.name}"
        seg_id, disc_id = f"MotionSegment{level_id(pair)}", f"Disc{level_id(pair)}"
        forms = level_pair_forms(upper.name, lower.name)
        part_of = ";".join(filter(None, [home, upper.junction_below]))
        upper_words = "the occiput" if not upper.region else upper.name
        rows.append({
            "id": seg_id, "label": f"{pair} motion segment", "parents": "MotionSegment",
            "definition": f"The motion segment between {upper_words} and {lower.name}: the level '{pair}'. It belongs to the region of its upper vertebra; the vertebrae are not asserted as its parts, since 'has part' is the inverse of 'part of' and would place each vertebra in two regions.",
            "synonyms": ";".join([f"{form} level" for form in forms] + forms),
            "part_of": part_of, "__line__": upper.where,
        })
        if upper.disc_below:
            rows.append({
                "id": disc_id, "label": f"{pair} intervertebral disc",
                "parents": REGION_CLASSES[upper.region][2],
                "definition": f"The intervertebral disc between {upper.name} and {lower.name}.",
                "synonyms": ";".join([f"{form} disc" for form in forms] + [f"{form} disk" for form in forms[:2]]),
                "part_of": seg_id, "__line__": upper.where,
            })
    roots = read_tsv(templates / "nerve_roots.tsv", ("root", "region", "exits_between"))
    for root in roots:
        name, region = root["root"], root["region"]
        exits = root["exits_between"]
        rows.append({
            "id": f"NerveRoot{name}", "label": f"{name} nerve root", "parents": REGION_CLASSES[region][3],
            "definition": f"The {name} spinal nerve root" + (f", which leaves the spinal canal at {exits}." if exits else "."),
            "synonyms": f"{name} root;{name} spinal nerve root", "__line__": root["__line__"],
        })
    return rows


# ---- modules --------------------------------------------------------------------------------------

def new_graph(module: str) -> Graph:
    graph = Graph()
    graph.bind("", SK)
    graph.bind("obo", Namespace("http://purl.obolibrary.org/obo/"))
    graph.bind("oboInOwl", OIO)
    graph.bind("owl", OWL)
    graph.bind("rdfs", RDFS)
    graph.bind("skos", SKOS)
    header = URIRef(SPINEKG + "modules/" + module)
    graph.add((header, RDF.type, OWL.Ontology))
    graph.add((header, RDFS.comment, Literal(MODULE_COMMENT[module], lang="en")))
    return graph


def existing_terms(templates: Path) -> tuple[dict[str, str], set[str]]:
    """Id -> label of the templated spine and back anatomy, which the whole-body module must not duplicate,
    and every label and exact synonym of it (a generated label must not make a known name ambiguous)."""
    rows = read_tsv(templates / "anatomy.tsv", ("id", "label")) + level_rows(templates)
    names = {row["label"] for row in rows} | {s for row in rows for s in split_cell(row.get("synonyms", ""))}
    return {row["id"]: row["label"] for row in rows}, names


def module_rows(module: str, templates: Path) -> list[dict[str, str]]:
    if module == "levels":
        return level_rows(templates)
    if module == "body":
        from .body_templates import body_rows

        return body_rows(templates.parent, *existing_terms(templates)).rows
    return read_tsv(templates / TEMPLATE_OF[module], ("id", "label", "parents", "definition"))


def build_module(module: str, templates: Path) -> Graph:
    graph = new_graph(module)
    seen: set[str] = set()
    for row in module_rows(module, templates):
        if row["id"] in seen:
            raise SpinekgError(f"{row['__line__']}: duplicate term id {row['id']}")
        seen.add(row["id"])
        add_term(graph, row)
    return graph


def render_module(module: str, templates: Path) -> str:
    """Deterministic Turtle text for a generated module."""
    from ..rdf.serialize import turtle_text

    banner = (f"# GENERATED from ontology/templates/{TEMPLATE_OF[module]} by `spinekg generate`.\n"
              "# Do not edit by hand: edit the template and regenerate.\n")
    return banner + turtle_text(build_module(module, templates))


def generate(ontology_dir: Path, check: bool = False) -> list[str]:
    """Regenerate every templated module; with ``check`` only report those that are out of date."""
    templates = ontology_dir / "templates"
    stale = []
    for module in GENERATED_MODULES:
        target = ontology_dir / "modules" / f"{module}.ttl"
        text = render_module(module, templates)
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current != text:
            stale.append(module)
            if not check:
                write_atomically(target, text)
    from .body_templates import WHOLE_BODY_FILE, body_rows, whole_body_sssom

    target = ontology_dir / "mappings" / WHOLE_BODY_FILE
    text = whole_body_sssom(body_rows(ontology_dir, *existing_terms(templates)))
    if (target.read_text(encoding="utf-8") if target.exists() else None) != text:
        stale.append(f"mappings/{WHOLE_BODY_FILE}")
        if not check:
            write_atomically(target, text)
    return stale
