"""Load the ontology: the header plus every module, merged into one rdflib graph.

``owl:imports`` in the header name the modules; they are read from ``ontology/modules/`` on disk and
never fetched over the network. The merged graph keeps only the main ontology header.
"""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from .errors import SpinekgError
from .namespaces import ONTOLOGY_IRI, SPINEKG
from .paths import ontology_dir

MODULE_PREFIX = SPINEKG + "modules/"


def parse_file(path: Path, graph: Graph | None = None, fmt: str | None = None) -> Graph:
    """Parse an RDF file, turning parser failures into one-line errors that name the file."""
    graph = graph if graph is not None else Graph()
    try:
        graph.parse(path, format=fmt or guess_format(path))
    except SpinekgError:
        raise
    except FileNotFoundError:
        raise SpinekgError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise SpinekgError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except Exception as exc:  # rdflib raises many parser-specific types
        detail = " ".join(str(exc).split())[:300]
        raise SpinekgError(f"{path}: cannot parse as RDF: {detail}") from None
    return graph


def guess_format(path: Path) -> str:
    suffix = path.suffix.lower()
    return {".ttl": "turtle", ".nt": "nt", ".owl": "xml", ".rdf": "xml", ".xml": "xml",
            ".jsonld": "json-ld", ".json": "json-ld", ".n3": "n3", ".trig": "trig"}.get(suffix, "turtle")


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
