"""Read the case-record skeleton straight from the N-Triples bytes a load is about to send.

Why: ``spinekg load`` used to bulk-load the records, read them back from the on-disk store with five
SPARQL queries and bulk-load the derived verdicts in a second pass (two thirds of a 100k-case load). Read
from the bytes already in memory, the verdicts are derived before the load and go into the same single
bulk load. Only canonical lines (``<s> <p> o .``, one space apart, no escape) are read; when a predicate
the rules read appears in any other shape (other spacing, a blank node, an escape, a typed or tagged
literal where a string is read), :func:`records_from_ntriples` returns None and the caller reads the
records from a store, whose RDF parser takes everything (:func:`spinekg.cases.case_graph.read_records`).
``tests/cases/test_nt_records.py`` proves both readers give the same records.
"""
from __future__ import annotations

from .case_graph import (DERIVED_PREDICATES, HAS_PROCEDURE, HAS_SITE, LEVEL_TEXT, NOT_TEXT, RDF_TYPE, CASE, Records,
                         Text)


class _Odd(Exception):
    """A line this reader does not take: the caller falls back to a store."""


def _pairs(body: bytes, predicate: str) -> list[tuple[str, str]]:
    """(subject, object) N-Triples tokens of every triple with ``predicate``, from canonical lines.

    Each occurrence of the predicate IRI is looked at: at the start of a line it is a subject, after
    something other than one subject term it is an object or inside a literal (neither is read here); in
    predicate position the line must be canonical, else :class:`_Odd`."""
    token = f"<{predicate}>".encode()
    width = len(token)
    find, rfind = body.find, body.rfind
    out = []
    append = out.append
    at = find(token)
    while at >= 0:
        start = rfind(b"\n", 0, at) + 1
        end = find(b"\n", at)
        if end < 0:
            end = len(body)
        if start != at:
            first = find(b">", start, at)
            if first == at - 2 and body[at - 1] == 32 and body[start] == 60:  # "<s> <p>"
                if body[at + width] != 32 or body[end - 2:end] != b" ." or find(b"\\", start, end) >= 0:
                    raise _Odd
                append((body[start:at - 1], body[at + width + 1:end - 2]))
            elif body[start] != 60 or not body[first + 1:at].strip(b" \t"):
                raise _Odd  # a blank-node subject, or the predicate after other spacing
        at = find(token, end)
    return [(s.decode(), o.decode()) for s, o in out]


def _iri(token: str) -> bool:
    """An IRI token (a line with more than one term there is no N-Triples: the store refuses the load)."""
    return token[:1] == "<"


def _string(token: str) -> bool:
    """A plain string literal (no datatype, no language, no quote inside: the store would write the same)."""
    return len(token) >= 2 and token[0] == '"' and token[-1] == '"' and token.count('"') == 2


def records_from_ntriples(body: bytes) -> Records | None:
    """The records in ``body`` exactly as :func:`spinekg.cases.case_graph.read_records` reads them from a
    store holding it, or None when a line it would need is not canonical (see the module docstring)."""
    try:
        return _records(body)
    except (_Odd, UnicodeDecodeError):
        return None


def _records(body: bytes) -> Records:
    rec = Records()
    nodes: set[str] = set()
    for predicate, owners in ((HAS_PROCEDURE, rec.procedures), (HAS_SITE, rec.sites)):
        for owner, node in _pairs(body, predicate):
            if node[0] != "<":
                raise _Odd  # a literal where a node should be: the store's reader keeps it as a token
            found = owners.get(owner)
            if found is None:
                owners[owner] = [node]
            elif node not in found:
                found.append(node)
        nodes.update(node for found in owners.values() for node in found)
    case = f"<{CASE}>"
    types = rec.types
    for subject, kind in _pairs(body, RDF_TYPE):
        if subject in nodes and kind[0] == "<":
            found = types.get(subject)
            if found is None:
                types[subject] = [kind[1:-1]]
            elif kind[1:-1] not in found:
                found.append(kind[1:-1])
        if kind == case:
            rec.cases.add(subject)
    for proc, value in dict.fromkeys(_pairs(body, LEVEL_TEXT)):
        if _iri(value):
            text: Text = NOT_TEXT
        elif _string(value):
            text = (value[1:-1], "http://www.w3.org/2001/XMLSchema#string", "")
        else:
            raise _Odd
        rec.texts.setdefault(proc, []).append(text)
    for predicate in DERIVED_PREDICATES:
        for subject, value in _pairs(body, predicate):
            if not (_iri(value) or _string(value)):
                raise _Odd
            rec.carried.setdefault(subject, set()).add((predicate, value))
    return rec
