"""The ontology triples the case shapes read (as N-Triples text and as a graph), with a disk cache.

Why: building them means parsing the ontology modules with rdflib and computing the query-ready edges
graph, about a second at every ``spinekg validate`` -- several times the Rust engine's own time on 10k
records. The text depends only on the shipped ontology, the runtime index and the code that builds it,
so it is kept in the user's cache directory (``spinekg.paths.cache_dir``) named by a hash of all of those and
of the process's extensions (~20 ms to compute). A cache that cannot be read or written is simply not used.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import lru_cache

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from ..paths import PACKAGE_DIR, RUNTIME_INDEX, cache_dir, ontology_dir
from .case_data import term_key
from .shapes import CASE_SHAPE_FILES, load_shapes, ontology_graph


def _key() -> str:
    """A hash of what the text depends on: the ontology, the code that builds it, the runtime index, and the
    triples this process's extensions add or remove (an extension's terms must not be read from, or written
    to, the shipped ontology's entry)."""
    from ..answer.index import load_index

    digest = hashlib.sha256()
    sources = [ontology_dir(), PACKAGE_DIR / "build", PACKAGE_DIR / "shacl"]
    files = [RUNTIME_INDEX] + [p for d in sources for p in sorted(d.rglob("*")) if p.is_file()
                               and "__pycache__" not in p.parts]
    for path in files:
        digest.update(str(path).encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    change = load_index().get("extension_edges") or {}
    for name in ("added", "removed"):
        digest.update(name.encode("utf-8") + b"\0" + "\n".join(sorted(change.get(name, ()))).encode("utf-8") + b"\0")
    return digest.hexdigest()[:32]


def _cached_text(name: str, build: Callable[[], str]) -> str:
    """The text ``build`` gives, from the cache when the inputs are unchanged."""
    from ..files import write_atomically

    try:
        path = cache_dir() / f"{name}-{_key()}.nt"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    except OSError:
        return build()
    text = build()
    try:
        write_atomically(path, text)
    except OSError:
        pass
    return text


@lru_cache(maxsize=1)
def _case_ontology() -> tuple[str, frozenset[str], Graph]:
    """The ontology triples the case shapes can read (as N-Triples and as a graph) and the nodes they name.

    A case shape reads the predicates of its paths, targets and SPARQL queries; every other ontology triple
    (definitions, synonyms, cross-references, ...) cannot change a result, so batches leave them out. The
    nodes are shared by all records: records are never joined through them.
    """
    predicates = _shape_predicates(load_shapes(CASE_SHAPE_FILES))
    graph = Graph()
    keys = []
    for triple in ontology_graph():
        if triple[1] in predicates:
            key = tuple(term_key(t) for t in triple)
            if None not in key:
                graph.add(triple)
                keys.append(key)
    nodes = frozenset(k for key in keys for k in (key[0], key[2]) if k[0] != '"')  # type: ignore[index]
    text = "".join(sorted(f"{s} {p} {o} .\n" for s, p, o in keys))  # type: ignore[str-bytes-safe]
    return text, nodes, graph


@lru_cache(maxsize=1)
def _case_ontology_text() -> tuple[str, frozenset[str]]:
    """The N-Triples text of :func:`_case_ontology` and its nodes, from the disk cache when it is current
    (see the module docstring): what the Rust engine and pyshacl-turbo read, without building the graph."""
    text = _cached_text("case-ontology", lambda: _case_ontology()[0])
    nodes = frozenset(k for line in text.splitlines() for k in _ends(line) if k[0] != '"')
    return text, nodes


def _ends(line: str) -> tuple[str, str]:
    s, _p, o = line.split(" ", 2)
    return s, o[:-2]


def _shape_predicates(shapes: Graph) -> set[URIRef]:
    """Every predicate a shape can read: sh:path expressions, targets, class checks and SPARQL text."""
    found = {RDF.type, RDFS.subClassOf}
    path_operators = {SH.alternativePath, SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath,
                      RDF.first, RDF.rest}
    stack = list(shapes.objects(None, SH.path))
    for target in (SH.targetSubjectsOf, SH.targetObjectsOf):
        found.update(o for o in shapes.objects(None, target) if isinstance(o, URIRef))
    while stack:
        node = stack.pop()
        if isinstance(node, URIRef):
            if node != RDF.nil:
                found.add(node)
        elif isinstance(node, BNode):
            stack.extend(o for p, o in shapes.predicate_objects(node) if p in path_operators)
    prefixes = {str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
                for d in shapes.objects(None, SH.declare)}
    for query in list(shapes.objects(None, SH.select)) + list(shapes.objects(None, SH.ask)):
        text = str(query)
        found.update(URIRef(iri) for iri in re.findall(r"<([^<>\s]+)>", text))
        for prefix, local in re.findall(r"(?<![\w?$])([A-Za-z][\w\-]*):([A-Za-z_][\w\-]*)", text):
            if prefix in prefixes:
                found.add(URIRef(prefixes[prefix] + local))
    return found


def subclass_pairs() -> list[tuple[str, str]]:
    """(class IRI, superclass IRI) of every rdfs:subClassOf triple between IRIs in the text (the subclass
    closure of the ontology graph: the shapes read rdfs:subClassOf, so the text holds all of it)."""
    key = f"<{RDFS.subClassOf}>"
    pairs = []
    for line in _case_ontology_text()[0].splitlines():
        s, p, o = line.split(" ", 2)
        if p == key and s[0] == "<" and o[0] == "<":
            pairs.append((s[1:-1], o[1:-3]))
    return pairs
