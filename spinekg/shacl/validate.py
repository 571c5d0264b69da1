"""SHACL for spinekg: validate case records, extensions and the ontology; derive verdicts with SHACL-AF rules.

One call each, over pySHACL:

* ``validate(data, shapes=None) -> Report`` — ``conforms`` plus findings grouped by record, each with the
  record's label, the property, the offending value and a plain-English message. With the shipped case
  shapes, records are validated independently, in batches and worker processes (``validate_records``):
  100k records in seconds, with the same report as one run over everything.
* ``infer(data) -> Graph`` — only the triples the rules in ``ontology/shapes/rules.ttl`` derive
  (``spinekg:spineSurgeryVerdict``, ``spinekg:backSurgeryVerdict``, ``spinekg:inRegion``,
  ``spinekg:expectedRecovery``).
* ``validate_ontology(extension=None) -> Report`` — the ontology-quality shapes over the shipped ontology
  (plus an extension file).

This module is the public face; the work is done in modules with one job each:

* ``spinekg.shacl_shapes`` — the vocabulary, the shape files and the ontology graph the shapes read (built
  without Java; see there why).
* ``spinekg.shacl_input`` — reading data files, with one-line errors.
* ``spinekg.shacl_engine`` — choosing and running pySHACL or pyshacl-turbo.
* ``spinekg.shacl_checks`` — the checks evaluated in Python (levels written as text, sites and approaches a
  procedure excludes).
* ``spinekg.shacl_report`` — findings and reports from a sh:ValidationReport graph.
* ``spinekg.shacl_case_data`` and ``spinekg.shacl_records`` — record-wise validation: the data as N-Triples
  terms by subject, split into records and validated in batches and worker processes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from rdflib import Graph
from rdflib.namespace import SH

from ..errors import EXIT_BAD_INPUT, SpinekgError
from ..namespaces import SPINEKG
from .case_data import CaseData
from .case_files import read_case_data
from .checks import APPROACH_TEMPLATE, LEVEL_TEMPLATE, SITE_TEMPLATE, approach_restriction_findings, level_text_findings, site_restriction_findings
from .engine import ENGINES, engine_module, run_pyshacl
from .input import is_extension, read_data
from .records import validate_records
from .report import Finding, Report, add_python_results, clean_error, make_report
from .shapes import CASE_SHAPE_FILES, DERIVED, HAS_APPROACH, LEVEL_TEXT, QUALITY_SHAPE_FILES, RULE_FILES, SHAPES, index_classification, load_shapes, ontology_graph, shapes_dir

__all__ = [  # what other modules, tests and users import from here
    "CASE_SHAPE_FILES", "ENGINES", "QUALITY_SHAPE_FILES", "RULE_FILES", "SHAPES", "CaseData", "Finding", "Report",
    "engine_module", "index_classification", "infer", "is_extension", "level_text_findings", "load_shapes",
    "ontology_graph", "read_case_data", "read_data", "shapes_dir", "validate", "validate_ontology",
    "validate_records",
]


# ---- validation -----------------------------------------------------------------------------------

def validate(data: Graph | Path | str | Iterable[Path] | CaseData, shapes: Graph | Iterable[Path] | None = None, *,
             with_ontology: bool = True, index: dict | None = None, engine: str = "auto",
             jobs: int | None = None) -> Report:
    """Validate case records (default shapes) or any data against ``shapes``; exit-code contract of pySHACL.

    ``data`` may be a Graph (not modified), file path(s) or :class:`CaseData`. With the shipped case shapes
    the data is validated record by record (:func:`validate_records`): the same findings as one run over
    everything, in a fraction of the time and memory. Other shapes see all the data plus the ontology graph
    in one run. ``jobs``: worker processes for large data (default: one per CPU, at most 8).
    """
    if shapes is None and with_ontology:
        records = data if isinstance(data, CaseData) else (
            CaseData.from_graph(data) if isinstance(data, Graph) else read_case_data(_as_paths(data), engine))
        if records.graph is None:
            return validate_records(records, index=index, engine=engine, jobs=jobs)
        data = records.graph  # terms N-Triples cannot carry: one run over the whole graph
    if isinstance(data, CaseData):
        source = data.to_graph()
    elif isinstance(data, Graph):
        source = data
    else:
        source = read_data(_as_paths(data))
    if shapes is None:
        shape_graph = load_shapes(CASE_SHAPE_FILES)
    elif isinstance(shapes, Graph):
        shape_graph = shapes
    else:
        shape_graph = load_shapes(tuple(str(Path(p).resolve()) for p in shapes))
    return _validate_graph(source, shape_graph, with_ontology=with_ontology, case_checks=shapes is None,
                           index=index, engine=engine)


def _as_paths(data: Path | str | Iterable[Path]) -> list[Path]:
    return [Path(data)] if isinstance(data, (str, Path)) else [Path(p) for p in data]


def _validate_graph(source: Graph, shape_graph: Graph, *, with_ontology: bool, case_checks: bool,
                    index: dict | None, engine: str) -> Report:
    """One engine run over the data, its text-level sites and the whole ontology graph (the reference path)."""
    working = Graph()
    if with_ontology:
        for triple in ontology_graph():
            working.add(triple)
    for triple in source:
        working.add(triple)
    problems, sites = level_text_findings(source, index)
    for triple in sites:
        working.add(triple)
    site_problems, approach_problems = [], []
    if case_checks:
        site_problems = site_restriction_findings(source + sites if len(sites) else source, index)
        approach_problems = approach_restriction_findings(source, index)
    report = run_pyshacl(working, shape_graph, engine=engine)
    add_python_results(report, problems, LEVEL_TEXT, "LevelNotation", LEVEL_TEMPLATE)
    add_python_results(report, site_problems, None, "SiteRestriction", SITE_TEMPLATE)
    add_python_results(report, approach_problems, HAS_APPROACH, "ApproachRestriction", APPROACH_TEMPLATE)
    return make_report(report, source, index)


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
        raise SpinekgError(f"SHACL rules failed: {clean_error(exc)}", EXIT_BAD_INPUT) from None
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
    from ..build.edges import build_edges_graph
    from ..build.ontology import load_ontology

    extra = [Path(p) for p in (extension or [])]
    ext_graph = read_data(extra) if extra else None
    merged = graph if graph is not None else load_ontology()
    if ext_graph is not None:
        merged = merged + ext_graph
    classification = classification if classification is not None else index_classification(merged, index)
    working = build_edges_graph(merged, classification)
    for triple in merged:
        working.add(triple)
    report = run_pyshacl(working, load_shapes(QUALITY_SHAPE_FILES))
    if ext_graph is not None:
        own = set(ext_graph.subjects())
        for result in list(report.objects(None, SH.result)):
            if report.value(result, SH.focusNode) not in own:
                for triple in list(report.triples((result, None, None))):
                    report.remove(triple)
                report.remove((None, SH.result, result))
    return make_report(report, ext_graph if ext_graph is not None else merged, index)
