"""The Rust SHACL engine (PyPI ``shacl``) for record-wise validation, giving pySHACL's report graph.

Why a module of its own: the engine has its own API (compiled shapes, N-Triples text in, a report out) and
renames every blank node it reads, so its report has to be mapped back before the rest of spinekg can read
it like pySHACL's. Two things make that exact:

* the blank nodes of property shapes (the ones ``sh:sourceShape`` names) are given to the engine
  as IRIs of a private scheme and turned back into the shapes graph's own blank nodes in the report;
* data with blank nodes is not given to it at all (the engine's report could not name them): such data
  goes to pyshacl-turbo or pySHACL (:func:`usable`).

tests/shacl/test_shacl_rust.py proves the reports equal to pySHACL's, result for result, on the bad-input
corpus and on generated records with every kind of defect.
"""
from __future__ import annotations

from functools import lru_cache

from rdflib import BNode, Graph, Literal
from rdflib.namespace import SH

from ..errors import EXIT_BAD_INPUT, SpinekgError
from .case_data import key_term
from .report import clean_error, closure
from .shapes import CASE_SHAPE_FILES, load_shapes

SKOLEM = "urn:spinekg:shape-bnode:"  # never a term of real data: only the shapes given to the engine use it


def available() -> bool:
    try:
        import shacl  # noqa: F401
    except ImportError:
        return False
    return True


def usable(triples: list[tuple[str, str, str]]) -> bool:
    """True when no subject or object is a blank node (the engine's report could not name it)."""
    return not any(s[0] == "_" or o[0] == "_" for s, _, o in triples)


@lru_cache(maxsize=1)
def compiled_shapes():  # type: ignore[no-untyped-def]
    """The case shapes compiled once, shape blank nodes written as IRIs (see the module docstring)."""
    import shacl

    from .case_data import term_key

    graph = load_shapes(CASE_SHAPE_FILES)
    named = {s for s in graph.subjects(SH.path, None) if isinstance(s, BNode)}  # property shapes only: the
    # engine reads path expressions and lists only as blank nodes
    lines = []
    for triple in graph:
        keys = [f"<{SKOLEM}{t}>" if t in named else term_key(t) for t in triple]
        if None in keys:
            raise SpinekgError("the case shapes hold a term N-Triples cannot write", EXIT_BAD_INPUT)
        lines.append(" ".join(keys) + " .\n")  # type: ignore[arg-type]
    try:
        return shacl.Shapes.from_text("".join(sorted(lines)), format="ntriples")
    except Exception as exc:  # noqa: BLE001 -- the engine refusing the shapes is one line, like pySHACL's
        raise SpinekgError(f"SHACL engine error: {clean_error(exc)}", EXIT_BAD_INPUT) from None


def validate_text(text: str, run: str) -> Graph:
    """The sh:ValidationReport for N-Triples ``text`` (data without blank nodes plus the ontology triples),
    with the engine's own blank nodes named after ``run`` and shape blank nodes given back."""
    try:
        report = compiled_shapes().validate_text(text, format="ntriples")
        lines = report.serialize("ntriples").split("\n")
    except SpinekgError:
        raise
    except Exception as exc:  # noqa: BLE001 -- bad data the engine refuses: one line
        raise SpinekgError(f"SHACL engine error: {clean_error(exc)}", EXIT_BAD_INPUT) from None
    graph = Graph()
    terms: dict[str, object] = {}

    def term(key: str):  # type: ignore[no-untyped-def]
        found = terms.get(key)
        if found is None:
            if key[0] == "_":
                found = BNode(f"{run}{key[2:]}")
            elif key.startswith(f"<{SKOLEM}"):
                found = BNode(key[1 + len(SKOLEM):-1])
            else:
                found = key_term(key)
            terms[key] = found
        return found

    for line in lines:
        if line:
            s, p, rest = line.split(" ", 2)
            graph.add((term(s), term(p), term(rest[:-2])))
    # pySHACL names the SPARQL constraint of a SPARQL-based result (sh:sourceConstraint) and writes its
    # message without the language tag: so does this report
    shapes = load_shapes(CASE_SHAPE_FILES)
    for result in list(graph.subjects(SH.sourceConstraintComponent, SH.SPARQLConstraintComponent)):
        messages = list(graph.objects(result, SH.resultMessage))
        constraints = list(shapes.objects(graph.value(result, SH.sourceShape), SH.sparql))
        if len(constraints) > 1:  # several on one shape: the one whose message this is
            constraints = [c for c in constraints if set(shapes.objects(c, SH.message)) & set(messages)]
        graph.remove((result, SH.sourceConstraint, None))  # the engine's copy: a blank node of its own
        if len(constraints) == 1:
            graph.add((result, SH.sourceConstraint, constraints[0]))
        for message in messages:
            if isinstance(message, Literal) and message.language:
                graph.remove((result, SH.resultMessage, message))
                graph.add((result, SH.resultMessage, Literal(str(message))))
    _describe_shapes(graph, shapes)
    return graph


def _describe_shapes(report: Graph, shapes: Graph) -> None:
    """Copy each blank-node source shape's (and SPARQL constraint's) description from the shapes graph, as
    pySHACL's report holds it (its triples and those of the blank nodes it reaches: its path, its lists)."""
    for triple in closure(shapes, {o for p in (SH.sourceShape, SH.sourceConstraint) for o in report.objects(None, p)
                                   if isinstance(o, BNode)}):
        report.add(triple)
