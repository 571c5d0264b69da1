"""``spinekg check EXT.ttl``: is a researcher's extension module safe to merge, and what does it change?

The report follows ROBOT's ``report``: one row per problem with a level (ERROR, WARN, INFO), a rule
name, the subject, the property and the value. Rules:

ERROR  missing_label, multiple_labels, duplicate_label, invalid_xref, unknown_xref, undeclared_term,
       part_of_cycle, inconsistent_ontology, unsatisfiable_class (each with the axioms behind it, from
       Pellet's justification)
WARN   missing_definition, label_whitespace, dangling_term, procedure_without_site, template_placeholder,
       equivalent_classes (a new class HermiT proves equivalent to another named class)
INFO   procedure_without_approach

After the lexical checks the extension is merged with the ontology and classified with HermiT; the
report ends with how the classification changed: which procedures became, or stopped being, back
surgery or spine surgery (compared with the shipped runtime index). Exit 1 when any ERROR is found.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SpinekgError
from ..namespaces import DEFINITION, OBOINOWL, PART_OF, SPINEKG, XREF_PREFIXES, local_name

LEVELS = ("ERROR", "WARN", "INFO")
CURIE_SHAPE = re.compile(r"^([A-Za-z][A-Za-z0-9_]*):([A-Za-z0-9_.\-]+)$")
BUILTIN_VOCAB = ("http://www.w3.org/", "http://purl.org/dc/", "http://www.geneontology.org/formats/oboInOwl#")


@dataclass(frozen=True, order=True)
class Row:
    level_rank: int
    rule: str
    subject: str
    property: str
    value: str

    @property
    def level(self) -> str:
        return LEVELS[self.level_rank]


@dataclass
class Change:
    term: str
    label: str
    question: str  # "back surgery" / "spine surgery"
    before: str | None  # None: a new term
    after: str


@dataclass
class Report:
    path: Path
    rows: list[Row] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    explanations: dict[str, list[str]] = field(default_factory=dict)  # subject -> readable axioms
    reasoned: bool = False

    def add(self, level: str, rule: str, subject: str, prop: str, value: str) -> None:
        self.rows.append(Row(LEVELS.index(level), rule, subject, prop, value))

    def count(self, level: str) -> int:
        return sum(1 for r in self.rows if r.level == level)

    @property
    def exit_code(self) -> int:
        return 1 if self.count("ERROR") else 0


def _curie(node) -> str:  # type: ignore[no-untyped-def]
    text = str(node)
    if text.startswith(SPINEKG):
        return "spinekg:" + text[len(SPINEKG):]
    if text == PART_OF:
        return "BFO:0000050"
    for prefix, base in (("rdfs", "http://www.w3.org/2000/01/rdf-schema#"), ("owl", "http://www.w3.org/2002/07/owl#"),
                         ("IAO", "http://purl.obolibrary.org/obo/IAO_"), ("oboInOwl", OBOINOWL)):
        if text.startswith(base):
            return f"{prefix}:{text[len(base):]}"
    return text


def _known_xrefs() -> set[str]:
    from ..paths import ontology_dir
    from .xrefs import REFERENCE_FILE, reference_rows

    return set(reference_rows(ontology_dir() / "reference" / REFERENCE_FILE))


# ---- lexical and structural rules ---------------------------------------------------------------

def _lexical(report: Report, ext, merged, base, new_terms: set) -> None:  # type: ignore[no-untyped-def]
    from rdflib import Literal, URIRef
    from rdflib.namespace import OWL, RDF, RDFS, SKOS

    from .xrefs import iri_to_curie

    labels_of: dict[str, set] = {}
    for subject, label in merged.subject_objects(RDFS.label):
        if isinstance(label, Literal) and isinstance(subject, URIRef):
            labels_of.setdefault(" ".join(str(label).lower().split()), set()).add(subject)
    for term in sorted(new_terms):
        name = _curie(term)
        labels = [lab for lab in ext.objects(term, RDFS.label) if isinstance(lab, Literal)]
        if not labels:
            report.add("ERROR", "missing_label", name, "rdfs:label", "(none)")
        english = [lab for lab in labels if lab.language in (None, "en")]
        if len(english) > 1:
            report.add("ERROR", "multiple_labels", name, "rdfs:label", " | ".join(sorted(str(lab) for lab in english)))
        for label in labels:
            text = str(label)
            if text != text.strip() or "  " in text or "\t" in text or "\n" in text:
                report.add("WARN", "label_whitespace", name, "rdfs:label", repr(text))
            clash = sorted(_curie(s) for s in labels_of.get(" ".join(text.lower().split()), set()) if s != term)
            if clash:
                report.add("ERROR", "duplicate_label", name, "rdfs:label", f"{text!r} is also the label of {', '.join(clash)}")
        if not any(True for _ in ext.objects(term, URIRef(DEFINITION))) and not any(True for _ in base.objects(term, URIRef(DEFINITION))):
            report.add("WARN", "missing_definition", name, "IAO:0000115", "(none)")
        parents = set(merged.objects(term, RDFS.subClassOf)) | set(merged.objects(term, OWL.equivalentClass))
        if not parents:
            report.add("WARN", "dangling_term", name, "rdfs:subClassOf", "no superclass: the term is not connected to the ontology")
    known = _known_xrefs()
    for subject, value in sorted(ext.subject_objects(URIRef(OBOINOWL + "hasDbXref")), key=str):
        _xref(report, _curie(subject), "oboInOwl:hasDbXref", str(value), known)
    for prop in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch):
        for subject, value in sorted(ext.subject_objects(prop), key=str):
            curie = iri_to_curie(str(value))
            _xref(report, _curie(subject), f"skos:{str(prop).rsplit('#', 1)[1]}", curie or str(value), known)
    del RDF


def _xref(report: Report, subject: str, prop: str, value: str, known: set[str]) -> None:
    match = CURIE_SHAPE.match(value)
    if not match or match.group(1) not in XREF_PREFIXES:
        report.add("ERROR", "invalid_xref", subject, prop,
                   f"{value!r} is not a CURIE with one of the prefixes {', '.join(XREF_PREFIXES)}")
    elif value not in known:
        report.add("ERROR", "unknown_xref", subject, prop,
                   f"{value} is not in ontology/reference/external_terms.tsv (only verified identifiers may be used)")


def _undeclared(report: Report, ext, merged) -> None:  # type: ignore[no-untyped-def]
    """spinekg IRIs the extension uses that nothing declares (typos, removed terms)."""
    from rdflib import URIRef
    from rdflib.namespace import RDF

    declared = {s for s in merged.subjects(RDF.type, None) if isinstance(s, URIRef)}
    names = sorted(local_name(str(s)) for s in declared if str(s).startswith(SPINEKG))
    seen = set()
    for s, p, o in ext:
        for node in (s, p, o):
            if isinstance(node, URIRef) and str(node).startswith(SPINEKG) and node not in declared and node not in seen:
                if str(node).startswith(SPINEKG + "profiles/") or str(node).startswith(SPINEKG + "extensions/"):
                    continue
                seen.add(node)
                close = difflib.get_close_matches(local_name(str(node)), names, n=1, cutoff=0.8)
                hint = f"; did you mean spinekg:{close[0]}?" if close else ""
                report.add("ERROR", "undeclared_term", _curie(node), "rdf:type",
                           f"used but not declared in the ontology or the extension{hint}")


def _placeholders(report: Report, ext) -> None:  # type: ignore[no-untyped-def]
    """Text and terms copied unchanged from ontology/extensions/TEMPLATE.ttl (its example names, labels,
    definition, synonyms and header), and definitions still holding the template's '...' gap."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import OWL, RDF

    from ..paths import ontology_dir
    from ..rdf.parse import parse_file

    template_path = ontology_dir() / "extensions" / "TEMPLATE.ttl"
    if not template_path.is_file():
        return
    template = parse_file(template_path)
    placeholder_terms = {s for s in template.subjects(RDF.type, None) if isinstance(s, URIRef)}
    placeholder_text = {" ".join(str(o).split()) for _, p, o in template if isinstance(o, Literal) and p != RDF.type}
    for term in sorted(placeholder_terms & set(ext.subjects(RDF.type, None))):
        kind = "ontology IRI" if (term, RDF.type, OWL.Ontology) in template else "term"
        report.add("WARN", "template_placeholder", _curie(term), "rdf:type",
                   f"the template's example {kind}, not renamed")
    for subject, prop, value in sorted(ext, key=str):
        if not isinstance(value, Literal):
            continue
        text = " ".join(str(value).split())
        if text in placeholder_text:
            report.add("WARN", "template_placeholder", _curie(subject), _curie(prop), f"{text!r} is the template's placeholder text")
        elif str(prop) == DEFINITION and "..." in text:
            report.add("WARN", "template_placeholder", _curie(subject), _curie(prop), f"{text!r} still has the template's '...' gap")


def _cycles(report: Report, merged) -> None:  # type: ignore[no-untyped-def]
    import networkx as nx

    from .asserted import read_asserted

    asserted = read_asserted(merged)
    graph = nx.DiGraph()
    for cls, props in asserted.some.items():
        for filler in props.get(local_name(PART_OF), []):
            if len(filler) == 1 and filler[0] != cls:
                graph.add_edge(cls, filler[0])
    for component in sorted(nx.strongly_connected_components(graph), key=sorted):
        if len(component) > 1:
            members = sorted(component)
            cycle = nx.find_cycle(graph.subgraph(members), source=members[0])
            path = " → part of ".join(f"spinekg:{a}" for a, _ in cycle) + f" → part of spinekg:{cycle[0][0]}"
            report.add("ERROR", "part_of_cycle", f"spinekg:{members[0]}", "BFO:0000050", path)


def _procedures(report: Report, merged, new_terms: set, ancestors: dict[str, set[str]]) -> None:  # type: ignore[no-untyped-def]
    from .asserted import read_asserted

    asserted = read_asserted(merged)
    for term in sorted(new_terms):
        name = local_name(str(term))
        lineage = ancestors.get(name, set()) | set(asserted.superclasses(name))
        if "Procedure" not in lineage:
            continue
        if not asserted.inherited("some", name, "hasSite"):
            report.add("WARN", "procedure_without_site", f"spinekg:{name}", "spinekg:hasSite",
                       "no site: whether it is back or spine surgery cannot be decided")
        if not asserted.inherited("some", name, "hasApproach"):
            report.add("INFO", "procedure_without_approach", f"spinekg:{name}", "spinekg:hasApproach", "(none)")


