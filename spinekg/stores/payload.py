"""What a load sends: the input files as canonical N-Triples lines (checked with byte scans, cut into
parallel parts), and the stale/missing comparison with what a store already holds."""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EXIT_ENVIRONMENT, SpinekgError
PART_MIN_TRIPLES = 100_000  # below this, one bulk-load request (splitting costs more than it saves)
MAX_PARTS = 4
N_TRIPLES_TYPE = "application/n-triples"
PIECE_TRIPLES = 250_000  # per embedded bulk_load call: its memory grows with the input it is given


def _pyoxigraph():  # type: ignore[no-untyped-def]
    try:
        import pyoxigraph
    except ImportError:
        raise SpinekgError("the Oxigraph store needs pyoxigraph (pip install 'pyoxigraph>=0.4')", EXIT_ENVIRONMENT) from None
    return pyoxigraph


# ---- reading the input ---------------------------------------------------------------------------

def _rdf_format(path: Path):  # type: ignore[no-untyped-def]
    ox = _pyoxigraph()
    formats = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".owl": ox.RdfFormat.RDF_XML,
               ".rdf": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML, ".jsonld": ox.RdfFormat.JSON_LD,
               ".json": ox.RdfFormat.JSON_LD, ".n3": ox.RdfFormat.N3}
    if path.suffix.lower() not in formats:
        raise SpinekgError(f"{path}: unknown RDF file type {path.suffix!r} (use .nt, .ttl, .owl, .rdf or .jsonld)")
    return formats[path.suffix.lower()]


_ODD_START = re.compile(rb"\n[^<_]")  # a line that is empty or starts with something else than an IRI or a blank node
_ODD_LINE = re.compile(rb"\n[^<_\n]")  # a line that is not empty and starts with something else
_EMPTY_LINE = re.compile(rb"\n(?=\n)")  # the end of a line followed by an empty line


def _nt_file(path: Path) -> tuple[bytes, int]:
    """An N-Triples file as (body to send, the number of triple lines in it).

    Fast path: when every line already starts with ``<`` or ``_`` and ends with ``.`` (what canonical
    writers emit), the file's bytes are sent as they are, without splitting them into lines (a million
    lines cost half a second to split). Otherwise each line is stripped, blank and comment lines are
    dropped, and a line without a final ``.`` is an error.
    """
    from ..rdf.guard import check_rdf_file

    check_rdf_file(path, "nt")  # byte scans: size, literal, list and owl:imports rules
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SpinekgError(f"{path}: cannot read: {' '.join(str(exc).split())[:300]}") from None
    if data and not data.endswith(b"\n"):
        data += b"\n"
    odd = _ODD_START.search(data)  # one fast scan; an empty line also starts "oddly"
    empty = len(_EMPTY_LINE.findall(data)) if odd and b"\n\n" in data else 0
    total = data.count(b"\n") - empty
    regular = (data[:1] in b"<_" and (not odd or not _ODD_LINE.search(data, odd.start()))
               and data.count(b".\n") == total)
    if regular:
        return data, total
    lines = data.split(b"\n")
    clean = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith(b"#"):
            continue
        if not line.endswith(b"."):
            raise SpinekgError(f"{path}:{number}: not an N-Triples line (no final '.')")
        clean.append(line)
    return (b"\n".join(clean) + b"\n" if clean else b""), len(clean)


def ntriples_lines(path: Path) -> list[bytes]:
    """The triples of one file as N-Triples lines (no trailing newline)."""
    path = Path(path)
    if not path.is_file():
        raise SpinekgError(f"{path}: no such file")
    if path.suffix.lower() == ".nt":
        return [line for line in _nt_file(path)[0].split(b"\n") if line]
    from ..rdf.guard import check_rdf_file
    from ..rdf.parse import guess_format

    ox = _pyoxigraph()
    fmt = _rdf_format(path)
    data = check_rdf_file(path, guess_format(path))  # no network, no other file, bounded resources
    try:
        source = {"input": data} if data is not None else {"path": str(path)}
        return [f"{triple} .".encode() for triple in ox.parse(format=fmt, **source)]
    except SyntaxError as exc:
        raise SpinekgError(f"{path}: cannot parse as RDF: {' '.join(str(exc).split())[:300]}") from None
    except OSError as exc:
        raise SpinekgError(f"{path}: cannot read: {' '.join(str(exc).split())[:300]}") from None


