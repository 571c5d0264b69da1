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

import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, EXIT_FINDINGS, SpinekgError
from .namespaces import SPINEKG

DEFAULT_GRAPH = SPINEKG + "graph"
USER_VAR, PASSWORD_VAR = "SPINEKG_STORE_USER", "SPINEKG_STORE_PASSWORD"
STORE_VAR = "SPINEKG_STORE"
HTTP_TIMEOUT = 300
PART_MIN_TRIPLES = 100_000  # below this, one bulk-load request (splitting costs more than it saves)
MAX_PARTS = 4
DELETE_BATCH = 20_000  # triples per DELETE DATA request: small transactions delete ~2x faster per triple
N_TRIPLES_TYPE = "application/n-triples"


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


# ---- where things are ------------------------------------------------------------------------------

def default_store_dir() -> Path:
    """``$SPINEKG_STORE``, else ``$XDG_DATA_HOME/spinekg/store`` (``~/.local/share/spinekg/store``)."""
    if os.environ.get(STORE_VAR):
        return Path(os.environ[STORE_VAR])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "spinekg" / "store"


def release_file(name: str = "spinekg-edges.nt") -> Path:
    """A file of the shipped release set (the query-ready graph by default)."""
    from .release import RELEASE_DIR

    path = RELEASE_DIR / name
    if not path.is_file():
        raise SpinekgError(f"release file {path} is missing; run 'spinekg build'", EXIT_ENVIRONMENT)
    return path


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
    ox = _pyoxigraph()
    try:
        return [f"{triple} .".encode() for triple in ox.parse(path=str(path), format=_rdf_format(path))]
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

    @property
    def lines(self) -> set[bytes]:
        if self._lines is None:
            self._lines = set(self.body.split(b"\n"))
            self._lines.discard(b"")
        return self._lines

    @property
    def count(self) -> int:
        """Distinct triple lines."""
        return len(self.lines)

    def sent(self, counted: int, into_empty: bool) -> int:
        """Distinct lines sent, for the count check. Into an empty graph, a count equal to ``total`` proves
        every line distinct and stored, without collecting the lines."""
        return self.total if into_empty and counted == self.total else self.count

    def parts(self) -> list[bytes]:
        """The body in parts to bulk-load in parallel (one part when it holds blank nodes)."""
        return [self.body] if self.blank_nodes else _cut(self.body, self.total)


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


def _delete_data(graph: str, lines: list[bytes]) -> bytes:
    """One SPARQL ``DELETE DATA`` update (N-Triples lines written by Oxigraph are valid SPARQL triples;
    blank nodes never get here)."""
    return f"DELETE DATA {{ GRAPH <{graph}> {{\n".encode() + b"\n".join(lines) + b"\n} }"


def _slice_query(graph: str, offset: int, limit: int) -> str:
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} OFFSET {offset} LIMIT {limit}"


