"""Parse an RDF file into an rdflib graph, choosing the syntax from the file name."""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ..errors import SpinekgError


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
