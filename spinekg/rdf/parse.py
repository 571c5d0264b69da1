"""Parse an RDF file into an rdflib graph, choosing the syntax from the file name.

Every file goes through :func:`spinekg.rdf.guard.check_rdf_file` first (no network, no other file, bounded
resources); JSON-LD and RDF/XML are then parsed from the bytes that were checked, so rdflib never opens
anything itself."""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ..errors import SpinekgError
from .guard import check_rdf_file


def parse_file(path: Path, graph: Graph | None = None, fmt: str | None = None) -> Graph:
    """Parse an RDF file, turning parser failures into one-line errors that name the file."""
    graph = graph if graph is not None else Graph()
    path = Path(path)
    fmt = fmt or guess_format(path)
    try:
        data = check_rdf_file(path, fmt)
        if data is not None:
            graph.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
        else:
            graph.parse(path, format=fmt)
    except SpinekgError:
        raise
    except FileNotFoundError:
        raise SpinekgError(f"{path}: no such file") from None
    except RecursionError:
        raise SpinekgError(f"{path}: cannot parse as RDF: nested too deeply (see the depth limit)") from None
    except MemoryError:
        raise SpinekgError(f"{path}: cannot parse as RDF: out of memory (see 'spinekg --limit')") from None
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
