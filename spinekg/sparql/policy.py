"""What a SPARQL query may do, for every engine and entry point (``spinekg query``, the endpoint).

Why: both engines dereference IRIs named by a query. Oxigraph and rdflib evaluate ``SERVICE <iri>`` by
sending an HTTP request (rdflib also opens ``file:`` IRIs), and rdflib loads ``FROM <iri>`` graphs from
the web or the disk. A query file handed to spinekg must not turn it into a client of anyone's server,
so SERVICE is refused unless explicitly allowed, FROM never loads anything, and a query runs in a
child process that is stopped at the ``query-seconds`` limit (the Rust evaluator cannot be interrupted
from inside the process).
"""
from __future__ import annotations

import os
import re
from typing import Callable, TypeVar

from ..errors import SpinekgError
from ..rdf import limits

T = TypeVar("T")
_STRIP = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*', re.S)
_SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w:])", re.I)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(query: str) -> str:
    """SPARQL codepoint escapes (``\\u0053ERVICE``) are applied before parsing: apply them here too."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if int(m.group(1) or m.group(2), 16)
                       < 0x110000 else m.group(0), query)


def uses_service(query: str) -> bool:
    """Whether the query has a SERVICE clause (keywords outside strings, IRIs and comments)."""
    return bool(_SERVICE.search(_STRIP.sub(" ", _unescape(query))))


def check_query(text: str, allow_service: bool = False, where: str = "query") -> None:
    """Refuse a query past the ``query-bytes`` limit, and SERVICE unless ``allow_service``."""
    size = len(text.encode("utf-8", "replace"))
    if size > limits.get("query-bytes"):
        raise limits.exceeded(where, "query-bytes", f"the query text ({size} bytes)")
    if not allow_service and uses_service(text):
        raise SpinekgError(f"{where}: SERVICE (federated query) is refused: spinekg never sends queries to "
                           f"other endpoints (use --allow-service to permit it)")


def no_graph_loading() -> None:
    """rdflib loads ``FROM``/``FROM NAMED`` graphs by dereferencing their IRIs: switch that off."""
    import rdflib.plugins.sparql as rdflib_sparql

    rdflib_sparql.SPARQL_LOAD_GRAPHS = False


def run_bounded(job: Callable[[], T], seconds: float | None = None) -> T:
    """``job()`` in a forked child stopped after ``seconds`` (default: the ``query-seconds`` limit; 0: no
    limit, run here). The answer comes back pickled; an error keeps its one line and exit code."""
    import multiprocessing
    import pickle

    seconds = limits.get("query-seconds") if seconds is None else seconds
    if not seconds or not hasattr(os, "fork"):
        return job()
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)

    def child() -> None:
        try:
            writer.send_bytes(pickle.dumps(("ok", job())))
        except SpinekgError as exc:
            writer.send_bytes(pickle.dumps(("error", (exc.message, exc.exit_code))))
        except BaseException as exc:  # noqa: BLE001 - reported as one line by the parent
            writer.send_bytes(pickle.dumps(("error", (f"query failed: {type(exc).__name__}: "
                                                      f"{' '.join(str(exc).split())[:200]}", 4))))

    process = context.Process(target=child, daemon=True)
    process.start()
    writer.close()
    try:
        if not reader.poll(seconds):
            raise SpinekgError(f"query: stopped after {seconds:g} s, the query-seconds limit (raise it with "
                               f"'spinekg --limit query-seconds=N'; 0 for no limit)")
        try:
            kind, value = pickle.loads(reader.recv_bytes())
        except EOFError:
            raise SpinekgError("the query process died (out of memory?)", 4) from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        reader.close()
    if kind == "error":
        raise SpinekgError(value[0], value[1])
    return value


def check_rows(count: int, where: str = "query") -> None:
    if count > limits.get("query-rows"):
        raise limits.exceeded(where, "query-rows", f"the answer ({count} rows)")
