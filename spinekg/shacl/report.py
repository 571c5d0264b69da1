"""From a sh:ValidationReport graph to findings a clinician-researcher can act on, and back to text.

Both validation paths (one engine run over a graph, and record-wise batches) and the ontology checks
write their results into a report graph; this module reads it the same way for all of them: which record
a result belongs to, labels instead of IRIs, and one sort order, so a report never depends on how it was
computed.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable, Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from ..namespaces import SPINEKG
from .shapes import CASE, CASE_ID, HAS_PROCEDURE, HAS_SITE, SHAPES


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


class Report:
    """``conforms``, the findings, and the sh:ValidationReport graph (Python-evaluated results included).

    The graph may be given as a function that builds it: the fast path (spinekg.shacl.whole) reads its
    findings from the engine's result objects and builds the graph only when it is asked for (Turtle)."""

    def __init__(self, conforms: bool, findings: list[Finding], graph: Graph | Callable[[], Graph]) -> None:
        self.conforms = conforms
        self.findings = findings
        self._graph = graph

    @property
    def graph(self) -> Graph:
        if not isinstance(self._graph, Graph):
            self._graph = self._graph()
        return self._graph

    def __repr__(self) -> str:
        return f"Report(conforms={self.conforms!r}, findings={self.findings!r})"

    @property
    def exit_code(self) -> int:
        return 0 if self.conforms else 1

    def to_dict(self) -> dict:
        return {"conforms": self.conforms, "violations": len(self.findings),
                "results": [f.to_dict() for f in self.findings]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=False)

    def to_turtle(self) -> str:
        from ..rdf.serialize import turtle_text

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


# ---- from a report graph to findings -------------------------------------------------------------

_LABELS: dict[int, tuple[dict, dict[str, str]]] = {}


def index_labels(key: int, index: dict) -> dict[str, str]:
    """Labels of the index's terms, computed once per index (``key`` is its id; the index is kept alive)."""
    if key not in _LABELS or _LABELS[key][0] is not index:
        _LABELS[key] = (index, {name: term["label"] for name, term in index["terms"].items()})
    return _LABELS[key][1]


def finding_order(f: Finding) -> tuple:
    return (f.record or f.focus, f.focus, f.path or "", f.value or "", f.message, f.component or "", f.shape or "")


def add_python_results(report: Graph, problems: list, path: URIRef | None, shape: str, template: str) -> None:
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


def normalise(report: Graph) -> None:
    """Make a report the same whichever engine (and batching) wrote it: drop sh:detail (the nested results
    pySHACL adds under a failing sh:node; optional in SHACL, the Rust engine writes none) and give each
    result its own copy of a path that is not a plain predicate (engines share such paths between results,
    or with the shape's sh:path, each in its own way). Blank nodes nothing reaches any more are removed."""
    changed = False
    for result, detail in list(report.subject_objects(SH.detail)):
        report.remove((result, SH.detail, detail))
        changed = True
    for result, path in list(report.subject_objects(SH.resultPath)):
        if isinstance(path, BNode):
            report.remove((result, SH.resultPath, path))
            report.add((result, SH.resultPath, _copy_tree(report, path)))
            changed = True
    if not changed:
        return
    reached, stack = set(), list(report.subjects(RDF.type, SH.ValidationReport))
    while stack:
        node = stack.pop()
        if node not in reached:
            reached.add(node)
            stack.extend(o for o in report.objects(node, None) if isinstance(o, BNode))
    for triple in list(report):
        if isinstance(triple[0], BNode) and triple[0] not in reached:
            report.remove(triple)


def closure(graph: Graph, starts: Iterable, skip: Callable[[URIRef], bool] = lambda p: False) -> list[tuple]:
    """The triples of ``starts`` in ``graph`` and of the blank nodes they reach, except those whose predicate
    ``skip`` names (a result's path and nodes, a shape's path and lists)."""
    found, stack, seen = [], list(starts), set()
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in graph.predicate_objects(node):
            if skip(p):
                continue
            found.append((node, p, o))
            if isinstance(o, BNode):
                stack.append(o)
    return found


