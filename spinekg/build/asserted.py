"""Read the asserted structure of the ontology graph: named parents, and existential / universal
restrictions (with unions), inherited along asserted subclass links. Used to build the runtime index,
the direct-edge graph and explanation paths, so none of them walks restriction blank nodes twice."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from ..namespaces import SPINEKG, local_name


@dataclass
class Asserted:
    """Named superclasses and restrictions per spinekg class (local names; unions as tuples)."""

    parents: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    some: dict[str, dict[str, list[tuple[str, ...]]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    only: dict[str, dict[str, list[tuple[str, ...]]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))

    def superclasses(self, cls: str) -> list[str]:
        """All asserted named ancestors, nearest first (breadth-first), excluding ``cls``."""
        seen: list[str] = []
        queue = sorted(self.parents.get(cls, ()))
        while queue:
            current = queue.pop(0)
            if current in seen:
                continue
            seen.append(current)
            queue.extend(sorted(self.parents.get(current, ())))
        return seen

    def inherited(self, table: str, cls: str, prop: str) -> list[tuple[str, ...]]:
        """Fillers of ``prop`` restrictions on ``cls`` and its asserted ancestors, own ones first."""
        source = self.some if table == "some" else self.only
        result: list[tuple[str, ...]] = []
        for owner in [cls] + self.superclasses(cls):
            for filler in source.get(owner, {}).get(prop, []):
                if filler not in result:
                    result.append(filler)
        return result


def _filler_names(graph: Graph, node) -> tuple[str, ...] | None:  # type: ignore[no-untyped-def]
    if isinstance(node, URIRef):
        return (local_name(str(node)),)
    union = graph.value(node, OWL.unionOf)
    if union is not None:
        members = [m for m in Collection(graph, union)]
        if all(isinstance(m, URIRef) for m in members):
            return tuple(sorted(local_name(str(m)) for m in members))
    return None


def _superclass_expressions(graph: Graph):  # type: ignore[no-untyped-def]
    """(class, expression) for every subClassOf axiom, and for each conjunct of an equivalent
    intersection: a defined class C ≡ A ⊓ ∃R.D has A and ∃R.D as necessary conditions too."""
    yield from graph.subject_objects(RDFS.subClassOf)
    for cls, equivalent in graph.subject_objects(OWL.equivalentClass):
        members = graph.value(equivalent, OWL.intersectionOf) if isinstance(equivalent, BNode) else None
        if members is not None:
            for member in Collection(graph, members):
                yield cls, member


def read_asserted(graph: Graph) -> Asserted:
    asserted = Asserted()
    for cls, parent in _superclass_expressions(graph):
        if not (isinstance(cls, URIRef) and str(cls).startswith(SPINEKG)):
            continue
        name = local_name(str(cls))
        if isinstance(parent, URIRef):
            asserted.parents[name].add(local_name(str(parent)))
            continue
        if not isinstance(parent, BNode) or (parent, RDF.type, OWL.Restriction) not in graph:
            continue
        prop = graph.value(parent, OWL.onProperty)
        for quantifier, table in ((OWL.someValuesFrom, asserted.some), (OWL.allValuesFrom, asserted.only)):
            filler = graph.value(parent, quantifier)
            if filler is not None and prop is not None:
                names = _filler_names(graph, filler)
                if names is not None:
                    table[name][local_name(str(prop))].append(names)
    return asserted
