"""SHACL for spinekg: validate case records, extensions and the ontology; derive verdicts with SHACL-AF rules.

One call each, over pySHACL:

* ``validate(data, shapes=None) -> Report`` — ``conforms`` plus findings grouped by record, each with the
  record's label, the property, the offending value and a plain-English message.
* ``infer(data) -> Graph`` — only the triples the rules in ``ontology/shapes/rules.ttl`` derive
  (``spinekg:spineSurgeryVerdict``, ``spinekg:backSurgeryVerdict``, ``spinekg:inRegion``).
* ``validate_ontology(extension=None) -> Report`` — the ontology-quality shapes over the shipped ontology
  (plus an extension file).

Why the ontology graph is built here and not loaded from a release file: validation must run without Java.
The graph is the query-ready edges graph (``spinekg.edges``) computed from the asserted ontology and a
subclass closure made of the asserted parents plus what HermiT entailed at build time (the runtime index
keeps it). A test proves it equal to the edges graph of a fresh HermiT run for every class a case record
can use. It is added to the data once per call (never validated itself: the case shapes target records).
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from .errors import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, SpinekgError
from .namespaces import SPINEKG
from .paths import ontology_dir

SHAPES = URIRef(SPINEKG + "shapes/")
CASE = URIRef(SPINEKG + "SurgicalCase")
HAS_PROCEDURE = URIRef(SPINEKG + "hasProcedure")
HAS_SITE = URIRef(SPINEKG + "hasSite")
LEVEL_TEXT = URIRef(SPINEKG + "levelText")
CASE_ID = URIRef(SPINEKG + "caseId")
DERIVED = (URIRef(SPINEKG + "spineSurgeryVerdict"), URIRef(SPINEKG + "backSurgeryVerdict"),
           URIRef(SPINEKG + "inRegion"))
CASE_SHAPE_FILES = ("case-records.ttl",)
QUALITY_SHAPE_FILES = ("ontology-quality.ttl",)
RULE_FILES = ("rules.ttl",)
MAX_FILE_BYTES = 2_000_000_000


def shapes_dir() -> Path:
    return ontology_dir() / "shapes"


# ---- findings and reports -------------------------------------------------------------------------

@dataclass
class Finding:
    """One validation result, in words a clinician-researcher can act on."""

    record: str | None  # the case record the result belongs to (IRI), if any
    record_label: str | None
    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str = "Violation"
    shape: str | None = None
    component: str | None = None

    def to_dict(self) -> dict:
        return {"record": self.record, "record_label": self.record_label, "focus": self.focus, "path": self.path,
                "value": self.value, "message": self.message, "severity": self.severity, "shape": self.shape,
                "component": self.component}


@dataclass
class Report:
    conforms: bool
    findings: list[Finding]
    graph: Graph = field(repr=False)  # the sh:ValidationReport (Python-evaluated results included)

    @property
    def exit_code(self) -> int:
        return 0 if self.conforms else 1

    def to_dict(self) -> dict:
        return {"conforms": self.conforms, "violations": len(self.findings),
                "results": [f.to_dict() for f in self.findings]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=False)

    def to_turtle(self) -> str:
        from .serialize import turtle_text

        return turtle_text(self.graph)

    def to_text(self) -> str:
        if self.conforms:
            return "conforms: no violations"
        groups: dict[tuple[str, str], list[Finding]] = {}
        for finding in self.findings:
            key = (finding.record or finding.focus, finding.record_label or "") if finding.record else (finding.focus, "")
            groups.setdefault(key, []).append(finding)
        lines = [f"{len(self.findings)} violation{'s' if len(self.findings) != 1 else ''} "
                 f"in {len(groups)} record{'s' if len(groups) != 1 else ''}"]
        for (record, label), findings in groups.items():
            lines.append("")
            lines.append(f"{label} <{record}>" if label else record)
            for f in findings:
                where = f.path or ("(record)" if f.record else "(term)")
                value = f" = {f.value}" if f.value is not None else ""
                lines.append(f"  - {where}{value}")
                lines.append(f"    {f.message}")
        return "\n".join(lines)


# ---- the ontology graph ---------------------------------------------------------------------------

def index_classification(graph: Graph, index: dict | None = None):  # type: ignore[no-untyped-def]
    """Subclass closure without Java: asserted named parents plus the HermiT entailments kept in the index."""
    from .asserted import read_asserted
    from .index import load_index
    from .reasoning import Classification

    index = index if index is not None else load_index()
    asserted = read_asserted(graph)
    names = {str(s)[len(SPINEKG):] for s in graph.subjects(RDF.type, OWL.Class)
             if isinstance(s, URIRef) and str(s).startswith(SPINEKG)}
    ancestors: dict[str, set[str]] = {}
    for name in sorted(names):
        found = set(asserted.superclasses(name))
        found |= set(index["anatomy"].get(name, {}).get("ancestors", []))
        found |= set(index["procedures"].get(name, {}).get("classes", []))
        for ancestor in list(found):
            found |= set(asserted.superclasses(ancestor))
        found.discard(name)
        ancestors[name] = found
    return Classification(ancestors=ancestors, unsatisfiable=set())


@lru_cache(maxsize=1)
def _shipped_ontology_graph() -> Graph:
    from .edges import build_edges_graph
    from .ontology import load_ontology

    graph = load_ontology()
    return build_edges_graph(graph, index_classification(graph))


def ontology_graph() -> Graph:
    """The query-ready graph of the shipped ontology (cached; do not mutate)."""
    return _shipped_ontology_graph()


@lru_cache(maxsize=8)
def load_shapes(names: tuple[str, ...]) -> Graph:
    from .ontology import parse_file

    graph = Graph()
    for name in names:
        parse_file(shapes_dir() / name, graph)
    return graph


# ---- reading data ---------------------------------------------------------------------------------

def read_data(paths: Iterable[Path], graph: Graph | None = None) -> Graph:
    """Parse data files into ``graph`` with one-line errors (file and line), never a traceback."""
    from .ontology import parse_file

    graph = graph if graph is not None else Graph()
    for path in paths:
        path = Path(path)
        if path.is_dir():
            raise SpinekgError(f"{path}: is a directory, not an RDF file")
        if not path.exists():
            raise SpinekgError(f"{path}: no such file")
        size = path.stat().st_size
        if size == 0:
            raise SpinekgError(f"{path}: the file is empty (no RDF triples to validate)")
        if size > MAX_FILE_BYTES:
            raise SpinekgError(f"{path}: {size} bytes is larger than the {MAX_FILE_BYTES}-byte limit")
        head = path.open("rb").read(4)
        if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise SpinekgError(f"{path}: the file is UTF-16 encoded; save it as UTF-8")
        if b"\x00" in head:
            raise SpinekgError(f"{path}: binary or UTF-16/32 data; RDF files must be UTF-8 text")
        before = len(graph)
        logger = logging.getLogger("rdflib.term")
        level = logger.level
        logger.setLevel(logging.ERROR)  # rdflib warns about bad IRIs on stderr; we report them as errors
        try:
            parse_file(path, graph)
        finally:
            logger.setLevel(level)
        if len(graph) == before and not _has_triples_text(path):
            raise SpinekgError(f"{path}: contains no RDF triples")
        _check_iris(graph, path)
    return graph


_BAD_IRI = re.compile(r'[\s<>"{}|\\^`]')


def _check_iris(graph: Graph, path: Path) -> None:
    """rdflib accepts IRIs with spaces or angle brackets; they break every serialisation, so refuse them."""
    for node in graph.all_nodes():
        if isinstance(node, URIRef) and _BAD_IRI.search(node):
            raise SpinekgError(f"{path}: invalid IRI <{str(node)[:100]}> (spaces and <>\"{{}}|\\^` are not allowed)")


def _has_triples_text(path: Path) -> bool:
    """A file that parsed to nothing: fine if it holds only duplicates of triples already read."""
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = [line.strip() for line in text.splitlines()]
    return any(line and not line.startswith(("#", "@prefix", "@base", "PREFIX", "BASE", "prefix", "base"))
               for line in lines)


# ---- levels written as text -----------------------------------------------------------------------

def level_text_findings(data: Graph, index: dict | None = None) -> tuple[list[tuple[URIRef, Literal, str]], Graph]:
    """Check every ``spinekg:levelText`` with the level reader; return (problems, sites for valid ones).

    A valid level becomes a site of the procedure (the anatomy ``spinekg classify`` reads from the same
    words), so the other shapes and the rules treat text levels and typed sites alike.
    """
    from .index import load_index
    from .levels import find_levels
    from .reading import _span_sites

    index = index if index is not None else load_index()
    problems: list[tuple[URIRef, Literal, str]] = []
    sites = Graph()
    for procedure, text in sorted(data.subject_objects(LEVEL_TEXT)):
        if not isinstance(text, Literal):
            continue  # the SHACL datatype constraint reports it
        words = str(text)
        if len(words) > 100:
            continue  # sh:maxLength reports it
        try:
            spans, rest = find_levels(words, root_context=True)
        except Exception as exc:  # SpinekgError from the reader: the message names the level
            problems.append((procedure, text, f"{_clean(exc)}"))
            continue
        if not spans:
            problems.append((procedure, text, f"no vertebral level found in {words!r}; write levels such as "
                                              f"'L4-L5', 'L5-S1' or 'C5'"))
            continue
        if rest.strip(" ,;"):
            problems.append((procedure, text, f"{words!r} holds more than levels ({rest!r}); write only levels "
                                              f"such as 'L4-L5'"))
            continue
        kinds = [str(t)[len(SPINEKG):] for t in data.objects(procedure, RDF.type) if str(t).startswith(SPINEKG)]
        known = [k for k in kinds if k in index["procedures"]]
        if not known:
            continue  # the procedure type is reported by the shapes; no sites to derive
        try:
            for span in spans:
                for site in _span_sites(span, known[0], "", index):
                    node = BNode()
                    sites.add((procedure, HAS_SITE, node))
                    sites.add((node, RDF.type, URIRef(SPINEKG + site)))
        except Exception as exc:
            problems.append((procedure, text, _clean(exc)))
    return problems, sites


def site_restriction_findings(data: Graph, index: dict | None = None) -> list[tuple]:
    """Procedures recorded at sites their class excludes, decided exactly as ``spinekg classify`` does."""
    from .classify import composer

    comp = composer(index)
    problems = []
    for procedure in set(data.objects(None, HAS_PROCEDURE)):
        kinds = [str(t)[len(SPINEKG):] for t in data.objects(procedure, RDF.type) if str(t).startswith(SPINEKG)]
        known = [k for k in kinds if k in comp.procedures]
        sites = [str(t)[len(SPINEKG):] for site in data.objects(procedure, HAS_SITE)
                 for t in data.objects(site, RDF.type) if str(t).startswith(SPINEKG)]
        sites = [s for s in sites if s in comp.anatomy]
        if len(known) != 1 or not sites:
            continue  # the shapes report a missing or doubled procedure type
        try:
            comp.check_sites(known[0], sites)
        except SpinekgError as exc:
            problems.append((procedure, None, exc.message))
    return problems


def _clean(exc: BaseException) -> str:
    return " ".join(str(getattr(exc, "message", exc)).split())[:300]


# ---- validation -----------------------------------------------------------------------------------

def validate(data: Graph | Path | str | Iterable[Path], shapes: Graph | Iterable[Path] | None = None, *,
             with_ontology: bool = True, index: dict | None = None, engine: str = "auto") -> Report:
    """Validate case records (default shapes) or any data against ``shapes``; exit-code contract of pySHACL.

    ``data`` may be a Graph (not modified) or file path(s). The ontology graph is added to a working copy.
    """
    working = Graph()
    if with_ontology:
        for triple in ontology_graph():
            working.add(triple)
    if isinstance(data, Graph):
        for triple in data:
            working.add(triple)
        source = data
    else:
        paths = [Path(data)] if isinstance(data, (str, Path)) else [Path(p) for p in data]
        source = read_data(paths)
        for triple in source:
            working.add(triple)
    if shapes is None:
        shape_graph = load_shapes(CASE_SHAPE_FILES)
    elif isinstance(shapes, Graph):
        shape_graph = shapes
    else:
        shape_graph = load_shapes(tuple(str(Path(p).resolve()) for p in shapes))
    problems, sites = level_text_findings(source, index)
    for triple in sites:
        working.add(triple)
    site_problems = site_restriction_findings(source + sites if len(sites) else source, index) if shapes is None else []
    report = _run_pyshacl(working, shape_graph, engine=engine)
    _add_python_results(report, problems, LEVEL_TEXT, "LevelNotation", "Level {value!r}: {message}.")
    _add_python_results(report, site_problems, None, "SiteRestriction", "The site contradicts the procedure: {message}.")
    return _make_report(report, source, index)


ENGINES = ("auto", "pyshacl", "turbo")


def engine_module(engine: str = "auto"):  # type: ignore[no-untyped-def]
    """pySHACL (the reference) or pyshacl-turbo (a Rust engine with pySHACL's API, ~10x faster here).

    ``auto`` takes turbo when it is installed: tests/test_shacl_engines.py proves both give the same results
    (focus, path, value, shape, component and message) on the project's own records and bad inputs.
    """
    if engine not in ENGINES:
        raise SpinekgError(f"unknown SHACL engine {engine!r} (choose from {', '.join(ENGINES)})")
    if engine in ("auto", "turbo"):
        try:
            import pyshacl_turbo

            return pyshacl_turbo
        except ImportError:
            if engine == "turbo":
                raise SpinekgError("the turbo engine needs the pyshacl-turbo package: pip install 'spinekg[fast]'",
                                   EXIT_ENVIRONMENT) from None
    import pyshacl

    return pyshacl


def _run_pyshacl(data: Graph, shapes: Graph, advanced: bool = True, engine: str = "pyshacl") -> Graph:
    module = engine_module(engine)
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)  # ill-typed literals (2024-02-30) are reported as results, not logged
    try:
        options = {"inplace": True} if module.__name__ == "pyshacl" else {}
        _conforms, results, _text = module.validate(data, shacl_graph=shapes, inference="none", advanced=advanced,
                                                    allow_warnings=False, meta_shacl=False, **options)
    except SpinekgError:
        raise
    except Exception as exc:  # a broken shapes graph: pySHACL raises ReportableRuntimeError & co.
        raise SpinekgError(f"SHACL engine error: {_clean(exc)}", EXIT_BAD_INPUT) from None
    finally:
        logger.setLevel(level)
    return results


def _add_python_results(report: Graph, problems: list, path: URIRef | None, shape: str, template: str) -> None:
    """Put Python-evaluated results into the sh:ValidationReport like any other result."""
    if not problems:
        return
    root = next(report.subjects(RDF.type, SH.ValidationReport))
    report.set((root, SH.conforms, Literal(False)))
    for focus, value, message in problems:
        result = BNode()
        report.add((root, SH.result, result))
        report.add((result, RDF.type, SH.ValidationResult))
        report.add((result, SH.focusNode, focus))
        if path is not None:
            report.add((result, SH.resultPath, path))
        if value is not None:
            report.add((result, SH.value, value))
        report.add((result, SH.resultSeverity, SH.Violation))
        report.add((result, SH.sourceShape, URIRef(SHAPES + shape)))
        report.add((result, SH.sourceConstraintComponent, URIRef(SHAPES + shape + "ConstraintComponent")))
        report.add((result, SH.resultMessage, Literal(template.format(value=str(value), message=message))))


def _make_report(report: Graph, data: Graph, index: dict | None) -> Report:
    from .index import load_index

    index = index if index is not None else load_index()
    labels = {name: term["label"] for name, term in index["terms"].items()}
    for subject, label in data.subject_objects(RDFS.label):  # terms an extension defines
        if isinstance(subject, URIRef) and str(subject).startswith(SPINEKG):
            labels.setdefault(str(subject)[len(SPINEKG):], str(label))
    findings = [_finding(report, result, data, labels) for result in report.objects(None, SH.result)]
    findings.sort(key=lambda f: (f.record or f.focus, f.focus, f.path or "", f.value or "", f.message,
                                 f.component or "", f.shape or ""))
    conforms = not findings
    return Report(conforms, findings, report)


def _finding(report: Graph, result, data: Graph, labels: dict[str, str]) -> Finding:  # type: ignore[no-untyped-def]
    focus = report.value(result, SH.focusNode)
    path = report.value(result, SH.resultPath)
    value = report.value(result, SH.value)
    messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
    severity = report.value(result, SH.resultSeverity)
    shape = report.value(result, SH.sourceShape)
    component = report.value(result, SH.sourceConstraintComponent)
    record = _record_of(data, focus)
    message = messages[0] if messages else "does not conform"
    return Finding(
        record=str(record) if record is not None else None,
        record_label=_record_label(data, record) if record is not None else None,
        focus=_show(focus, labels),
        path=_show_path(report, path),
        value=_show_value(value, data, labels) if value is not None and value != focus else None,
        message=_describe(message),
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        shape=str(shape) if isinstance(shape, URIRef) else None,
        component=str(component).rsplit("#", 1)[-1] if component is not None else None,
    )


def _record_of(data: Graph, node):  # type: ignore[no-untyped-def]
    """The case record a focus node belongs to: itself, the case of a procedure, or of a site's procedure."""
    if node is None:
        return None
    if (node, RDF.type, CASE) in data:
        return node
    for case in data.subjects(HAS_PROCEDURE, node):
        return case
    for procedure in data.subjects(HAS_SITE, node):
        for case in data.subjects(HAS_PROCEDURE, procedure):
            return case
    return None


def _record_label(data: Graph, record) -> str | None:  # type: ignore[no-untyped-def]
    label = data.value(record, RDFS.label)
    if label is not None:
        return " ".join(str(label).split())[:120]
    case_id = data.value(record, CASE_ID)
    return f"case {' '.join(str(case_id).split())[:100]}" if case_id is not None else None


def _show(node, labels: dict[str, str]) -> str:  # type: ignore[no-untyped-def]
    if isinstance(node, URIRef):
        text = str(node)
        if text.startswith(SPINEKG) and "/" not in text[len(SPINEKG):]:
            name = text[len(SPINEKG):]
            return f"spinekg:{name} ({labels[name]})" if name in labels else f"spinekg:{name}"
        return f"<{text}>"
    if isinstance(node, Literal):
        text = str(node)
        shown = text if len(text) <= 80 else f"{text[:77]}... ({len(text)} characters)"
        shown = json.dumps(shown, ensure_ascii=False)
        if node.datatype is not None and node.datatype != XSD.string:
            shown += f"^^{_curie(node.datatype)}"
        return shown
    return "(blank node)"


def _show_value(node, data: Graph, labels: dict[str, str]) -> str:  # type: ignore[no-untyped-def]
    """A value, and for a site or procedure node of the record, what it is typed with."""
    shown = _show(node, labels)
    if isinstance(node, (URIRef, BNode)):
        types = sorted(_show(t, labels) for t in data.objects(node, RDF.type))
        if types:
            shown += f" a {', '.join(types)}"
    return shown


def _curie(iri) -> str:  # type: ignore[no-untyped-def]
    text = str(iri)
    for prefix, base in (("xsd", str(XSD)), ("spinekg", SPINEKG), ("rdf", str(RDF)), ("rdfs", str(RDFS)),
                         ("owl", str(OWL)), ("obo", "http://purl.obolibrary.org/obo/"),
                         ("oboInOwl", "http://www.geneontology.org/formats/oboInOwl#"),
                         ("dcterms", "http://purl.org/dc/terms/"), ("skos", "http://www.w3.org/2004/02/skos/core#")):
        if text.startswith(base):
            return f"{prefix}:{text[len(base):]}"
    return f"<{text}>"


def _show_path(report: Graph, path) -> str | None:  # type: ignore[no-untyped-def]
    if path is None:
        return None
    if isinstance(path, URIRef):
        return _curie(path)
    from rdflib.collection import Collection

    try:
        return "/".join(_curie(p) if isinstance(p, URIRef) else "…" for p in Collection(report, path))
    except Exception:
        return "(path)"


def _describe(message: str) -> str:
    return " ".join(message.split())


# ---- rules ----------------------------------------------------------------------------------------

def infer(data: Graph | Path | str | Iterable[Path], index: dict | None = None, engine: str = "auto") -> Graph:
    """The triples the SHACL-AF rules derive for the case records in ``data`` (and nothing else)."""
    module = engine_module(engine)

    working = Graph()
    for triple in ontology_graph():
        working.add(triple)
    source = data if isinstance(data, Graph) else read_data(
        [Path(data)] if isinstance(data, (str, Path)) else [Path(p) for p in data])
    for triple in source:
        working.add(triple)
    _problems, sites = level_text_findings(source, index)
    for triple in sites:
        working.add(triple)
    before = {(s, p, o) for p in DERIVED for s, o in working.subject_objects(p)}
    try:
        options = {"inplace": True} if module.__name__ == "pyshacl" else {}
        result = module.shacl_rules(working, shacl_graph=load_shapes(RULE_FILES), advanced=True, **options)
    except Exception as exc:
        raise SpinekgError(f"SHACL rules failed: {_clean(exc)}", EXIT_BAD_INPUT) from None
    if isinstance(result, Graph):
        working = result
    derived = Graph()
    derived.bind("spinekg", SPINEKG)
    for prop in DERIVED:
        for s, o in working.subject_objects(prop):
            if (s, prop, o) not in before:
                derived.add((s, prop, o))
    return derived


# ---- the ontology and its extensions --------------------------------------------------------------

def validate_ontology(extension: Iterable[Path] | None = None, classification=None, index: dict | None = None,
                      graph: Graph | None = None) -> Report:  # type: ignore[no-untyped-def]
    """Ontology-quality shapes over the shipped ontology (+ extension files).

    With an extension, only results about nodes the extension defines are reported: the shipped ontology is
    checked by the test suite, not again for every extension.
    """
    from .edges import build_edges_graph
    from .ontology import load_ontology

    extra = [Path(p) for p in (extension or [])]
    ext_graph = read_data(extra) if extra else None
    merged = graph if graph is not None else load_ontology()
    if ext_graph is not None:
        merged = merged + ext_graph
    classification = classification if classification is not None else index_classification(merged, index)
    working = build_edges_graph(merged, classification)
    for triple in merged:
        working.add(triple)
    report = _run_pyshacl(working, load_shapes(QUALITY_SHAPE_FILES))
    if ext_graph is not None:
        own = set(ext_graph.subjects())
        for result in list(report.objects(None, SH.result)):
            if report.value(result, SH.focusNode) not in own:
                for triple in list(report.triples((result, None, None))):
                    report.remove(triple)
                report.remove((None, SH.result, result))
    return _make_report(report, ext_graph if ext_graph is not None else merged, index)


def is_extension(data: Graph) -> bool:
    """Data that declares classes, properties or an ontology header is an extension, not case records."""
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.Ontology):
        if next(data.subjects(RDF.type, kind), None) is not None:
            return True
    return next(data.subjects(RDFS.subClassOf, None), None) is not None