def _parallel(calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls in threads (they wait on sockets or on Rust code that releases the GIL) and return
    their results; the first error is raised once all have finished."""
    if len(calls) == 1:
        return [calls[0]()]
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(call) for call in calls]
    return [future.result() for future in futures]


def _bulk_all(bulk: Callable[[bytes], object], parts: list[bytes]) -> None:
    _parallel([lambda part=part: bulk(part) for part in parts])


def _workers(triples: int, most: int | None = None) -> int:
    """Parallel requests worth making for this many triples: at most ``most`` (default one per CPU, at
    most ``MAX_PARTS``), each for at least ``PART_MIN_TRIPLES``."""
    most = most or min(MAX_PARTS, os.cpu_count() or 1)
    return max(1, min(most, triples // PART_MIN_TRIPLES))


@dataclass
class _Store:
    """How ``_replace`` reaches one graph of a store (embedded or over HTTP)."""

    count: Callable[[], int]
    bulk: Callable[[bytes], object]  # add N-Triples with the bulk loader
    dump: Callable[[int], list[bytes]]  # all stored triples as N-Triples, in pieces (given their count)
    delete: Callable[[list[bytes]], object] | None  # delete these N-Triples lines (None: cannot)
    clear: Callable[[], object]


def _replace(data: Payload, store: _Store, clock: _Clock) -> tuple[str, int, int]:
    """Make the graph hold exactly ``data`` (see the module docstring). Returns (method, triples removed,
    triples added)."""
    with clock.phase("count before"):
        before = store.count()
    if before == 0:
        with clock.phase("bulk load"):
            _bulk_all(store.bulk, data.parts())
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
            _bulk_all(store.bulk, data.parts())
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


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


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
        clear=lambda: store.clear_graph(target))


def load_embedded(directory: Path, files: list[Path], graph: str = DEFAULT_GRAPH,
                  after_load: Callable[[Any], int] | None = None) -> LoadReport:
    """Replace ``graph`` in the on-disk store at ``directory`` with the triples of ``files``.

    ``after_load(store)``: adds triples to the graph once the files are in (derived case verdicts for
    blank-node cases, which only the store can name) and returns how many; the count check includes them."""
    clock = _Clock()
    start = time.perf_counter()
    with clock.phase("read input"):
        data = read_payload(files)  # read and check every file before the store is touched
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
    from .sparql import OxigraphEngine

    return OxigraphEngine(store=_UnionView(open_store(directory, read_only=True)))


# ---- SPARQL 1.1 Graph Store Protocol ----------------------------------------------------------------

def _opener(url: str) -> urllib.request.OpenerDirector:
    """An opener that answers basic or digest challenges with the credentials from the environment."""
    handlers: list[urllib.request.BaseHandler] = []
    user, password = os.environ.get(USER_VAR), os.environ.get(PASSWORD_VAR)
    if user is not None:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, user, password or "")
        handlers += [urllib.request.HTTPBasicAuthHandler(manager), urllib.request.HTTPDigestAuthHandler(manager)]
    return urllib.request.build_opener(*handlers)


def _request(url: str, method: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> bytes:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with _opener(url).open(request, timeout=HTTP_TIMEOUT) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        detail = " ".join(exc.read(300).decode("utf-8", "replace").split())[:200]
        hint = f" (set {USER_VAR} and {PASSWORD_VAR})" if exc.code in (401, 403) else ""
        raise SpinekgError(f"{method} {_safe(url)}: HTTP {exc.code} {exc.reason}{hint}" + (f": {detail}" if detail else ""),
                           EXIT_ENVIRONMENT) from None
    except urllib.error.URLError as exc:
        raise SpinekgError(f"{method} {_safe(url)}: cannot connect ({exc.reason})", EXIT_ENVIRONMENT) from None
    except (TimeoutError, ConnectionError) as exc:
        raise SpinekgError(f"{method} {_safe(url)}: {type(exc).__name__}: {exc}", EXIT_ENVIRONMENT) from None


def _safe(url: str) -> str:
    """The URL without any user:password part (never echo credentials)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _with_graph(url: str, graph: str) -> str:
    separator = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{separator}{urllib.parse.urlencode({'graph': graph})}"


def _beside(store_url: str, name: str) -> str | None:
    """The endpoint ``name`` beside a Graph Store endpoint (Oxigraph ``/store``, Fuseki ``/data``)."""
    parts = urllib.parse.urlsplit(store_url)
    path = parts.path.rstrip("/")
    for suffix in ("/store", "/data"):
        if path.endswith(suffix):
            return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path[: -len(suffix)] + "/" + name, "", ""))
    return None


def query_endpoint_for(store_url: str) -> str:
    """Guess the SPARQL query endpoint beside a Graph Store endpoint: ``/store`` -> ``/query`` (Oxigraph),
    ``/data`` -> ``/query`` (Fuseki); otherwise the same URL."""
    return _beside(store_url, "query") or store_url


def update_endpoint_for(store_url: str) -> str | None:
    """The SPARQL update endpoint beside a Graph Store endpoint (``/store`` or ``/data`` -> ``/update``), or
    None when it cannot be guessed (a bulk reload then clears the graph instead of deleting stale triples)."""
    return _beside(store_url, "update")


