"""A read-only SPARQL 1.1 Protocol endpoint over an on-disk Oxigraph store, on 127.0.0.1 only.

Why not ``oxigraph serve``: Oxigraph evaluates ``SERVICE`` clauses by fetching remote endpoints, which
turns a local endpoint into an HTTP client for whoever can send it a query. Here ``SERVICE`` is refused
before evaluation, updates are refused, the store is opened read-only, and every query runs in a worker
process that is killed when it exceeds the timeout (a thread could not be stopped).

Protocol: ``GET /sparql?query=...``, ``POST /sparql`` with ``application/x-www-form-urlencoded`` or
``application/sparql-query``; ``default-graph-uri`` / ``named-graph-uri`` honoured; results as SPARQL
JSON/XML/CSV/TSV (or Turtle/N-Triples/RDF-XML for CONSTRUCT and DESCRIBE) by ``Accept``; a browser gets a
query form at ``/`` and HTML tables.
"""
from __future__ import annotations

import html
import json
import multiprocessing
import queue
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..errors import SpinekgError
from . import http_guard  # security: transport-level limits (Host, body, answer size, fairness, options)
from . import protocol

HOST = "127.0.0.1"
MAX_BODY = 1_000_000
RESULT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json", "application/sparql-results+xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv", "text/html": "html",
}
GRAPH_TYPES = protocol.GRAPH_TYPES  # web: RDF/XML, JSON-LD (spinekg.stores.protocol)
MEDIA_TYPE = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
              "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ntriples": "application/n-triples",
              "rdfxml": "application/rdf+xml", "html": "text/html", **protocol.EXTRA_MEDIA_TYPES}
EXAMPLE = """PREFIX spinekg: <https://w3id.org/spinekg/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?procedure ?label WHERE {
  ?procedure rdfs:subClassOf spinekg:BackSurgery ; rdfs:label ?label .
} ORDER BY ?label LIMIT 20"""


class QueryRefused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


# ---- what may run ----------------------------------------------------------------------------------

from ..sparql.policy import uses_service  # noqa: E402,F401 -- security hook: one SERVICE rule for CLI and endpoint


