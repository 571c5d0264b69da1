"""Classify the ontology with HermiT (through owlready2) and report what it entails.

Reasoning happens at build time and in tests; the runtime only reads the closures written from it.
owlready2 does not read Turtle, so the graph is handed over as RDF/XML in a temporary directory.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from ..errors import EXIT_ENVIRONMENT, SpinekgError
from ..namespaces import SPINEKG


@dataclass
class Classification:
    """What HermiT entails about the named spinekg classes."""

    ancestors: dict[str, set[str]]  # local name -> every named spinekg superclass (reflexive excluded)
    unsatisfiable: set[str]
    equivalents: list[set[str]] = field(default_factory=list)  # groups of named classes proved equivalent

    def is_a(self, cls: str, ancestor: str) -> bool:
        return ancestor in self.ancestors.get(cls, set())


def java_available() -> bool:
    return shutil.which("java") is not None


def classify_with_hermit(graph: Graph) -> Classification:
    """Run HermiT over ``graph``; raise a SpinekgError naming the problem when it cannot."""
    if not java_available():
        raise SpinekgError("HermiT needs Java, and no 'java' is on PATH (install a JRE 11+)", EXIT_ENVIRONMENT)
    import owlready2

    with tempfile.TemporaryDirectory(prefix="spinekg-hermit-") as tmp:
        path = Path(tmp) / "spinekg.owl"
        _without_imports(graph).serialize(path, format="xml")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            raise SpinekgError("HermiT: the ontology is inconsistent", 1) from None
        except owlready2.base.OwlReadyJavaError as exc:
            raise SpinekgError(f"HermiT failed: {java_cause(str(exc))}", EXIT_ENVIRONMENT) from None
        return _read_classification(world)


def _without_imports(graph: Graph) -> Graph:
    """The graph with no owl:imports: owlready2 would fetch them over HTTP or read them from ``file:``.
    The shipped modules are merged from disk before this point (see build.ontology)."""
    from rdflib.namespace import OWL

    if (None, OWL.imports, None) not in graph:
        return graph
    copy = Graph()
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace)
    for triple in graph:
        if triple[1] != OWL.imports:
            copy.add(triple)
    return copy


def java_cause(output: str) -> str:
    """The line of a Java stack trace that says what went wrong (its first exception message)."""
    for line in output.splitlines():
        line = line.strip()
        if ("Exception" in line or "Error" in line) and not line.startswith("at "):
            return line[:300]
    return " ".join(output.split())[-300:]


def _read_classification(world) -> Classification:  # type: ignore[no-untyped-def]
    import owlready2

    unsatisfiable = {cls.iri[len(SPINEKG):] for cls in world.inconsistent_classes()
                     if cls is not owlready2.Nothing and cls.iri.startswith(SPINEKG)}
    ancestors: dict[str, set[str]] = {}
    groups: dict[frozenset[str], None] = {}
    for cls in world.classes():
        if not cls.iri.startswith(SPINEKG):
            continue
        name = cls.iri[len(SPINEKG):]
        if name in unsatisfiable:
            ancestors[name] = set()
            continue
        ancestors[name] = {a.iri[len(SPINEKG):] for a in cls.ancestors(include_self=False)
                           if isinstance(a, owlready2.ThingClass) and a.iri.startswith(SPINEKG)}
        same = {e.iri[len(SPINEKG):] for e in cls.equivalent_to
                if isinstance(e, owlready2.ThingClass) and e.iri.startswith(SPINEKG)}
        if same:
            groups[frozenset(same | {name})] = None
    # owlready2 attaches the inferred hierarchy to one member of an equivalence group only: every
    # member gets the ancestors of the others (and the others themselves).
    for group in groups:
        shared = set(group).union(*(ancestors.get(member, set()) for member in group))
        for member in group:
            ancestors.setdefault(member, set()).update(shared)
    for name, found in ancestors.items():
        found.discard(name)  # a class is not its own proper ancestor
    return Classification(ancestors=ancestors, unsatisfiable=unsatisfiable, equivalents=[set(g) for g in groups])