def check_url(url: str, what: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SpinekgError(f"{what} {url!r} is not an http(s) URL")
    if parts.username or parts.password:
        raise SpinekgError(f"{what}: do not put credentials in the URL; set {USER_VAR} and {PASSWORD_VAR}")
    return url


def sparql_select(query_url: str, query: str) -> dict:  # type: ignore[type-arg]
    """Run a SELECT over the SPARQL 1.1 Protocol (POST, form-encoded) and return the JSON results."""
    body = urllib.parse.urlencode({"query": query}).encode()
    raw = _request(query_url, "POST", body, {"Content-Type": "application/x-www-form-urlencoded",
                                             "Accept": "application/sparql-results+json"})
    try:
        return json.loads(raw)
    except ValueError:
        raise SpinekgError(f"{_safe(query_url)}: the answer is not SPARQL JSON results", EXIT_ENVIRONMENT) from None


def count_over_protocol(query_url: str, graph: str) -> int:
    bindings = sparql_select(query_url, _count_query(graph))["results"]["bindings"]
    return int(bindings[0]["n"]["value"]) if bindings else 0


def load_endpoint(store_url: str, files: list[Path], graph: str, query_url: str | None = None,
                  bulk: bool = False) -> LoadReport:
    """PUT the triples of ``files`` as graph ``graph`` (replacing it), then count them over SPARQL.

    ``bulk``: replace with Oxigraph's non-transactional bulk loader (``POST ?no_transaction``; other
    Graph Store servers ignore the flag and merge) and delete only stale triples (``DELETE DATA`` on the
    update endpoint beside the store), as described in the module docstring -- seconds instead of
    minutes for a million triples, but not atomic. The count check still proves the end state.
    """
    check_url(store_url, "--endpoint")
    query_url = check_url(query_url or query_endpoint_for(store_url), "--query-endpoint")
    clock = _Clock()
    start = time.perf_counter()
    with clock.phase("read input"):
        data = read_payload(files)
    target = _with_graph(store_url, graph)
    method, removed, added = "put", 0, 0
    if bulk:
        update_url = update_endpoint_for(store_url)
        update_headers = {"Content-Type": "application/sparql-update"}

        def construct(text: str) -> bytes:
            body = urllib.parse.urlencode({"query": text}).encode()
            return _request(query_url, "POST", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                      "Accept": N_TRIPLES_TYPE})

        def dump(count: int) -> list[bytes]:
            """The graph read back in parallel slices (CONSTRUCT ... OFFSET/LIMIT); one GET when the slices
            do not add up to ``count`` distinct lines (another writer, or a server without a stable order)."""
            n = _workers(count)
            size = -(-count // n)
            pieces = _parallel([lambda k=k: construct(_slice_query(graph, k * size, size)) for k in range(n)])
            if n > 1 and len({line for piece in pieces for line in piece.split(b"\n")} - {b""}) != count:
                pieces = [_request(target, "GET", None, {"Accept": N_TRIPLES_TYPE})]
            return pieces  # type: ignore[return-value]

        access = _Store(
            count=lambda: count_over_protocol(query_url, graph),
            bulk=lambda body: _send_data(target + "&no_transaction", "POST", body),
            dump=dump,
            delete=None if update_url is None else
            lambda lines: _request(update_url, "POST", _delete_data(graph, lines), update_headers),
            clear=lambda: _request(target, "DELETE"))
        try:
            method, removed, added = _replace(data, access, clock)
        except SpinekgError as exc:
            if exc.exit_code == EXIT_BAD_INPUT:  # the server rejected the input half way
                exc.message += _empty_after_failure(target, query_url, graph)
            raise
    else:
        with clock.phase("put"):
            _send_data(target, "PUT", data.body)
    with clock.phase("count"):
        counted = count_over_protocol(query_url, graph)
    sent = data.sent(counted, into_empty=method in ("first load", "full replace"))
    report = LoadReport(_safe(store_url), graph, sent, counted, time.perf_counter() - start, method,
                        clock.phases, removed, added)
    _check(report)
    return report


def _send_data(url: str, method: str, body: bytes) -> None:
    """Send N-Triples; the server refusing them (HTTP 400) is bad input, not a broken environment."""
    try:
        _request(url, method, body, {"Content-Type": N_TRIPLES_TYPE})
    except SpinekgError as exc:
        if " HTTP 400 " in f" {exc.message} ":
            exc.exit_code = EXIT_BAD_INPUT
        raise


def _empty_after_failure(target: str, query_url: str, graph: str) -> str:
    """Leave an empty graph rather than a mix of old and new triples; say which it is."""
    try:
        if count_over_protocol(query_url, graph):
            _request(target, "DELETE")
        return f" (graph <{graph}> was left empty)"
    except SpinekgError:
        return f" (graph <{graph}> may hold part of the load)"


def _check(report: LoadReport) -> None:
    if not report.complete:
        raise SpinekgError(f"load incomplete: sent {report.sent} distinct triples, but graph <{report.graph}> at "
                           f"{report.target} holds {report.counted}", EXIT_FINDINGS)


def check_graph_iri(graph: str) -> str:
    parts = urllib.parse.urlsplit(graph)
    if not parts.scheme or any(c in graph for c in ' <>"{}|^`\\'):
        raise SpinekgError(f"--graph {graph!r} is not an absolute IRI", EXIT_BAD_INPUT)
    return graph
