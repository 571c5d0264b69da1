"""Load into any SPARQL 1.1 Graph Store HTTP Protocol server (PUT, or Oxigraph's bulk POST), then
count the graph through the server's SPARQL endpoint. Credentials come only from the environment."""
from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from ..errors import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, SpinekgError
from .payload import N_TRIPLES_TYPE, _workers, read_payload
from .replace import LoadReport, _Clock, _Store, _check, _count_query, _delete_data, _parallel, _replace, _slice_query
USER_VAR, PASSWORD_VAR = "SPINEKG_STORE_USER", "SPINEKG_STORE_PASSWORD"
HTTP_TIMEOUT = 300


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