@dataclass
class Payload:
    """What a load sends: an N-Triples body of ``total`` lines (a line may repeat: stores keep one copy).

    Its distinct lines, whose number the store's count must match, are only collected when needed (a
    reload compares them with the store; a count below ``total`` may be repeated lines): a first load of
    a million distinct lines never splits the body."""

    body: bytes
    total: int
    blank_nodes: bool  # labels are document-scoped: such a body is never split or matched line by line
    _lines: set[bytes] | None = field(default=None, repr=False, compare=False)
    extra: list[bytes] = field(default_factory=list)  # more N-Triples bodies (derived verdicts), sent as parts
    deferred: list[Deferred] = field(default_factory=list)  # bodies computed while the rest loads

    def with_extra(self, body: bytes | Deferred, count: int = 0) -> "Payload":
        """This payload plus ``body`` (``count`` lines without blank nodes; a :class:`Deferred` counts
        itself once made), kept apart: joining them would copy the whole input once more."""
        if isinstance(body, Deferred):
            return Payload(self.body, self.total, self.blank_nodes, None, self.extra, self.deferred + [body])
        return Payload(self.body, self.total + count, self.blank_nodes, None, self.extra + [body], self.deferred)

    def resolve(self) -> None:
        """Make every deferred body (if a load has not) and count it in."""
        for made in self.deferred:
            body = made()
            self.extra.append(body)
            self.total += body.count(b"\n")
        self.deferred = []
        self._lines = None

    @property
    def lines(self) -> set[bytes]:
        self.resolve()
        if self._lines is None:
            self._lines = set(self.body.split(b"\n"))
            for body in self.extra:
                self._lines.update(body.split(b"\n"))
            self._lines.discard(b"")
        return self._lines

    @property
    def count(self) -> int:
        """Distinct triple lines."""
        return len(self.lines)

    def sent(self, counted: int, into_empty: bool) -> int:
        """Distinct lines sent, for the count check. Into an empty graph, a count equal to ``total`` proves
        every line distinct and stored, without collecting the lines."""
        self.resolve()
        return self.total if into_empty and counted == self.total else self.count

    def parts(self) -> list[bytes]:
        """The body in parts to bulk-load in parallel (one part when it holds blank nodes)."""
        self.resolve()
        extra = [body for body in self.extra if body]
        if self.blank_nodes:
            return [self.body] + extra
        return _cut(self.body, self.total - sum(body.count(b"\n") for body in extra)) + extra

    def pieces(self) -> list[Callable[[], bytes]]:
        """For the embedded store's bulk loader, which holds all it is given in memory at once: deferred
        bodies first (made while the rest loads), then the body in pieces of about ``PIECE_TRIPLES`` lines,
        each sliced only when it is loaded (the input is never held twice), then the extra bodies."""
        body = self.body
        whole = [lambda: body] if self.blank_nodes or len(body) == 0 else []
        cuts = [0] if not whole else []
        pieces = max(1, round((self.total - sum(b.count(b"\n") for b in self.extra)) / PIECE_TRIPLES))
        for k in range(1, pieces if cuts else 0):
            at = body.find(b"\n", max(cuts[-1], len(body) * k // pieces)) + 1
            if 0 < at < len(body):
                cuts.append(at)
        cuts += [len(body)] if cuts else []
        sliced = [lambda a=a, b=b: body[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]
        return list(self.deferred) + whole + sliced + [lambda extra=extra: extra for extra in self.extra]


class Deferred:
    """An N-Triples body made on first use (derived case verdicts, computed while the input loads)."""

    def __init__(self, make: Callable[[], bytes]) -> None:
        self._make: Callable[[], bytes] | None = make
        self._body = b""

    def __call__(self) -> bytes:
        if self._make is not None:
            self._body, self._make = self._make(), None
        return self._body


def _cut(body: bytes, lines: int, most: int | None = None) -> list[bytes]:
    """``body`` (of ``lines`` lines) cut at line boundaries into ``_workers(lines, most)`` parts, to
    bulk-load in parallel."""
    n = _workers(lines, most)
    cuts, size = [0], len(body)
    for k in range(1, n):
        at = body.find(b"\n", max(cuts[-1], size * k // n)) + 1
        if 0 < at < size:
            cuts.append(at)
    cuts.append(size)
    return [body[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]


def read_payload(files: list[Path]) -> Payload:
    """Read and check every file (before any store is touched)."""
    chunks: list[bytes] = []
    total = 0
    for path in map(Path, files):
        if not path.is_file():
            raise SpinekgError(f"{path}: no such file")
        if path.suffix.lower() == ".nt":
            chunk, count = _nt_file(path)
        else:
            lines = ntriples_lines(path)
            chunk, count = (b"\n".join(lines) + b"\n" if lines else b""), len(lines)
        chunks.append(chunk)
        total += count
    body = b"".join(chunks)
    return Payload(body, total, b"_:" in body)


def payload(files: list[Path]) -> tuple[bytes, int]:
    """N-Triples body of the triples of ``files``, and how many distinct triples it holds."""
    data = read_payload(files)
    return data.body, data.count


def _stale_and_missing(stored: list[bytes], data: Payload) -> tuple[list[bytes], list[bytes]] | None:
    """Lines of the store's N-Triples not in the input, and input lines not stored; None when blank nodes
    make lines unmatchable. ``stored``: one graph's triples in pieces, no line in two pieces."""
    if data.blank_nodes or any(b"_:" in piece for piece in stored):
        return None
    lines = [line for piece in stored for line in piece.split(b"\n") if line]
    if len(lines) == data.count and data.lines.issuperset(lines):
        return [], []  # the common reload, decided without building a set of the stored lines
    have = set(lines)
    return list(have - data.lines), list(data.lines - have)


def _workers(triples: int, most: int | None = None) -> int:
    """Parallel requests worth making for this many triples: at most ``most`` (default one per CPU, at
    most ``MAX_PARTS``), each for at least ``PART_MIN_TRIPLES``."""
    most = most or min(MAX_PARTS, os.cpu_count() or 1)
    return max(1, min(most, triples // PART_MIN_TRIPLES))
