"""Load the ontology: the header plus every module, merged into one rdflib graph.

``owl:imports`` in the header name the modules; they are read from ``ontology/modules/`` on disk and
never fetched over the network. The merged graph keeps only the main ontology header.
"""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from ..errors import SpinekgError
from ..namespaces import ONTOLOGY_IRI, SPINEKG
from ..paths import ontology_dir
from ..rdf.parse import parse_file

MODULE_PREFIX = SPINEKG + "modules/"


def module_paths(directory: Path | None = None) -> list[Path]:
    """Module files in the order the header imports them."""
    directory = directory or ontology_dir()
    header = parse_file(directory / "spinekg.ttl")
    paths = []
    for imported in header.objects(URIRef(ONTOLOGY_IRI), OWL.imports):
        iri = str(imported)
        if not iri.startswith(MODULE_PREFIX):
            raise SpinekgError(f"{directory / 'spinekg.ttl'}: import {iri} is not a local spinekg module")
        paths.append(directory / "modules" / f"{iri[len(MODULE_PREFIX):]}.ttl")
    return sorted(paths)


def load_ontology(directory: Path | None = None, extra: list[Path] | None = None) -> Graph:
    """The merged asserted ontology (header + modules + optional extension files)."""
    if directory is None and extra is None:
        from .plan import build_extensions

        extra = build_extensions()  # 'spinekg build --extension FILE': the whole build sees them
    directory = directory or ontology_dir()
    graph = parse_file(directory / "spinekg.ttl")
    for path in module_paths(directory) + list(extra or []):
        parse_file(path, graph)
    for header in list(graph.subjects(RDF.type, OWL.Ontology)):
        if str(header).startswith(MODULE_PREFIX):
            for triple in list(graph.triples((header, None, None))):
                graph.remove(triple)
    graph.remove((URIRef(ONTOLOGY_IRI), OWL.imports, None))
    graph.bind("", SPINEKG)
    return graph
