"""Reading the data to validate: one-line errors (file and line) for what no RDF parser should see.

Shared by the rdflib path (:func:`read_data`) and the oxigraph path of record-wise validation
(``spinekg.shacl.case_files.read_case_data``), so both refuse the same files with the same words. Also what
the data is: an ontology extension or case records (:func:`is_extension`).
"""
from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Iterable

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ..errors import SpinekgError

MAX_FILE_BYTES = 2_000_000_000


def read_data(paths: Iterable[Path], graph: Graph | None = None) -> Graph:
    """Parse data files into ``graph`` with one-line errors (file and line), never a traceback."""
    from ..rdf.parse import parse_file

    graph = graph if graph is not None else Graph()
    for path in paths:
        path = Path(path)
        check_file(path)
        before = len(graph)
        logger = logging.getLogger("rdflib.term")
        level = logger.level
        logger.setLevel(logging.ERROR)  # rdflib warns about bad IRIs on stderr; we report them as errors
        try:
            parse_file(path, graph)
        finally:
            logger.setLevel(level)
        if len(graph) == before and not _has_triples_text(path):
            raise SpinekgError(f"{path}: contains no RDF triples")
        _check_iris(graph, path)
    return graph


def check_file(path: Path) -> None:
    """Refuse what no RDF parser should see (missing, empty, huge, UTF-16 or binary files), in one line."""
    if path.is_dir():
        raise SpinekgError(f"{path}: is a directory, not an RDF file")
    if not path.exists():
        raise SpinekgError(f"{path}: no such file")
    size = path.stat().st_size
    if size == 0:
        raise SpinekgError(f"{path}: the file is empty (no RDF triples to validate)")
    if size > MAX_FILE_BYTES:
        raise SpinekgError(f"{path}: {size} bytes is larger than the {MAX_FILE_BYTES}-byte limit")
    with path.open("rb") as handle:
        head = handle.read(4)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise SpinekgError(f"{path}: the file is UTF-16 encoded; save it as UTF-8")
    if b"\x00" in head:
        raise SpinekgError(f"{path}: binary or UTF-16/32 data; RDF files must be UTF-8 text")


_BAD_IRI = re.compile(r'[\s<>"{}|\\^`]')


def _check_iris(graph: Graph, path: Path) -> None:
    """rdflib accepts IRIs with spaces or angle brackets; they break every serialisation, so refuse them."""
    for node in graph.all_nodes():
        if isinstance(node, URIRef) and _BAD_IRI.search(node):
            raise SpinekgError(f"{path}: invalid IRI <{str(node)[:100]}> (spaces and <>\"{{}}|\\^` are not allowed)")


def _has_triples_text(path: Path) -> bool:
    """A file that parsed to nothing: fine if it holds only duplicates of triples already read."""
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = [line.strip() for line in text.splitlines()]
    return any(line and not line.startswith(("#", "@prefix", "@base", "PREFIX", "BASE", "prefix", "base"))
               for line in lines)


def is_extension(data: Graph) -> bool:
    """Data that declares classes, properties or an ontology header is an extension, not case records."""
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.Ontology):
        if next(data.subjects(RDF.type, kind), None) is not None:
            return True
    return next(data.subjects(RDFS.subClassOf, None), None) is not None