def _accepted(accept: str, table: dict[str, str]) -> list[str]:
    """Formats from ``table`` in the client's order of preference (q-values honoured)."""
    ranked = []
    for position, item in enumerate(accept.split(",")):
        media, *params = [part.strip() for part in item.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if q > 0 and media.lower() in table:
            ranked.append((-q, position, table[media.lower()]))
    return [fmt for _, _, fmt in sorted(ranked)]


# ---- worker processes ------------------------------------------------------------------------------

def _worker_main(store_dir: str, conn, max_answer: int = http_guard.MAX_ANSWER_BYTES,  # type: ignore[no-untyped-def]
                 max_rows: int = http_guard.MAX_ANSWER_ROWS) -> None:
    """Child process: open the store read-only and answer (query, formats, graphs) requests forever."""
    import pyoxigraph as ox

    store = ox.Store.read_only(store_dir)
    solutions = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                 "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
    graphs = protocol.graph_formats(ox)
    while True:
        try:
            text, result_formats, graph_formats, default_graphs, named_graphs = conn.recv()
        except EOFError:
            return
        out = None
        try:
            options = protocol.dataset_options(ox, text, default_graphs, named_graphs)  # FROM honoured
            result = store.query(text, **options)
            out = http_guard.BoundedBuffer(max_answer)  # security: the answer never grows past the limit
            if isinstance(result, ox.QueryTriples):
                fmt = next((f for f in graph_formats if f in graphs), "turtle")
                result.serialize(out, format=graphs[fmt])
            elif isinstance(result, ox.QueryBoolean):
                fmt = next((f for f in result_formats if f in solutions), "json")
                result.serialize(out, format=solutions[fmt])
            else:  # security: rows counted on TSV (one line per row), then re-serialized in Rust if asked
                fmt = next((f for f in result_formats if f in solutions), "json")
                out = http_guard.BoundedBuffer(max_answer, max_rows=max_rows)
                result.serialize(out, format=ox.QueryResultsFormat.TSV)
                if fmt != "tsv":
                    rows, out = out.getvalue(), http_guard.BoundedBuffer(max_answer)
                    ox.parse_query_results(rows, format=ox.QueryResultsFormat.TSV).serialize(out, format=solutions[fmt])
            conn.send((200, fmt, out.getvalue()))
        except http_guard.AnswerRefused as exc:
            conn.send((413, "text", str(exc).encode()))
        except SyntaxError as exc:
            conn.send((400, "text", f"query syntax error: {' '.join(str(exc).split())}".encode()))
        except Exception as exc:  # evaluation errors: one line back to the client
            if out is not None and out.refused is not None:  # security: raised inside the Rust serializer
                conn.send((413, "text", str(out.refused).encode()))
                continue
            conn.send((400, "text", f"query failed: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}".encode()))


class Worker:
    """One query process; replaced by a fresh one when a query runs past the timeout."""

    def __init__(self, store_dir: Path, max_answer: int = http_guard.MAX_ANSWER_BYTES, generation: int = 0,
                 max_rows: int = http_guard.MAX_ANSWER_ROWS):
        self.store_dir = store_dir
        self.max_answer, self.max_rows = max_answer, max_rows
        self.generation = generation
        self._start()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main,
                                       args=(str(self.store_dir), child, self.max_answer, self.max_rows),
                                       daemon=True)
        self.process.start()
        child.close()

    def reopen(self, generation: int) -> None:
        """security: a reload happened; serve the new store like every other process."""
        self.stop()
        self.generation = generation
        self._start()

    def run(self, job: tuple, timeout: float, gate: "http_guard.SlowGate | None" = None) -> tuple[int, str, bytes]:  # type: ignore[type-arg]
        self.conn.send(job)
        # security: a query still running after SLOW_AFTER takes a long-running slot or is stopped, so
        # runaway queries never hold every process while cheap ones wait
        quick = min(timeout, http_guard.SLOW_AFTER)
        if not self.conn.poll(quick) and gate is not None and timeout > quick:
            if not gate.enter():
                self.stop()
                self._start()
                raise QueryRefused(503, "too many long-running queries at once; this one was stopped, try again later")
            try:
                answered = self.conn.poll(timeout - quick)
            finally:
                gate.leave()
        else:
            answered = self.conn.poll(0 if gate is not None else timeout - quick)
        if not answered:
            self.stop()
            self._start()
            raise QueryRefused(503, f"query exceeded the {timeout:g} s timeout and was stopped")
        try:
            return self.conn.recv()
        except EOFError:
            self.stop()
            self._start()
            raise QueryRefused(500, "the query process died") from None

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


# ---- HTTP ------------------------------------------------------------------------------------------

class SparqlServer(http_guard.GuardedServerMixin, ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, store_dir: Path, port: int = 0, timeout: float = 10.0, workers: int = 4,
                 allowed_hosts: tuple[str, ...] = (), max_answer: int = http_guard.MAX_ANSWER_BYTES,
                 max_rows: int = http_guard.MAX_ANSWER_ROWS):
        self.store_dir = Path(store_dir)
        self.cors_origin: str | None = None  # web: opt-in --cors ORIGIN
        self.pages = None  # web: a callable(handler) -> bool that serves the page (spinekg.views.web)
        self.query_timeout = timeout
        self.allowed_hosts = tuple(allowed_hosts)
        self.pool: queue.Queue[Worker] = queue.Queue()
        self.gate = http_guard.SlowGate(workers)
        self.generation = http_guard.Generation(self.store_dir)
        super().__init__((HOST, port), Handler)
        for _ in range(max(1, workers)):
            self.pool.put(Worker(self.store_dir, max_answer, max_rows=max_rows))

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/sparql"

    def run_query(self, job: tuple) -> tuple[int, str, bytes]:  # type: ignore[type-arg]
        try:
            worker = self.pool.get(timeout=self.query_timeout)
        except queue.Empty:
            raise QueryRefused(503, "all query processes are busy; try again") from None
        try:
            generation = self.generation.current()
            if worker.generation != generation:
                worker.reopen(generation)
            return worker.run(job, self.query_timeout, self.gate)
        finally:
            self.pool.put(worker)

    def server_close(self) -> None:
        super().server_close()
        while not self.pool.empty():
            self.pool.get().stop()


class Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "spinekg-sparql/1"
    timeout = http_guard.READ_TIMEOUT  # security: an idle or slow connection is closed

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep the console quiet
        pass

    # -- request parsing
    def _params(self) -> dict[str, list[str]]:
        parts = urllib.parse.urlsplit(self.path)
        if parts.path not in ("/", "/sparql", "/query"):
            raise QueryRefused(404, f"no such resource {parts.path}; the endpoint is /sparql")
        params = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
        if self.command == "POST":
            body = http_guard.read_body(self, MAX_BODY).decode("utf-8", "replace")  # security
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if kind == "application/x-www-form-urlencoded":
                for key, values in urllib.parse.parse_qs(body, keep_blank_values=True).items():
                    params.setdefault(key, []).extend(values)
            elif kind == "application/sparql-query":
                params.setdefault("query", []).append(body)
            elif kind == "application/sparql-update":
                raise QueryRefused(403, "this endpoint is read-only: SPARQL Update is not allowed")
            else:
                raise QueryRefused(415, f"unsupported Content-Type {kind!r}")
        if "update" in params:
            raise QueryRefused(403, "this endpoint is read-only: SPARQL Update is not allowed")
        return params

    def _handle(self) -> None:
        try:
            try:  # security: DNS rebinding and lying bodies are refused before anything else
                http_guard.check_host(self.headers.get("Host"), self.server.server_address[1], self.server.allowed_hosts)
                if self.server.pages is not None and self.server.pages(self):  # web: the page and its JSON API
                    return
                params = self._params()
            except http_guard.Refused as refused:
                self.close_connection = True
                raise QueryRefused(refused.status, refused.message) from None
            queries = params.get("query", [])
            accept = self.headers.get("Accept") or ""
            if not queries:
                if "text/html" in accept or urllib.parse.urlsplit(self.path).path == "/":
                    self._send(200, "text/html", _form_page("").encode())
                    return
                if self.command == "POST":
                    raise QueryRefused(400, "missing 'query' parameter")
                self._send(200, *self._service_description(accept))  # web: GET /sparql describes the service
                return
            if len(queries) > 1:
                raise QueryRefused(400, "exactly one 'query' parameter is allowed")
            text = queries[0]
            if uses_service(text):
                raise QueryRefused(400, "SERVICE (federated query) is disabled on this endpoint")
            wanted = params.get("format", [""])[0].lower()
            result_formats = [wanted] if wanted in MEDIA_TYPE else _accepted(accept, RESULT_TYPES)
            graph_formats = protocol.wanted_graph_formats(wanted, _accepted(accept, GRAPH_TYPES))
            html_wanted = bool(result_formats) and result_formats[0] == "html"
            job = (text, ["json"] if html_wanted else result_formats, graph_formats,
                   params.get("default-graph-uri", []), params.get("named-graph-uri", []))
            status, fmt, body = self.server.run_query(job)
            if status != 200:
                raise QueryRefused(status, body.decode("utf-8", "replace"))
            if html_wanted and fmt == "json":
                self._send(200, "text/html", _form_page(text, json.loads(body)).encode())
            else:
                self._send(200, MEDIA_TYPE[fmt], body)
        except QueryRefused as refused:
            self._send(refused.status, "text/plain", (refused.message + "\n").encode())

    def do_GET(self) -> None:  # noqa: N802
        self._handle()

    def do_POST(self) -> None:  # noqa: N802
        self._handle()

    do_HEAD = do_GET  # noqa: N815 - web: _send leaves the body out

    def do_OPTIONS(self) -> None:  # noqa: N802 - web: what is allowed, and the CORS preflight
        self._send(204, "text/plain", b"", {"Allow": protocol.ALLOWED_METHODS,
                                            **protocol.cors_headers(self.server.cors_origin, preflight=True)})

    def _service_description(self, accept: str) -> tuple[str, bytes]:
        """web: the SPARQL service description, in the graph format the client accepts (Turtle)."""
        import pyoxigraph as ox

        status, _, body = self.server.run_query((protocol.GRAPH_LIST_QUERY, ["json"], [], [], []))
        if status != 200:
            raise QueryRefused(status, body.decode("utf-8", "replace"))
        graphs = [row["g"]["value"] for row in json.loads(body)["results"]["bindings"]]
        triples = protocol.service_description(self.server.url, graphs)
        fmt = next(iter(_accepted(accept, GRAPH_TYPES)), "turtle")
        graph = ox.parse(triples, format=ox.RdfFormat.N_TRIPLES)
        return MEDIA_TYPE[fmt], ox.serialize(graph, format=protocol.graph_formats(ox)[fmt])

    def _refuse_method(self) -> None:
        self._send(405, "text/plain", b"this endpoint is read-only: only GET and POST queries are allowed\n",
                   {"Allow": protocol.ALLOWED_METHODS})

    do_PUT = do_DELETE = do_PATCH = _refuse_method  # noqa: N815

    def _send(self, status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        charset = "; charset=utf-8" if content_type.startswith("text/") or "json" in content_type else ""
        self.send_header("Content-Type", content_type + charset)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        headers = {**protocol.cors_headers(self.server.cors_origin), **(headers or {})}  # web: --cors
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # security: the client left; nothing to report
                self.close_connection = True


def _form_page(query: str, results: dict | None = None) -> str:  # type: ignore[type-arg]
    """A minimal page: a query box and, after a query, the results as a table."""
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>spinekg SPARQL</title>",
             "<style>body{font-family:sans-serif;margin:2em}textarea{width:100%;font-family:monospace}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}</style>",
             "</head><body><h1>spinekg SPARQL endpoint (read-only)</h1>",
             "<form method='get' action='/sparql'><input type='hidden' name='format' value='html'>",
             f"<textarea name='query' rows='10'>{html.escape(query or EXAMPLE)}</textarea><br>",
             "<button type='submit'>Run query</button></form>"]
    if results is not None:
        if "boolean" in results:
            parts.append(f"<p>Answer: <b>{'true' if results['boolean'] else 'false'}</b></p>")
        else:
            variables = results["head"]["vars"]
            rows = results["results"]["bindings"]
            parts.append(f"<p>{len(rows)} row(s)</p><table><tr>" + "".join(f"<th>{html.escape(v)}</th>" for v in variables) + "</tr>")
            for row in rows:
                parts.append("<tr>" + "".join(f"<td>{html.escape(row.get(v, {}).get('value', ''))}</td>" for v in variables) + "</tr>")
            parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def make_server(store_dir: Path, port: int = 0, timeout: float = 10.0, workers: int = 4,
                allowed_hosts: tuple[str, ...] = (), max_answer: int = http_guard.MAX_ANSWER_BYTES,
                cors: str | None = None, max_rows: int = http_guard.MAX_ANSWER_ROWS) -> SparqlServer:
    """A server bound to 127.0.0.1 (port 0: a free port); raises a one-line error when it cannot start.
    ``cors``: the one origin (or ``*``) whose pages may read the answers (off by default)."""
    from .embedded import open_store

    http_guard.check_options(port, timeout, workers)  # security: before the store is touched
    for flag, value in (("--max-answer-bytes", max_answer), ("--max-answer-rows", max_rows)):
        if value < 1:
            raise SpinekgError(f"{flag} must be at least 1 (got {value})")
    cors = protocol.check_cors_origin(cors)  # web

    probe = open_store(Path(store_dir), read_only=True)  # fail early, in this process, with a clear message
    del probe
    if timeout <= 0:
        raise SpinekgError("--timeout must be positive")
    try:
        server = SparqlServer(Path(store_dir), port, timeout, workers, allowed_hosts, max_answer, max_rows)
    except OSError as exc:
        raise SpinekgError(f"cannot listen on {HOST}:{port}: {exc.strerror}", 3) from None
    server.cors_origin = cors
    return server


def serve_in_thread(server: SparqlServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread
