"""The input policy every RDF file passes before any parser (rdflib, pyoxigraph, owlready2) sees it.

Why a pre-flight pass: the parsers spinekg uses will, given the wrong file, fetch a JSON-LD ``@context``
over HTTP or read it from ``file:``, expand XML entities without bound, or take gigabytes for a list or
a literal. One pass here refuses, with one line naming the file and the rule, anything that could make
spinekg reach the network or another file (remote or local JSON-LD contexts, XML external entities and
DTDs, ``owl:imports`` of anything but the shipped modules) and anything past a resource limit
(:mod:`spinekg.rdf.limits`). The counting pass streams the file through Oxigraph's Rust parsers
(constant memory, no network access), so the limits hold before rdflib builds its in-memory graph.
"""
from __future__ import annotations

import json
import os
import re
import stat
from collections import Counter
from pathlib import Path

from ..errors import SpinekgError
from ..namespaces import ONTOLOGY_IRI, SPINEKG
from . import limits

OWL_IMPORTS = "http://www.w3.org/2002/07/owl#imports"
RDF_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
MODULE_PREFIX = SPINEKG + "modules/"
_OX_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "xml": "RDF_XML", "json-ld": "JSON_LD",
               "n3": "N3", "trig": "TRIG", "nquads": "N_QUADS"}


def shipped(path: Path) -> bool:
    """Files shipped with spinekg (ontology, shapes, release, questions) are not user input: the size
    limits, meant for hostile files, do not apply to them (the reach rules still do)."""
    from ..paths import ontology_dir, queries_dir

    try:
        resolved = Path(path).resolve()
    except OSError:
        return False
    roots = [Path(__file__).resolve().parents[1] / "data", ontology_dir().resolve(), queries_dir().resolve()]
    return any(resolved.is_relative_to(root) for root in roots)