# ---- reasoning ----------------------------------------------------------------------------------

def _explain_unsat(merged, names: list[str], inconsistent: bool) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    import tempfile

    from .explain import _labels, order_as_chain, parse_explanations, readable, run_pellet

    labels = _labels(merged)
    out: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="spinekg-check-") as tmp:
        owl = Path(tmp) / "merged.owl"
        merged.serialize(owl, format="xml")
        modes = [["--inconsistent"]] if inconsistent else [["--unsat", SPINEKG + n] for n in names[:5]]
        keys = ["(ontology)"] if inconsistent else names[:5]
        try:
            texts = run_pellet(owl, modes)
        except SpinekgError as exc:
            return {key: [f"(no explanation: {exc.message})"] for key in keys}
        for key, text in zip(keys, texts):
            found = parse_explanations(text) or []
            axioms = order_as_chain(found[0].axioms, key) if found else []
            out[key] = [readable(a, labels) for a in axioms] or ["(Pellet returned no justification)"]
    return out


def _classification_changes(report: Report, index: dict, ancestors: dict[str, set[str]], merged) -> None:  # type: ignore[no-untyped-def]
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS

    from ..vocab import tri

    for name in sorted(ancestors):
        lineage = ancestors[name]
        if "Procedure" not in lineage or name.startswith("ZoneProbe__"):
            continue
        before = index["procedures"].get(name)
        label = next((str(v) for v in merged.objects(URIRef(SPINEKG + name), RDFS.label) if isinstance(v, Literal)), name)
        for question, key, positive, negative in (("spine surgery", "spine_surgery", "SpineSurgery", "NotSpineSurgery"),
                                                  ("back surgery", "back_surgery", "BackSurgery", "NotBackSurgery")):
            after = tri(positive in lineage, negative in lineage)
            old = before[key] if before else None
            if old != after:
                report.changes.append(Change(name, label, question, old, after))


