"""Put the release (and case records) into a triple store, and prove the load is complete.

Two targets share one contract: the named graph is *replaced* (so loading twice never duplicates
triples), and afterwards the triples in that graph are counted through the store's own query engine and
compared with the number of distinct triples that were sent.

- an embedded on-disk Oxigraph store (``pyoxigraph``), which ``spinekg serve`` and ``spinekg query
  --store`` read;
- any SPARQL 1.1 Graph Store HTTP Protocol server: ``PUT {endpoint}?graph=IRI``, then ``SELECT (COUNT(*)
  ...)`` over the SPARQL 1.1 Protocol. Credentials come only from ``SPINEKG_STORE_USER`` /
  ``SPINEKG_STORE_PASSWORD`` (basic or digest, as the server asks), never from the command line.

N-Triples input is taken line by line (the release and generated case files are canonical N-Triples, one
triple per line, so distinct lines are distinct triples); other formats are parsed with pyoxigraph.

Fast replacement (the embedded store always; a server with ``bulk=True``). Oxigraph's bulk loader writes
a million triples in seconds, but deleting goes through a transaction at ~20-40 us per triple, so a
replacement deletes only what has to go:

- empty graph (first load): bulk-load, nothing to delete (a COUNT tells);
- otherwise read the graph back as N-Triples (cheaper than loading it again: nothing is written), delete
  the stale lines in small ``DELETE DATA`` batches and bulk-load the missing ones. Reloading the same
  data writes nothing. Stale triples are deleted before missing ones are added, so a triple spelled
  differently in the input (``"x"^^xsd:string`` for ``"x"``) is deleted and re-added, never lost;
- blank nodes (the bulk loader renames them on every load, so lines cannot be matched), or no update
  endpoint to delete with: clear the graph, then bulk-load.

Large inputs are cut at line boundaries into a few parts loaded in parallel, and a server reads a large
graph back in parallel slices (Oxigraph builds and decodes in one thread per request). None of this is
atomic: a reader may see the graph mid-load. When the store rejects the input half way, the graph is
emptied and the error says so.
"""
from __future__ import annotations

import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from ..errors import EXIT_BAD_INPUT, EXIT_FINDINGS, SpinekgError
from ..namespaces import SPINEKG
from .payload import MAX_PARTS, Payload, _cut, _stale_and_missing

DEFAULT_GRAPH = SPINEKG + "graph"
DELETE_BATCH = 20_000  # triples per DELETE DATA request: small transactions delete ~2x faster per triple


@dataclass
class LoadReport:
    """What was loaded where, and the count that proves it."""

    target: str
    graph: str
    sent: int  # distinct triples sent
    counted: int  # triples the store reports in the graph afterwards
    seconds: float
    method: str = "put"  # put | first load | diff | full replace
    phases: dict[str, float] = field(default_factory=dict)  # seconds per step, for benchmarks
    removed: int = 0  # stale triples deleted (diff)
    added: int = 0  # triples bulk-loaded after the diff (diff)
    derived: int = 0  # derived case-verdict triples among those sent (spinekg.loader)

    @property
    def complete(self) -> bool:
        return self.sent == self.counted

    def summary(self) -> str:
        return (f"loaded {self.counted} triples into graph <{self.graph}> at {self.target} "
                f"in {self.seconds:.2f} s (sent {self.sent}; count matches)")


class _Clock:
    """Seconds spent per named step (summed when a step repeats)."""

    def __init__(self) -> None:
        self.phases: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.phases[name] = self.phases.get(name, 0.0) + time.perf_counter() - start


def _delete_data(graph: str, lines: list[bytes]) -> bytes:
    """One SPARQL ``DELETE DATA`` update (N-Triples lines written by Oxigraph are valid SPARQL triples;
    blank nodes never get here)."""
    return f"DELETE DATA {{ GRAPH <{graph}> {{\n".encode() + b"\n".join(lines) + b"\n} }"


def _slice_query(graph: str, offset: int, limit: int) -> str:
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} OFFSET {offset} LIMIT {limit}"