def check_regular_file(path: Path) -> int:
    """The size of ``path``, refusing a missing file, a directory, a device or a FIFO (which could block
    or never end) and a file past the ``file-bytes`` limit."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise SpinekgError(f"{path}: no such file") from None
    except OSError as exc:
        raise SpinekgError(f"{path}: cannot read: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise SpinekgError(f"{path}: is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise SpinekgError(f"{path}: not a regular file (devices, FIFOs and sockets are not read)")
    if info.st_size > limits.get("file-bytes") and not shipped(path):
        raise limits.exceeded(str(path), "file-bytes", f"its size ({info.st_size} bytes)")
    return info.st_size


def allowed_import(iri: str) -> bool:
    """owl:imports may name the main ontology or a shipped module; they are merged from disk, never fetched."""
    return iri.rstrip("/#") == ONTOLOGY_IRI.rstrip("/#") or iri.startswith(MODULE_PREFIX)


def refuse_import(where: str, iri: str) -> SpinekgError:
    return SpinekgError(f"{where}: owl:imports <{iri}> refused: spinekg never resolves imports; only "
                        f"<{ONTOLOGY_IRI}> and its shipped modules may be imported")


def check_rdf_file(path: Path, fmt: str) -> bytes | None:
    """Run the policy on one RDF file in rdflib format ``fmt``; returns the bytes read when the syntax
    needed them (JSON-LD, RDF/XML), so the caller can parse what was checked."""
    check_regular_file(path)
    if shipped(path):
        return None
    data = None
    if fmt == "json-ld":
        data = path.read_bytes()
        check_jsonld(str(path), data)
    elif fmt == "xml":
        data = path.read_bytes()
        check_xml(str(path), data)
    count_terms(path, fmt)
    return data


# ---- JSON-LD ----------------------------------------------------------------------------------------

def check_jsonld(where: str, data: bytes) -> None:
    """No context that is not inline (a string is an IRI to fetch), no ``@import``, bounded nesting."""
    try:
        document = json.loads(data)
    except RecursionError:
        raise limits.exceeded(where, "depth", "JSON nesting") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise SpinekgError(f"{where}: cannot parse as RDF (JSON-LD): {' '.join(str(exc).split())[:200]}") from None
    max_depth, items = limits.get("depth"), 0
    stack: list[tuple[object, int]] = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            raise limits.exceeded(where, "depth", f"JSON nesting (over {max_depth} levels)")
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    _check_context(where, value)
                elif key == "@list" and isinstance(value, list):
                    items += len(value)
                stack.append((value, depth + 1))
        elif isinstance(node, list):
            stack.extend((value, depth + 1) for value in node)
    if items > limits.get("list-items"):
        raise limits.exceeded(where, "list-items", f"@list members ({items})")


def _check_context(where: str, value: object) -> None:
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            raise SpinekgError(f"{where}: JSON-LD @context {item[:200]!r} refused: spinekg never fetches or "
                               f"reads contexts; put the context inline in the file")
        if isinstance(item, dict) and "@import" in item:
            raise SpinekgError(f"{where}: JSON-LD @import {str(item['@import'])[:200]!r} refused: spinekg never "
                               f"fetches or reads contexts; put the context inline in the file")


# ---- RDF/XML ----------------------------------------------------------------------------------------

_DOCTYPE = re.compile(rb"<!DOCTYPE\s+[^\s\[>]+\s*(SYSTEM|PUBLIC)?", re.I)
_ENTITY = re.compile(rb"<!ENTITY\s+(%\s+)?([^\s>]+)\s+(?:(SYSTEM|PUBLIC)\b|\"([^\"]*)\"|'([^']*)')", re.S)
_REFERENCE = re.compile(rb"&([A-Za-z_:][\w.:-]*);")
ENTITY_VALUE_BYTES = 1000


def check_xml(where: str, data: bytes) -> None:
    """Internal entities only, few and flat (no entity in an entity), and a bounded expansion."""
    doctype = _DOCTYPE.search(data)
    if doctype and doctype.group(1):
        raise SpinekgError(f"{where}: an external DTD ({doctype.group(1).decode()}) is refused: spinekg never "
                           f"reads other files or the network")
    values: dict[bytes, bytes] = {}
    for match in _ENTITY.finditer(data):
        name = match.group(2).decode("utf-8", "replace")
        if match.group(1):
            raise SpinekgError(f"{where}: XML parameter entity %{name} refused")
        if match.group(3):
            raise SpinekgError(f"{where}: XML external entity {name} ({match.group(3).decode()}) refused: spinekg "
                               f"never reads other files or the network")
        value = match.group(4) if match.group(4) is not None else match.group(5)
        if _REFERENCE.search(value) or b"%" in value:
            raise SpinekgError(f"{where}: XML entity {name} refers to another entity (nested expansion is refused)")
        if len(value) > ENTITY_VALUE_BYTES:
            raise SpinekgError(f"{where}: XML entity {name} is longer than {ENTITY_VALUE_BYTES} bytes")
        values[match.group(2)] = value
    if len(values) > limits.get("xml-entities"):
        raise limits.exceeded(where, "xml-entities", f"the number of XML entities ({len(values)})")
    if values:
        counts = Counter(m.group(1) for m in _REFERENCE.finditer(data) if m.group(1) in values)
        growth = sum(len(values[name]) * n for name, n in counts.items())
        if growth > 10 * len(data) + 1_000_000:
            raise limits.exceeded(where, "xml-entities", f"entity expansion ({growth} bytes)")


# ---- the counting pass ----------------------------------------------------------------------------------

def count_terms(path: Path, fmt: str) -> None:
    """Stream the file through Oxigraph: triples, literal sizes, list members and owl:imports. A syntax
    error here is left to the caller's parser, which reports it with its own message."""
    if fmt == "nt":
        return _count_ntriples(path)
    name = _OX_FORMATS.get(fmt)
    try:
        import pyoxigraph as ox
    except ImportError:  # pragma: no cover - pyoxigraph is a core dependency
        return
    if name is None:
        return
    where = str(path)
    max_triples, max_literal = limits.get("triples"), limits.get("literal-bytes")
    max_items, firsts, triples = limits.get("list-items"), 0, 0
    try:
        for quad in ox.parse(path=str(path), format=getattr(ox.RdfFormat, name),
                             base_iri=Path(path).resolve().as_uri(), lenient=True):
            triples += 1
            if triples > max_triples:
                raise limits.exceeded(where, "triples", f"the number of triples (over {max_triples})")
            obj, predicate = quad.object, quad.predicate.value
            if isinstance(obj, ox.Literal) and len(obj.value) > max_literal // 4 \
                    and len(obj.value.encode("utf-8")) > max_literal:
                raise limits.exceeded(where, "literal-bytes", f"a literal of {len(obj.value.encode('utf-8'))} bytes")
            if predicate == RDF_FIRST:
                firsts += 1
                if firsts > max_items:
                    raise limits.exceeded(where, "list-items", f"rdf:List members (over {max_items})")
            elif predicate == OWL_IMPORTS and isinstance(obj, ox.NamedNode) and not allowed_import(obj.value):
                raise refuse_import(where, obj.value)
    except (SyntaxError, ValueError, OSError):
        return


_IMPORT_NT = re.compile(rb"<http://www\.w3\.org/2002/07/owl#imports>\s*<([^>]*)>")


def _long_lines(data: bytes, most: int):  # type: ignore[no-untyped-def]
    """The lines of ``data`` longer than ``most`` bytes, found a window of ``most`` bytes at a time (a list of
    every line cost more than the rest of the check on a million-line file)."""
    start = 0
    while start + most < len(data):
        newline = data.rfind(b"\n", start, start + most + 1)
        if newline >= 0:
            start = newline + 1
            continue
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        yield data[start:end]
        start = end + 1


def _count_ntriples(path: Path) -> None:
    """N-Triples holds one triple a line, so byte scans (C speed) bound it: a line bounds its literal."""
    where, data = str(path), path.read_bytes()
    most = limits.get("literal-bytes")
    for line in _long_lines(data, most):  # only a long line can hold a long literal; IRIs hold no '"',
        start = line.find(b'"')  # so the literal runs from the first quote to the last (or the line end)
        end = line.rfind(b'"')
        size = (end if end > start else len(line)) - start - 1
        if start >= 0 and size > most:
            raise limits.exceeded(where, "literal-bytes", f"a literal of about {size} bytes")
    lines = data.count(b"\n")
    if lines > limits.get("triples"):
        raise limits.exceeded(where, "triples", f"the number of lines ({lines})")
    firsts = data.count(b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#first>")
    if firsts > limits.get("list-items"):
        raise limits.exceeded(where, "list-items", f"rdf:List members ({firsts})")
    for match in _IMPORT_NT.finditer(data):
        iri = match.group(1).decode("utf-8", "replace")
        if not allowed_import(iri):
            raise refuse_import(where, iri)