def check_extension(path: Path, reason: bool = True) -> Report:
    """Run every rule on the extension at ``path`` merged with the ontology."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import OWL, RDF

    from ..answer.index import load_index
    from .ontology import load_ontology
    from ..rdf.parse import parse_file
    from .reasoning import classify_with_hermit

    path = Path(path)
    if not path.is_file():
        raise SpinekgError(f"{path}: no such file")
    ext = parse_file(path)
    report = Report(path)
    base = load_ontology()
    if any(True for _ in ext.subject_objects(URIRef(SPINEKG + "redefines"))):
        # a profile: it replaces the definitions it names (see spinekg.profiles.apply_profile)
        from .profile_overlays import apply_profile
        from ..answer.profiles import read_profile

        merged = apply_profile(base, read_profile(path))
    else:
        merged = Graph()
        for graph in (base, ext):
            for triple in graph:
                merged.add(triple)
    for header in list(ext.subjects(RDF.type, OWL.Ontology)):
        for triple in list(merged.triples((header, None, None))):
            merged.remove(triple)
    base_subjects = set(base.subjects(RDF.type, None))
    new_terms = {s for s in ext.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef) and s not in base_subjects}
    if not new_terms and not len(ext):
        report.add("WARN", "empty_extension", str(path), "", "the file holds no triples")
    _lexical(report, ext, merged, base, new_terms)
    _undeclared(report, ext, merged)
    _placeholders(report, ext)
    _cycles(report, merged)
    ancestors: dict[str, set[str]] = {}
    if reason:
        try:
            result = classify_with_hermit(merged)
        except SpinekgError as exc:
            if "inconsistent" not in exc.message:
                raise
            report.add("ERROR", "inconsistent_ontology", str(path), "", "HermiT: the merged ontology is inconsistent")
            report.explanations.update(_explain_unsat(merged, [], inconsistent=True))
            report.reasoned = True
            return _finish(report)
        report.reasoned = True
        ancestors = result.ancestors
        unsat = sorted(result.unsatisfiable)
        for name in unsat:
            report.add("ERROR", "unsatisfiable_class", f"spinekg:{name}", "owl:equivalentClass",
                       "HermiT: no individual can be a member (owl:Nothing)")
        if unsat:
            report.explanations.update(_explain_unsat(merged, unsat, inconsistent=False))
        known_groups = set()
        for group in result.equivalents:
            fresh = {n for n in group if URIRef(SPINEKG + n) in new_terms}
            if fresh and frozenset(group) not in known_groups:
                known_groups.add(frozenset(group))
                for name in sorted(fresh):
                    others = sorted(group - {name})
                    report.add("WARN", "equivalent_classes", f"spinekg:{name}", "owl:equivalentClass",
                               f"HermiT proves it equivalent to {', '.join('spinekg:' + o for o in others)}")
        same: dict[str, set[str]] = {}
        for group in result.equivalents:
            for member in group:
                same.setdefault(member, set()).update(group)
        lineages = {n: a | {n} | same.get(n, set()) for n, a in ancestors.items() if n not in unsat}
        _classification_changes(report, load_index(), lineages, merged)
    _procedures(report, merged, new_terms, ancestors)
    return _finish(report)


def _finish(report: Report) -> Report:
    report.rows = sorted(set(report.rows))
    return report


# ---- rendering ----------------------------------------------------------------------------------

def render_text(report: Report) -> str:
    lines = [f"spinekg check {report.path}"]
    if report.rows:
        width = max(len(r.rule) for r in report.rows)
        subject = max(len(r.subject) for r in report.rows)
        for row in report.rows:
            lines.append(f"{row.level:<5}  {row.rule:<{width}}  {row.subject:<{subject}}  {row.property}  {row.value}".rstrip())
            if row.rule in ("unsatisfiable_class", "inconsistent_ontology"):
                key = row.subject.removeprefix("spinekg:") if row.rule == "unsatisfiable_class" else "(ontology)"
                axioms = report.explanations.get(key, [])
                if axioms:
                    lines.append("       because (Pellet justification):")
                lines.extend(f"         {i}. {axiom}" for i, axiom in enumerate(axioms, 1))
    lines.append(f"{report.count('ERROR')} ERROR, {report.count('WARN')} WARN, {report.count('INFO')} INFO")
    if report.reasoned:
        lines.append("classification changes (HermiT, compared with the shipped index):")
        if not report.changes:
            lines.append("  none")
        for change in report.changes:
            if change.before is None:
                lines.append(f"  + spinekg:{change.term} ({change.label}): {change.question} {change.after}")
            else:
                lines.append(f"  ~ spinekg:{change.term} ({change.label}): {change.question} {change.before} → {change.after}")
    return "\n".join(lines)


def render_tsv(report: Report) -> str:
    lines = ["Level\tRule Name\tSubject\tProperty\tValue"]
    lines += [f"{r.level}\t{r.rule}\t{r.subject}\t{r.property}\t{r.value}" for r in report.rows]
    return "\n".join(lines)


def to_dict(report: Report) -> dict:
    return {"file": str(report.path), "errors": report.count("ERROR"), "warnings": report.count("WARN"),
            "info": report.count("INFO"),
            "rows": [{"level": r.level, "rule": r.rule, "subject": r.subject, "property": r.property, "value": r.value}
                     for r in report.rows],
            "explanations": report.explanations,
            "changes": [{"term": c.term, "label": c.label, "question": c.question, "before": c.before, "after": c.after}
                        for c in report.changes]}
