"""Case records in one run of the Rust engine, findings read from its result objects: the fast path.

Why: splitting 100k records into batches, decoding each batch's serialised report into rdflib graphs and
merging them cost several times the engine's own run. When the data holds no blank node and no level text
(the two things only the batch path of spinekg.shacl.records handles), the data and the ontology triples the
shapes read are one engine run, in a thread (the engine lets go of the GIL) while this thread indexes the
records the findings and the Python-evaluated checks read. Findings are made from the engine's result
objects by the same code as from a report graph (``build_finding``); the report graph itself (Turtle) is
built only when asked for, by the batch path, so it is the graph it always was.

tests/shacl/test_shacl_rust.py proves the findings and reports equal to pySHACL's, result for result.
"""
from __future__ import annotations

import threading
from functools import lru_cache
from typing import Callable

from rdflib import BNode, URIRef
from rdflib.namespace import RDFS, SH

from ..collector import collector_paused
from .case_data import TYPE_KEY, CaseData, key_term, term_key, text_chunks
from .case_ontology import _case_ontology_text
from .checks import APPROACH_TEMPLATE, SITE_TEMPLATE
from .restrictions import HAS_APPROACH_KEY, HAS_PROCEDURE_KEY, HAS_SITE_KEY, LEVEL_TEXT_KEY, SPINEKG_KEY, restriction_problems
from .report import Finding, Report, _curie, _show_path, build_finding, finding_order, index_labels, python_finding
from .shapes import CASE_ID, CASE_SHAPE_FILES, HAS_APPROACH, HAS_PROCEDURE, HAS_SITE, load_shapes

LABEL_KEY = f"<{RDFS.label}>"
READ = frozenset({TYPE_KEY, HAS_PROCEDURE_KEY, HAS_SITE_KEY, HAS_APPROACH_KEY, LABEL_KEY, f"<{CASE_ID}>"})
INVERSE = {HAS_PROCEDURE: HAS_PROCEDURE_KEY, HAS_SITE: HAS_SITE_KEY}  # the reverse steps findings take


def engine_text(data: CaseData, text: str | None = None) -> tuple[str, int] | None:
    """(the ontology triples and the data as N-Triples, where the data starts) when one engine run can
    validate the data, else None (the batch path's data: blank nodes, level text). ``text``: look only
    at this beginning of the data's text."""
    if data.graph is not None:
        return None
    whole, start = data.ntriples()
    text = whole if text is None else text
    marks = ("_:", f" {LEVEL_TEXT_KEY} ") if data.reread is None else (f" {LEVEL_TEXT_KEY} ",)  # (a file's own
    if any(text.find(mark, start) >= 0 for mark in marks):  # text is checked to hold no blank node) maybe in a
        return None  # literal: no harm
    text = whole
    ontology = _case_ontology_text()[0]
    if start != len(ontology) or not text.startswith(ontology):
        text, start = ontology + text[start:], len(ontology)
    return text, start


class KeyGraph:
    """The records as an rdflib Graph answers ``build_finding`` (objects, subjects, ``in``), over keys.

    Only the predicates findings and the Python-evaluated checks read, one dict each, a value alone where
    there is one (most nodes have one type, one site): a hundred thousand records take ~80 MB, next to the
    engine's run."""

    def __init__(self, text: str, start: int) -> None:
        by: dict[str, dict[str, str | list[str]]] = {p: {} for p in READ}
        inverse: dict[str, dict[str, str | list[str]]] = {p: {} for p in INVERSE.values()}
        nodes: dict[str, str] = {}  # one string per node: subject here, object there
        with collector_paused():
            for chunk in text_chunks(text, start):
                for line in chunk.split("\n"):
                    if not line:
                        continue
                    s, p, rest = line.split(" ", 2)
                    objects = by.get(p)
                    if objects is None:
                        continue
                    s = nodes.setdefault(s, s)
                    o = rest[:-2]
                    if o[0] == "<":
                        o = nodes.setdefault(o, o)
                    had = objects.setdefault(s, o)  # (o itself when s had no value)
                    if had is not o:  # a set of values, as in a graph: a triple written twice is one
                        if type(had) is str:
                            if had != o:
                                objects[s] = [had, o]
                        elif o not in had:
                            had.append(o)
                    back = inverse.get(p)  # the same add, inlined: this loop runs once per triple
                    if back is not None:
                        had = back.setdefault(o, s)
                        if had is not s:
                            if type(had) is str:
                                if had != s:
                                    back[o] = [had, s]
                            elif s not in had:
                                had.append(s)
        self.by = by
        self.inverse = inverse
        self._terms: dict[str, object] = {}  # a few hundred terms name the findings of thousands of results
        self._keys: dict[object, tuple[str, ...]] = {}

    def term(self, key: str):  # type: ignore[no-untyped-def]
        found = self._terms.get(key)
        if found is None:
            found = self._terms[key] = key_term(key)
        return found

    def values(self, subject: str, predicate_key: str) -> list[str] | tuple[str, ...]:
        return _values(self.by[predicate_key].get(subject))

    def keys(self, term) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
        found = self._keys.get(term)
        if found is None:
            found = self._keys[term] = self._term_keys(term)
        return found

    @staticmethod
    def _term_keys(term) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
        """The keys a term may have in the text: oxigraph writes some literals its own way (``@en-gb``)."""
        key = term_key(term) or ""
        if isinstance(term, (URIRef, BNode)):
            return (key,)
        import pyoxigraph as ox

        other = str(ox.Literal(str(term), language=term.language,
                               datatype=ox.NamedNode(term.datatype) if term.datatype else None))
        return (key,) if other == key else (key, other)

    def objects(self, node, predicate):  # type: ignore[no-untyped-def]
        found = self.by.get(f"<{predicate}>", {})
        return [self.term(o) for k in self.keys(node) for o in _values(found.get(k))]

    def subjects(self, predicate, node):  # type: ignore[no-untyped-def]
        found = self.inverse[INVERSE[predicate]]
        return [self.term(s) for k in self.keys(node) for s in _values(found.get(k))]

    def __contains__(self, triple) -> bool:  # type: ignore[no-untyped-def]
        s, p, o = triple
        found = self.by.get(f"<{p}>", {})
        return any(ko in _values(found.get(ks)) for ks in self.keys(s) for ko in self.keys(o))