def _parallel(calls: list[Callable[[], object]], workers: int | None = None) -> list[object]:
    """Run the calls in threads (they wait on sockets or on Rust code that releases the GIL), at most
    ``workers`` at a time (default: all), and return their results; the first error is raised once all
    have finished."""
    if len(calls) == 1:
        return [calls[0]()]
    with ThreadPoolExecutor(max_workers=min(len(calls), workers or len(calls))) as pool:
        futures = [pool.submit(call) for call in calls]
    return [future.result() for future in futures]


def _bulk_all(bulk: Callable[[bytes], object], parts: list[bytes]) -> None:
    _parallel([lambda part=part: bulk(part) for part in parts])


def _bulk_pieces(bulk: Callable[[bytes], object], pieces: list[Callable[[], bytes]]) -> None:
    """Bulk-load pieces made on demand, one stream per core plus one (the first piece may be Python
    work, such as deriving verdicts, that runs while the others load)."""
    def load(piece: Callable[[], bytes]) -> None:
        body = piece()
        if body:
            bulk(body)

    _parallel([lambda piece=piece: load(piece) for piece in pieces], min(MAX_PARTS, os.cpu_count() or 1) + 1)


def _bulk_payload(store: "_Store", data: Payload) -> None:
    if store.pieces:
        _bulk_pieces(store.bulk, data.pieces())
    else:
        _bulk_all(store.bulk, data.parts())
    data.resolve()


@dataclass
class _Store:
    """How ``_replace`` reaches one graph of a store (embedded or over HTTP)."""

    count: Callable[[], int]
    bulk: Callable[[bytes], object]  # add N-Triples with the bulk loader
    dump: Callable[[int], list[bytes]]  # all stored triples as N-Triples, in pieces (given their count)
    delete: Callable[[list[bytes]], object] | None  # delete these N-Triples lines (None: cannot)
    clear: Callable[[], object]
    pieces: bool = False  # bulk-load in pieces made on demand (Payload.pieces), not in parallel parts


def _replace(data: Payload, store: _Store, clock: _Clock) -> tuple[str, int, int]:
    """Make the graph hold exactly ``data`` (see the module docstring). Returns (method, triples removed,
    triples added)."""
    with clock.phase("count before"):
        before = store.count()
    if before == 0:
        with clock.phase("bulk load"):
            _bulk_payload(store, data)
        return "first load", 0, data.total
    diff = None
    if store.delete is not None and not data.blank_nodes:
        with clock.phase("read back"):
            stored = store.dump(before)
        with clock.phase("compare"):
            diff = _stale_and_missing(stored, data)
        del stored
    if diff is None:
        with clock.phase("clear"):
            store.clear()
        with clock.phase("bulk load"):
            _bulk_payload(store, data)
        return "full replace", before, data.total
    stale, missing = diff
    if stale:
        delete = store.delete
        assert delete is not None  # a diff is only taken when the store can delete lines
        batches = [stale[i:i + DELETE_BATCH] for i in range(0, len(stale), DELETE_BATCH)]
        with clock.phase("delete stale"):  # two streams of small transactions
            _parallel([lambda group=group: [delete(batch) for batch in group]
                       for group in (batches[0::2], batches[1::2]) if group])
    if missing:
        with clock.phase("bulk load"):
            _bulk_all(store.bulk, _cut(b"\n".join(missing) + b"\n", len(missing)))
    return "diff", len(stale), len(missing)


# ---- embedded Oxigraph ----------------------------------------------------------------------------

def _count_query(graph: str) -> str:
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def _check(report: LoadReport) -> None:
    if not report.complete:
        raise SpinekgError(f"load incomplete: sent {report.sent} distinct triples, but graph <{report.graph}> at "
                           f"{report.target} holds {report.counted}", EXIT_FINDINGS)


def check_graph_iri(graph: str) -> str:
    parts = urllib.parse.urlsplit(graph)
    if not parts.scheme or any(c in graph for c in ' <>"{}|^`\\'):
        raise SpinekgError(f"--graph {graph!r} is not an absolute IRI", EXIT_BAD_INPUT)
    return graph
