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
"""
from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .errors import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, EXIT_FINDINGS, SpinekgError
from .namespaces import SPINEKG

DEFAULT_GRAPH = SPINEKG + "graph"
USER_VAR, PASSWORD_VAR = "SPINEKG_STORE_USER", "SPINEKG_STORE_PASSWORD"
STORE_VAR = "SPINEKG_STORE"
HTTP_TIMEOUT = 300


@dataclass
class LoadReport:
    """What was loaded where, and the count that proves it."""

    target: str
    graph: str
    sent: int  # distinct triples sent
    counted: int  # triples the store reports in the graph afterwards
    seconds: float

    @property
    def complete(self) -> bool:
        return self.sent == self.counted

    def summary(self) -> str:
        return (f"loaded {self.counted} triples into graph <{self.graph}> at {self.target} "
                f"in {self.seconds:.2f} s (sent {self.sent}; count matches)")


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


def ntriples_lines(path: Path) -> list[bytes]:
    """The triples of one file as N-Triples lines (no trailing newline)."""
    path = Path(path)
    if not path.is_file():
        raise SpinekgError(f"{path}: no such file")
    if path.suffix.lower() == ".nt":
        lines = []
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                line = raw.strip()
                if not line or line.startswith(b"#"):
                    continue
                if not line.endswith(b"."):
                    raise SpinekgError(f"{path}:{number}: not an N-Triples line (no final '.')")
                lines.append(line)
        return lines
    ox = _pyoxigraph()
    try:
        return [f"{triple} .".encode() for triple in ox.parse(path=str(path), format=_rdf_format(path))]
    except SyntaxError as exc:
        raise SpinekgError(f"{path}: cannot parse as RDF: {' '.join(str(exc).split())[:300]}") from None
    except OSError as exc:
        raise SpinekgError(f"{path}: cannot read: {' '.join(str(exc).split())[:300]}") from None


def payload(files: list[Path]) -> tuple[bytes, int]:
    """N-Triples body of the distinct triples of ``files`` (in order of first appearance), and its size."""
    seen: dict[bytes, None] = {}
    for path in files:
        for line in ntriples_lines(Path(path)):
            seen[line] = None
    return b"\n".join(seen) + b"\n", len(seen)


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


def load_embedded(directory: Path, files: list[Path], graph: str = DEFAULT_GRAPH) -> LoadReport:
    """Replace ``graph`` in the on-disk store at ``directory`` with the triples of ``files``."""
    ox = _pyoxigraph()
    start = time.perf_counter()
    body, sent = payload(files)  # read and check every file before the store is touched
    store = open_store(directory)
    try:
        target = ox.NamedNode(graph)
        store.clear_graph(target)
        try:
            store.bulk_load(body, format=ox.RdfFormat.N_TRIPLES, to_graph=target)
        except SyntaxError as exc:
            store.clear_graph(target)
            raise SpinekgError(f"input is not valid N-Triples: {' '.join(str(exc).split())[:300]}") from None
        store.flush()
        counted = int(next(iter(store.query(_count_query(graph))))["n"].value)
    finally:
        del store
    report = LoadReport(str(directory), graph, sent, counted, time.perf_counter() - start)
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


def query_endpoint_for(store_url: str) -> str:
    """Guess the SPARQL query endpoint beside a Graph Store endpoint: ``/store`` -> ``/query`` (Oxigraph),
    ``/data`` -> ``/query`` (Fuseki); otherwise the same URL."""
    parts = urllib.parse.urlsplit(store_url)
    path = parts.path.rstrip("/")
    for suffix in ("/store", "/data"):
        if path.endswith(suffix):
            return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path[: -len(suffix)] + "/query", "", ""))
    return store_url


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

    ``bulk`` (Oxigraph servers only): DELETE the graph if it holds anything, then POST with
    ``no_transaction`` -- Oxigraph's bulk loader, ~20x faster than a transactional PUT for a million
    triples, but not atomic (the count check still proves the end state).
    """
    check_url(store_url, "--endpoint")
    query_url = check_url(query_url or query_endpoint_for(store_url), "--query-endpoint")
    start = time.perf_counter()
    body, sent = payload(files)
    headers = {"Content-Type": "application/n-triples"}
    if bulk:
        if count_over_protocol(query_url, graph):
            _request(_with_graph(store_url, graph), "DELETE")
        _request(_with_graph(store_url, graph) + "&no_transaction", "POST", body, headers)
    else:
        _request(_with_graph(store_url, graph), "PUT", body, headers)
    counted = count_over_protocol(query_url, graph)
    report = LoadReport(_safe(store_url), graph, sent, counted, time.perf_counter() - start)
    _check(report)
    return report


def _check(report: LoadReport) -> None:
    if not report.complete:
        raise SpinekgError(f"load incomplete: sent {report.sent} distinct triples, but graph <{report.graph}> at "
                           f"{report.target} holds {report.counted}", EXIT_FINDINGS)


def check_graph_iri(graph: str) -> str:
    parts = urllib.parse.urlsplit(graph)
    if not parts.scheme or any(c in graph for c in ' <>"{}|^`\\'):
        raise SpinekgError(f"--graph {graph!r} is not an absolute IRI", EXIT_BAD_INPUT)
    return graph
