"""Reading case-record files for record-wise validation: oxigraph reads them (in Rust, ~20x rdflib's speed)
into one N-Triples string, after the ontology triples the case shapes read, so the Rust engine reads the
string as it is (spinekg.shacl.whole) and nothing holds the data twice.

N-Triples files already written as oxigraph writes them (one triple a line, one space apart, no escapes)
are that string as they stand: their text is taken as it is and the Rust engine starts on it at once, in
a thread, while this thread checks that it is so (a regular expression, at C speed) -- reading them again
through oxigraph cost about as long as the engine's whole run. Any other file is read as before.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from .case_data import CaseData, term_key
from .case_ontology import _case_ontology_text
from .input import check_file, read_data


SAMPLE = 1 << 16  # characters checked before the engine starts
_OX_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "xml": "RDF_XML", "json-ld": "JSON_LD"}


def read_case_data(paths: Iterable[Path], engine: str | None = None) -> CaseData:
    """Parse data files for record-wise validation: oxigraph reads them (in Rust, ~20x rdflib's speed).

    Whatever oxigraph refuses or finds empty is read again by :func:`read_data`, so every error message
    (file, line, reason) is rdflib's as before, and data only rdflib accepts is still accepted. With the
    ``engine`` that will validate them, N-Triples files oxigraph would write the same are taken as they
    are, the Rust engine already running on them (see the module docstring).
    """
    paths = [Path(p) for p in paths]
    if engine is not None:
        data = _read_as_written(paths, engine)
        if data is not None:
            return data
    return _read_through_oxigraph(paths)


# One triple a line as oxigraph writes it: IRIs with a scheme, literals without escapes or control
# characters, lower-case language tags, one space apart, " .", a newline. (xsd:string, which oxigraph leaves
# out, is looked for separately.)
_IRI = r'<[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>"{}|^`\\]*>'
_LITERAL = r'"[^"\\\x00-\x1f\x7f]*"(?:\^\^' + _IRI + r'|@[a-z]+(?:-[a-z0-9]+)*)?'
_WRITTEN = re.compile(f"(?:{_IRI} {_IRI} (?:{_IRI}|{_LITERAL}) \\.\n)*+")  # possessive: a million lines
# leave no backtracking state behind (the plain repeat kept ~350 MB of it)
_XSD_STRING = "^^<http://www.w3.org/2001/XMLSchema#string>"


def as_oxigraph_writes(text: str, start: int = 0) -> bool:
    """True when ``text`` from ``start`` is N-Triples exactly as oxigraph writes what it reads (checked, not
    assumed: the readers of spinekg.shacl.whole split lines on single spaces, and findings name terms as the
    engine writes them). Blank nodes are not: their labels are renamed when several files are read."""
    if text.find(_XSD_STRING, start) >= 0:
        return False
    match = _WRITTEN.match(text, start)
    return match is not None and match.end() == len(text)


def _read_as_written(paths: list[Path], engine: str) -> CaseData | None:
    """The files' own text after the ontology triples, the engine running on it; None to read them as before."""
    from ..rdf.guard import check_rdf_file
    from ..rdf.parse import guess_format
    from .engine import record_engine

    if not paths or any(guess_format(p) != "nt" for p in paths) or record_engine(engine) != "rust":
        return None
    head = _case_ontology_text()[0]
    for path in paths:
        check_file(path)
        check_rdf_file(path, "nt")  # no network, no other file, bounded resources
    text = _read_after(head.encode("utf-8"), paths)
    if text is None:
        return None
    from .whole import EngineRun, engine_text

    sample = text.rfind("\n", 0, len(head) + SAMPLE) + 1  # whole lines: most files not written so show it early
    if sample <= len(head) or not as_oxigraph_writes(text[len(head):sample]):
        return None
    data = CaseData(None, None, None, text, len(head))
    data.reread = lambda: _read_through_oxigraph(paths)
    if engine_text(data, text[:sample]) is None:  # level text: the batch path's data (see there)
        return None
    run = EngineRun(text)
    if not as_oxigraph_writes(text, len(head)) or engine_text(data) is None:
        run.result()  # (a file not written so: wait for the run, whose text is not the one to validate)
        return None
    data.run = run
    return data


def _read_after(head: bytes, paths: list[Path]) -> str | None:
    """``head`` and the files, each ending in a newline, as one string; None when one is not UTF-8. Read into
    one buffer and decoded once: the file's bytes, its text and a joined copy were twice the data at once."""
    try:
        sizes = [p.stat().st_size for p in paths]
        buffer = bytearray(len(head) + sum(sizes) + len(sizes))
        buffer[:len(head)] = head
        end = len(head)
        for path, size in zip(paths, sizes):
            with path.open("rb") as handle:
                if handle.readinto(memoryview(buffer)[end:end + size]) != size or handle.read(1):
                    return None  # (changed while read: read it as before)
            end += size
            if buffer[end - 1] != 10:  # "\n", as oxigraph ends its text
                buffer[end] = 10
                end += 1
        del buffer[end:]
        return buffer.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _read_through_oxigraph(paths: list[Path]) -> CaseData:
    import pyoxigraph as ox

    from ..rdf.guard import check_rdf_file
    from ..rdf.parse import guess_format

    head = _case_ontology_text()[0]
    texts: list[str] = [head]
    for path in paths:
        check_file(path)
        text = None
        fmt = _OX_FORMATS.get(guess_format(path))
        data = check_rdf_file(path, guess_format(path))  # no network, no other file, bounded resources
        if fmt is not None:
            try:
                quads = ox.parse(**({"input": data} if data is not None else {"path": str(path)}), format=getattr(ox.RdfFormat, fmt), without_named_graphs=True,
                                 rename_blank_nodes=len(paths) > 1)
                text = ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
            except Exception:  # noqa: BLE001 -- any refusal: rdflib reads it again and names the problem
                text = None
        if text:
            texts.append(text if text.endswith("\n") else text + "\n")  # duplicates are harmless: every
            continue  # reader below counts sets
        graph = read_data([path])  # the documented one-line error, or data only rdflib reads
        lines = []
        for triple in graph:
            keys = [term_key(t) for t in triple]
            if None in keys:  # a term N-Triples cannot carry: read everything as one graph
                return CaseData({}, 0, read_data(paths))
            lines.append(" ".join(keys) + " .\n")  # type: ignore[arg-type]
        texts.append("".join(lines))
    text = "".join(texts)
    del texts
    return CaseData(None, text.count("\n", len(head)), None, text, len(head))
