"""The embedded on-disk Oxigraph store: open it, replace a named graph with the bulk loader, and query
it read-only with every named graph as the default graph."""
from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import EXIT_ENVIRONMENT, SpinekgError
from .payload import Payload, _pyoxigraph, read_payload
from .replace import DEFAULT_GRAPH, LoadReport, _Clock, _Store, _check, _count_query, _delete_data, _one_line, _replace
STORE_VAR = "SPINEKG_STORE"


# ---- where things are ------------------------------------------------------------------------------

def default_store_dir() -> Path:
    """``$SPINEKG_STORE``, else ``$XDG_DATA_HOME/spinekg/store`` (``~/.local/share/spinekg/store``)."""
    if os.environ.get(STORE_VAR):
        return Path(os.environ[STORE_VAR])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "spinekg" / "store"


def release_file(name: str = "spinekg-edges.nt") -> Path:
    """A file of the shipped release set (the query-ready graph by default)."""
    from ..paths import DATA_DIR  # build.release's RELEASE_DIR, without importing the build (0.4 s)

    path = DATA_DIR / "release" / name
    if not path.is_file():
        raise SpinekgError(f"release file {path} is missing; run 'spinekg build'", EXIT_ENVIRONMENT)
    return path


def open_store(directory: Path, read_only: bool = False):  # type: ignore[no-untyped-def]
    """Open an on-disk store with a one-line error when it is missing or locked by another process."""
    ox = _pyoxigraph()
    directory = Path(directory)
    if read_only and not (directory / "CURRENT").is_file():
        raise SpinekgError(f"{directory}: no Oxigraph store here; create one with 'spinekg load --store {directory}'")
    try:
        return ox.Store.read_only(str(directory)) if read_only else ox.Store(str(directory))
    except OSError as exc:
        detail = " ".join(str(exc).split())[:200]
        raise SpinekgError(f"{directory}: cannot open the Oxigraph store ({detail}); is another process using it?",
                           EXIT_ENVIRONMENT) from None


def graph_is_empty(directory: Path, graph: str) -> bool:
    """True when there is no store at ``directory`` yet or ``graph`` holds nothing in it (a first load)."""
    if not (Path(directory) / "CURRENT").is_file():
        return True
    store = open_store(directory)
    try:
        return _embedded_access(store, graph).count() == 0
    finally:
        del store  # closes the store (and its lock) before the load opens it again


def _embedded_access(store, graph: str) -> _Store:  # type: ignore[no-untyped-def]
    """``_replace``'s view of one graph of an open pyoxigraph store."""
    ox = _pyoxigraph()
    target = ox.NamedNode(graph)
    query = _count_query(graph)
    return _Store(
        count=lambda: int(next(iter(store.query(query)))["n"].value),
        bulk=lambda body: store.bulk_load(body, format=ox.RdfFormat.N_TRIPLES, to_graph=target),
        dump=lambda count: [store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=target)],
        delete=lambda lines: store.update(_delete_data(graph, lines).decode()),
        clear=lambda: store.clear_graph(target), pieces=True)


def load_embedded(directory: Path, files: list[Path], graph: str = DEFAULT_GRAPH,
                  after_load: Callable[[Any], int] | None = None,
                  before_load: Callable[[Payload], Payload] | None = None) -> LoadReport:
    """Replace ``graph`` in the on-disk store at ``directory`` with the triples of ``files``.

    ``before_load(payload)``: the payload to send instead (the files' plus derived case verdicts, read
    from the bytes already in memory, so they go into the same bulk load). ``after_load(store)``: adds
    triples to the graph once the files are in (derived case verdicts for blank-node cases, which only
    the store can name) and returns how many; the count check includes them."""
    clock = _Clock()
    start = time.perf_counter()
    with clock.phase("read input"):
        data = read_payload(files)  # read and check every file before the store is touched
    if before_load is not None:
        with clock.phase("derive"):
            data = before_load(data)
    store = open_store(directory)
    access = _embedded_access(store, graph)
    try:
        try:
            method, removed, added = _replace(data, access, clock)
        except SyntaxError as exc:  # the store rejected the input half way: leave an empty graph, not a mix
            access.clear()
            raise SpinekgError(f"input is not valid N-Triples: {_one_line(exc)} (graph <{graph}> was left empty)") from None
        except OSError as exc:
            raise SpinekgError(f"{directory}: the Oxigraph store failed: {_one_line(exc)}", EXIT_ENVIRONMENT) from None
        extra = 0
        if after_load is not None:
            with clock.phase("after load"):
                extra = after_load(store)
        store.flush()
        with clock.phase("count"):
            counted = access.count()
    finally:
        del access, store  # closes the store (and its lock) now, not at garbage collection
    sent = data.sent(counted - extra, into_empty=method in ("first load", "full replace")) + extra
    report = LoadReport(str(directory), graph, sent, counted, time.perf_counter() - start, method,
                        clock.phases, removed, added)
    _check(report)
    return report


class _UnionView:
    """A store whose queries see every named graph as the default graph (what ``load`` fills)."""

    def __init__(self, store) -> None:  # type: ignore[no-untyped-def]
        self._store = store

    def query(self, text: str, **options):  # type: ignore[no-untyped-def]
        options.setdefault("use_default_graph_as_union", True)
        return self._store.query(text, **options)


def store_engine(directory: Path):  # type: ignore[no-untyped-def]
    """A :class:`spinekg.sparql.OxigraphEngine` over an on-disk store (read-only), for ``spinekg query``."""
    from ..sparql.engines import OxigraphEngine

    return OxigraphEngine(store=_UnionView(open_store(directory, read_only=True)))