def _copy_tree(graph: Graph, node: BNode) -> BNode:
    copy = BNode()
    for p, o in list(graph.predicate_objects(node)):
        graph.add((copy, p, _copy_tree(graph, o) if isinstance(o, BNode) else o))
    return copy


def make_report(report: Graph, data: Graph, index: dict | None) -> Report:
    from ..answer.index import load_index

    normalise(report)

    index = index if index is not None else load_index()
    labels = dict(index_labels(id(index), index))
    for subject, label in data.subject_objects(RDFS.label):  # terms an extension defines
        if isinstance(subject, URIRef) and str(subject).startswith(SPINEKG):
            labels.setdefault(str(subject)[len(SPINEKG):], str(label))
    findings = [result_finding(report, result, data, labels) for result in report.objects(None, SH.result)]
    findings.sort(key=finding_order)
    conforms = not findings
    return Report(conforms, findings, report)


def result_finding(report: Graph, result, data: Graph, labels: dict[str, str]) -> Finding:  # type: ignore[no-untyped-def]
    return build_finding(report.value(result, SH.focusNode), _show_path(report, report.value(result, SH.resultPath)),
                         report.value(result, SH.value), [str(m) for m in report.objects(result, SH.resultMessage)],
                         report.value(result, SH.resultSeverity), report.value(result, SH.sourceShape),
                         report.value(result, SH.sourceConstraintComponent), data, labels)


def build_finding(focus, path: str | None, value, messages: list[str], severity, shape, component,  # type: ignore[no-untyped-def]
                  data, labels: dict[str, str]) -> Finding:
    """A finding from a result's terms (rdflib terms; ``path`` already shown). ``data`` answers
    ``objects``, ``subjects`` and ``in`` as an rdflib Graph of the records does (spinekg.shacl.whole has one
    over N-Triples keys)."""
    record = _record_of(data, focus)
    messages = sorted(messages)
    message = messages[0] if messages else "does not conform"
    return Finding(
        record=str(record) if record is not None else None,
        record_label=_record_label(data, record) if record is not None else None,
        focus=_show(focus, labels),
        path=path,
        value=_show_value(value, data, labels) if value is not None and value != focus else None,
        message=_describe(message),
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        shape=str(shape) if isinstance(shape, URIRef) else None,
        component=str(component).rsplit("#", 1)[-1] if component is not None else None,
    )


def python_finding(focus, value, message: str, path: URIRef | None, shape: str, template: str,  # type: ignore[no-untyped-def]
                   data, labels: dict[str, str]) -> Finding:
    """The finding :func:`add_python_results` and :func:`result_finding` make of a Python-evaluated result."""
    return build_finding(focus, _curie(path) if path is not None else None, value,
                         [template.format(value=str(value), message=message)], SH.Violation,
                         URIRef(SHAPES + shape), URIRef(SHAPES + shape + "ConstraintComponent"), data, labels)


def _record_of(data: Graph, node):  # type: ignore[no-untyped-def]
    """The case record a focus node belongs to: itself, the case of a procedure, or of a site's procedure.

    A node shared by several records belongs to the first by IRI, so the answer never depends on the order
    the triples were read in.
    """
    if node is None:
        return None
    if (node, RDF.type, CASE) in data:
        return node
    cases = sorted(data.subjects(HAS_PROCEDURE, node), key=_order)
    if cases:
        return cases[0]
    cases = sorted((case for procedure in data.subjects(HAS_SITE, node) for case in data.subjects(HAS_PROCEDURE, procedure)),
                   key=_order)
    return cases[0] if cases else None


def _order(node) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    return type(node).__name__, str(node)


def _record_label(data: Graph, record) -> str | None:  # type: ignore[no-untyped-def]
    labels = sorted(data.objects(record, RDFS.label), key=_order)
    if labels:
        return " ".join(str(labels[0]).split())[:120]
    case_ids = sorted(data.objects(record, CASE_ID), key=_order)
    return f"case {' '.join(str(case_ids[0]).split())[:100]}" if case_ids else None


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


def clean_error(exc: BaseException) -> str:
    """An exception's text on one line, at most 300 characters (engine and level-reader errors)."""
    return " ".join(str(getattr(exc, "message", exc)).split())[:300]