def _values(found: str | list[str] | None) -> list[str] | tuple[str, ...]:
    return () if found is None else (found,) if type(found) is str else found  # type: ignore[return-value]


class EngineRun:
    """One engine run over N-Triples ``text`` in a thread of its own (the engine lets go of the GIL), so
    this thread reads the records meanwhile; started as soon as the text is read (spinekg.shacl.case_files)."""

    def __init__(self, text: str) -> None:
        from .rust import compiled_shapes

        self.text = text
        self._report = None
        self._thread = threading.Thread(target=self._run, args=(compiled_shapes(),), daemon=True)
        self._thread.start()

    def _run(self, shapes) -> None:  # type: ignore[no-untyped-def]
        try:
            self._report = shapes.validate_text(self.text, format="ntriples")
        except Exception:  # noqa: BLE001 -- refused data: the batch path (or the old reader) says why
            self._report = None

    def result(self):  # type: ignore[no-untyped-def]
        """The engine's report, or None when it refused the data."""
        self._thread.join()
        report, self._report = self._report, None
        return report


def validate_whole(text: str, start: int, index: dict, graph: Callable,  # type: ignore[type-arg]
                   run: EngineRun | None = None) -> Report | None:
    """One engine run over ``text`` (see :func:`engine_text`; ``run``, when it was started on the same text,
    is that run), or None when the engine refuses the data (the batch path then says why, in its words).
    ``graph`` builds the report graph when it is asked for."""
    from ..answer.composers import composer

    run = run if run is not None and run.text is text else EngineRun(text)
    records = KeyGraph(text, start)
    labels = dict(index_labels(id(index), index))
    for subject, found in records.by[LABEL_KEY].items():  # terms an extension defines
        if subject.startswith(SPINEKG_KEY) and "/" not in subject[len(SPINEKG_KEY):]:  # (what _show names)
            for label in _values(found):
                labels.setdefault(subject[len(SPINEKG_KEY):-1], str(key_term(label)))
    site_problems, approach_problems = restriction_problems(
        composer(index), records.values, records.inverse[HAS_PROCEDURE_KEY], records.by[HAS_APPROACH_KEY], {})
    findings = [python_finding(focus, value, message, None, "SiteRestriction", SITE_TEMPLATE, records, labels)
                for focus, value, message in site_problems]
    findings += [python_finding(focus, value, message, HAS_APPROACH, "ApproachRestriction", APPROACH_TEMPLATE,
                                records, labels) for focus, value, message in approach_problems]
    report = run.result()
    if report is None:
        return None
    findings += [_engine_finding(result, records, labels) for result in report.results]
    del report
    findings.sort(key=finding_order)
    return Report(not findings, findings, graph)


def _engine_finding(result, records: KeyGraph, labels: dict[str, str]) -> Finding:  # type: ignore[no-untyped-def]
    from .rust import SKOLEM

    shape_key = result.source_shape
    if shape_key.startswith(f"<{SKOLEM}"):
        shape = BNode(shape_key[1 + len(SKOLEM):-1])
    else:
        shape = records.term(shape_key)
    return build_finding(records.term(result.focus_node), _path(result.path, shape), None if result.value is None
                         else records.term(result.value), list(result.messages), records.term(f"<{result.severity_iri}>"),
                         shape, records.term(f"<{result.component_iri}>"), records, labels)


@lru_cache(maxsize=4096)
def _path(path: str | None, shape) -> str | None:  # type: ignore[no-untyped-def]
    """The result path as ``_show_path`` shows it: the shape's own sh:path (a list when it is a sequence).
    Once per (path, shape): a few dozen of them name thousands of results."""
    if path is None:
        return None
    shapes = load_shapes(CASE_SHAPE_FILES)
    own = shapes.value(shape, SH.path)
    if isinstance(own, BNode):
        return _show_path(shapes, own)
    if path[0] == "<" and path[-1] == ">" and "<" not in path[1:]:
        return _curie(path[1:-1])
    return "(path)"

