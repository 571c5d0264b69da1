"""Case data as N-Triples text grouped by subject: what record-wise validation reads, splits and batches.

An rdflib graph of a million triples takes longer to build than to validate, so record-wise validation keeps
terms as N-Triples text (read by oxigraph, or taken from a graph already in memory) and makes rdflib
objects only for the records with findings.
"""
from __future__ import annotations

import logging
import re
from typing import Callable, Iterable, Iterator

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from ..collector import collector_paused
from ..errors import SpinekgError
from .input import is_extension

TYPE_KEY = f"<{RDF.type}>"

_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>"{}|^`\\]*\Z')
_BNODE_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?\Z")
_LANGUAGE = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z0-9]+)*\Z")
_NEEDS_ESCAPE = re.compile(r'["\\\n\r]')
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def term_key(term) -> str | None:  # type: ignore[no-untyped-def]
    """The N-Triples text of an rdflib term, or None if N-Triples cannot write it (a relative IRI, ...)."""
    kind = type(term)
    if kind is Literal or (kind is not URIRef and kind is not BNode and isinstance(term, Literal)):
        text = str(term)
        text = f'"{text.translate(_ESCAPES) if _NEEDS_ESCAPE.search(text) else text}"'
        if term.language:
            return f"{text}@{term.language}" if _LANGUAGE.match(term.language) else None
        if term.datatype is None or term.datatype == XSD.string:
            return text
        return f"{text}^^<{term.datatype}>" if _IRI.match(term.datatype) else None
    if kind is URIRef or isinstance(term, URIRef):
        return f"<{term}>" if _IRI.match(term) else None
    if kind is BNode or isinstance(term, BNode):
        return f"_:{term}" if _BNODE_LABEL.match(term) else None
    return None


def key_term(key: str):  # type: ignore[no-untyped-def]
    """The rdflib term of an N-Triples term (blank node labels kept, literals read as rdflib reads them)."""
    if key[0] == "<":
        return URIRef(key[1:-1])
    if key[0] == "_":
        return BNode(key[2:])
    from rdflib.plugins.parsers.ntriples import r_literal, unquote, uriquote

    match = r_literal.match(key)
    if match is None:
        raise SpinekgError(f"cannot read the N-Triples term {key[:80]}")
    lexical, language, datatype = match.groups()
    return Literal(unquote(lexical), lang=language or None,
                   datatype=URIRef(uriquote(unquote(datatype))) if datatype else None)


def keys_graph(triples: Iterable[tuple[str, str, str]], graph: Graph | None = None) -> Graph:
    graph = graph if graph is not None else Graph()
    terms: dict[str, object] = {}
    for triple in triples:
        graph.add(tuple(terms[k] if k in terms else terms.setdefault(k, key_term(k)) for k in triple))  # type: ignore[arg-type]
    return graph


class CaseData:
    """Data as N-Triples terms grouped by subject, in the order read: what record-wise validation splits.

    ``graph`` is set instead when some term cannot be written as N-Triples (data built in Python with a
    relative IRI, say); such data is validated in one run, as any graph. ``text`` is the data as N-Triples
    lines from ``start`` on when it was read from files (oxigraph's writing, one triple a line), after the
    ontology triples the case shapes read: the one string the Rust engine reads (spinekg.shacl.whole), never
    copied; ``subjects`` is then made from it only when asked for.
    """

    def __init__(self, subjects: dict[str, list[tuple[str, str]]] | None, triples: int | None = 0,
                 graph: Graph | None = None, text: str | None = None, start: int = 0) -> None:
        self._subjects = subjects
        self._triples = triples
        self.graph = graph
        self.text = text
        self.start = start
        self.run = None  # an engine run over ``text`` started while the files were checked (spinekg.shacl.whole)
        self.reread: Callable[[], CaseData] | None = None  # the files read as before, when ``text`` is their
        # own text: what to validate if the engine refuses it (the old reader then names the problem)

    @property
    def triples(self) -> int:
        if self._triples is None:  # text read as it is: one triple a line (checked), counted when asked
            self._triples = (self.text or "").count("\n", self.start)
        return self._triples

    @property
    def subjects(self) -> dict[str, list[tuple[str, str]]]:
        if self._subjects is None:
            self._subjects = CaseData.from_ntriples(text_lines(self.text or "", self.start)).subjects
        return self._subjects

    @classmethod
    def from_graph(cls, graph: Graph) -> CaseData:
        """From an rdflib graph (not modified); terms N-Triples cannot write leave the graph as it is."""
        subjects: dict[str, list[tuple[str, str]]] = {}
        iris: dict[str, str | None] = {}  # rdflib compares terms slowly: cache IRIs by their plain text
        count = 0
        with collector_paused():
            for s, pairs_of in _subject_index(graph):
                ks = term_key(s)
                if ks is None:
                    return cls({}, 0, graph)
                pairs = subjects.get(ks)
                if pairs is None:
                    subjects[ks] = pairs = []
                for p, objects in pairs_of:
                    text = str(p)
                    kp = iris.get(text, "")
                    if kp == "":
                        kp = iris[text] = term_key(p)
                    if kp is None:
                        return cls({}, 0, graph)
                    for o in objects:
                        if type(o) is URIRef:
                            text = str(o)
                            ko = iris.get(text, "")
                            if ko == "":
                                ko = iris[text] = term_key(o)
                        else:
                            ko = term_key(o)
                        if ko is None:
                            return cls({}, 0, graph)
                        pairs.append((kp, ko))
                        count += 1
        if count != len(graph):  # the store held more than this graph: group its own triples instead
            return cls.from_graph(_plain_copy(graph)) if _subject_index_is_direct(graph) else cls({}, 0, graph)
        return cls(subjects, count)

    @classmethod
    def from_ntriples(cls, lines: Iterable[str]) -> CaseData:
        """From N-Triples lines as oxigraph writes them: ``S P O .``, one space apart, no duplicates."""
        subjects: dict[str, list[tuple[str, str]]] = {}
        shared: dict[str, str] = {}  # one string object per predicate and class IRI
        count = 0
        with collector_paused():
            for line in lines:
                s, p, rest = line.split(" ", 2)
                o = rest[:-2]
                p = shared.get(p) or shared.setdefault(p, p)
                if o[0] == "<":
                    o = shared.get(o) or shared.setdefault(o, o)
                pairs = subjects.get(s)
                if pairs is None:
                    subjects[s] = pairs = []
                pairs.append((p, o))
                count += 1
        return cls(subjects, count)

    def ntriples(self) -> tuple[str, int]:
        """(text, start): the data as N-Triples lines from ``start`` on (``text``, or written from ``subjects``)."""
        if self.text is None:
            self.text = "".join(f"{s} {p} {o} .\n" for s, pairs in self.subjects.items() for p, o in pairs)
        return self.text, self.start

    def __len__(self) -> int:
        return len(self.graph) if self.graph is not None else self.triples

    def to_graph(self) -> Graph:
        if self.graph is not None:
            return self.graph
        with quiet_terms():
            return keys_graph((s, p, o) for s, pairs in self.subjects.items() for p, o in pairs)

    def is_extension(self) -> bool:
        """Data that declares classes, properties or an ontology header (see :func:`is_extension`)."""
        if self.graph is not None:
            return is_extension(self.graph)
        kinds = {f"<{k}>" for k in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.Ontology)}
        subclass = f"<{RDFS.subClassOf}>"
        if self._subjects is None and self.text is not None:  # one line a triple: " P O .\n" ends no literal
            types = [f" {TYPE_KEY} {k} .\n" for k in kinds] if self.text.find(f"<{OWL}", self.start) >= 0 else []
            found = any(self.text.find(pattern, self.start) >= 0 for pattern in [f" {subclass} "] + types)
            if found and self.run is not None:  # the case shapes' run is not wanted: wait for it, drop it
                self.run.result()
                self.run = None
            return found
        return any(p == subclass or (p == TYPE_KEY and o in kinds)
                   for pairs in self.subjects.values() for p, o in pairs)


def text_lines(text: str, start: int = 0) -> Iterator[str]:
    """The non-empty lines of ``text`` from ``start`` (see :func:`text_chunks`)."""
    for chunk in text_chunks(text, start):
        yield from (line for line in chunk.split("\n") if line)


def text_chunks(text: str, start: int = 0, size: int = 1 << 20) -> Iterator[str]:
    """``text`` from ``start`` in pieces of whole lines of about ``size`` characters: split one at a time,
    never all at once (a list of a million lines costs more memory than the text)."""
    end = len(text)
    while start < end:
        stop = text.find("\n", min(start + size, end))
        stop = end if stop < 0 else stop
        yield text[start:stop]
        start = stop + 1


def _subject_index_is_direct(graph: Graph) -> bool:
    store = graph.store
    return (type(store).__name__ == "Memory" and type(graph) is Graph
            and isinstance(getattr(store, "_Memory__spo", None), dict))


def _subject_index(graph: Graph):  # type: ignore[no-untyped-def]
    """(subject, [(predicate, objects)]) for every subject of ``graph``, in the order the triples were added.

    A plain in-memory Graph keeps exactly this index (rdflib's Memory store): reading it directly is ~10x
    faster than iterating triples (the caller checks the count: a store shared with other graphs holds
    more). Any other graph is grouped from its triples.
    """
    if _subject_index_is_direct(graph):
        return ((s, po.items()) for s, po in graph.store._Memory__spo.items())  # type: ignore[attr-defined]
    grouped: dict = {}
    for s, p, o in graph:
        grouped.setdefault(s, {}).setdefault(p, []).append(o)
    return ((s, po.items()) for s, po in grouped.items())


def _plain_copy(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


class quiet_terms:
    """rdflib logs a traceback for an ill-typed literal (2024-02-30) it is asked to make; shapes report those."""

    def __enter__(self) -> None:
        self.logger = logging.getLogger("rdflib.term")
        self.level = self.logger.level
        self.logger.setLevel(logging.ERROR)

    def __exit__(self, *exc: object) -> None:
        self.logger.setLevel(self.level)
