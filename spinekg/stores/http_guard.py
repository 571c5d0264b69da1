"""Transport-level hardening of the read-only SPARQL endpoint (``spinekg serve``), kept apart from the
protocol code in :mod:`spinekg.stores.endpoint` so each can change without the other.

What it guards against, all seen from a hostile browser or client on the same machine: a request body
past the limit announced with a lying ``Content-Length`` (negative, several values) or sent chunked; DNS
rebinding (a web page on another name reaching 127.0.0.1: the ``Host`` must be the bound address or an
``--allow-host``); answers too big to hold; idle or slow connections each holding a thread; a flood of
connections; runaway queries occupying every query process; and tracebacks on stderr when a client
goes away. Limits are documented in the README ("Security").
"""
from __future__ import annotations

import math
import os
import re
import threading
import time
from pathlib import Path

from ..errors import SpinekgError

MAX_BODY = 1_000_000  # bytes of a request body (a query); 413 above
MAX_ANSWER_ROWS = 1_000_000  # as 'spinekg query' (limit query-rows)
MAX_ANSWER_BYTES = 64 * 1024 * 1024  # bytes of one serialized answer; 413 above ("add a LIMIT")
READ_TIMEOUT = 10.0  # seconds a connection may stay silent while a request is read
MAX_CONNECTIONS = 256  # open connections served at once; more are closed at once
BACKLOG = 128  # listen queue: room for 64 clients connecting at the same moment
SLOW_AFTER = 0.5  # seconds after which a running query counts as long-running
MAX_WORKERS = 32
MAX_TIMEOUT = 3600.0
_DIGITS = re.compile(r"[0-9]{1,12}")


class Refused(Exception):
    """An HTTP error answer: status and one line of text."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


# ---- options -----------------------------------------------------------------------------------------

def check_options(port: int, timeout: float, workers: int) -> None:
    """One-line errors for values that would break or exhaust the host (nan, inf, 10000 workers)."""
    if not 0 <= port <= 65535:
        raise SpinekgError(f"--port must be between 0 and 65535 (got {port})")
    if not math.isfinite(timeout) or not 0 < timeout <= MAX_TIMEOUT:
        raise SpinekgError(f"--timeout must be a number of seconds above 0 and at most {MAX_TIMEOUT:g} (got {timeout})")
    if not 1 <= workers <= MAX_WORKERS:
        raise SpinekgError(f"--workers must be between 1 and {MAX_WORKERS} (got {workers})")


# ---- requests --------------------------------------------------------------------------------------------

def check_host(host: str | None, port: int, allowed: tuple[str, ...] = ()) -> None:
    """The ``Host`` header must name this server (127.0.0.1 or localhost, on its port) or an allowed name:
    a page served from another name that resolves to 127.0.0.1 (DNS rebinding) is refused."""
    if host is None:
        return  # HTTP/1.0 clients may omit it; a browser never does
    text = host.strip().lower()
    if text.startswith("["):
        name, _, rest = text[1:].partition("]")
        given_port = rest[1:] if rest.startswith(":") else ""
    elif ":" in text:
        name, _, given_port = text.rpartition(":")
    else:
        name, given_port = text, ""
    if given_port and given_port != str(port):
        raise Refused(403, f"Host {host[:100]!r} is not this server")
    if name not in ("127.0.0.1", "localhost") + tuple(a.lower() for a in allowed):
        raise Refused(403, f"Host {host[:100]!r} is not this server (start it with --allow-host NAME to allow it)")


def read_body(handler, limit: int = MAX_BODY) -> bytes:  # type: ignore[no-untyped-def]
    """The request body, refusing a bad or repeated ``Content-Length`` (400), chunked bodies past
    ``limit`` and anything past ``limit`` (413)."""
    headers = handler.headers
    encoding = ",".join(headers.get_all("Transfer-Encoding") or []).strip().lower()
    lengths = headers.get_all("Content-Length") or []
    if encoding:
        if encoding != "chunked" or lengths:
            raise Refused(400, "unsupported Transfer-Encoding")
        return _read_chunked(handler.rfile, limit)
    if not lengths:
        return b""
    if len(set(v.strip() for v in lengths)) != 1 or not _DIGITS.fullmatch(lengths[0].strip()):
        raise Refused(400, "bad Content-Length header")
    length = int(lengths[0])
    if length > limit:
        raise Refused(413, f"request body larger than {limit} bytes")
    body = handler.rfile.read(length)
    if len(body) != length:
        raise Refused(400, "request body shorter than its Content-Length")
    return body


def _read_chunked(stream, limit: int) -> bytes:  # type: ignore[no-untyped-def]
    parts, total = [], 0
    while True:
        line = stream.readline(100)
        size_text = line.split(b";", 1)[0].strip()
        if not re.fullmatch(rb"[0-9A-Fa-f]{1,8}", size_text or b"x"):
            raise Refused(400, "bad chunk size in a chunked body")
        size = int(size_text, 16)
        if size == 0:
            while stream.readline(1000) not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return b"".join(parts)
        total += size
        if total > limit:
            raise Refused(413, f"request body larger than {limit} bytes")
        parts.append(stream.read(size))
        stream.readline(3)


class BoundedBuffer:
    """A write-only buffer that stops the serializer once an answer passes ``limit`` bytes (or, given
    ``max_rows``, once a TSV answer passes that many rows: TSV holds one line per row after its header), so
    a full dump never sits in memory."""

    def __init__(self, limit: int = MAX_ANSWER_BYTES, max_rows: int | None = None):
        self.limit, self.max_rows = limit, max_rows
        self.parts: list[bytes] = []
        self.size = self.lines = 0
        self.refused: AnswerRefused | None = None  # set before raising: the Rust serializer wraps the exception

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            self.refused = AnswerTooLarge(self.limit)
            raise self.refused
        if self.max_rows is not None:
            self.lines += bytes(data).count(b"\n")
            if self.lines > self.max_rows + 1:
                self.refused = AnswerTooManyRows(self.max_rows)
                raise self.refused
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


class AnswerRefused(Exception):
    """An answer over one of the endpoint's limits (HTTP 413)."""


class AnswerTooLarge(AnswerRefused):
    def __init__(self, limit: int):
        super().__init__(f"the answer is larger than {limit} bytes (the endpoint's limit); add a LIMIT "
                         f"or start the server with a larger --max-answer-bytes")


class AnswerTooManyRows(AnswerRefused):
    def __init__(self, limit: int):
        super().__init__(f"the answer has more than {limit} rows (the endpoint's limit); add a LIMIT "
                         f"or start the server with a larger --max-answer-rows")


# ---- fairness -----------------------------------------------------------------------------------------

class SlowGate:
    """At most ``most`` queries may run past :data:`SLOW_AFTER` at once; a query that turns long-running
    when they are all taken is stopped, so runaway queries never hold every query process."""

    def __init__(self, workers: int):
        self.most = max(1, workers // 2)
        self._slots = threading.BoundedSemaphore(self.most)

    def enter(self) -> bool:
        return self._slots.acquire(blocking=False)

    def leave(self) -> None:
        self._slots.release()


# ---- connections -------------------------------------------------------------------------------------

class GuardedServerMixin:
    """Mix into a ThreadingHTTPServer: a deep listen queue, a cap on connections served at once, and no
    traceback on stderr when a client disconnects or times out."""

    request_queue_size = BACKLOG
    _open = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request, client_address):  # type: ignore[no-untyped-def]
        if not self._open.acquire(blocking=False):
            self.shutdown_request(request)  # type: ignore[attr-defined]
            return
        try:
            super().process_request(request, client_address)  # type: ignore[misc]
        except BaseException:
            self._open.release()
            raise

    def process_request_thread(self, request, client_address):  # type: ignore[no-untyped-def]
        try:
            super().process_request_thread(request, client_address)  # type: ignore[misc]
        finally:
            self._open.release()

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        pass  # a reset, a timeout or a broken pipe from one client is not the server's error


# ---- store generation ----------------------------------------------------------------------------------

class Generation:
    """A fingerprint of the on-disk store, read at most once a second, so every query process serves the
    same load: when it changes (a reload), each process is reopened before it answers again."""

    def __init__(self, store_dir: Path):
        self.store_dir = Path(store_dir)
        self._lock = threading.Lock()
        self._checked = 0.0
        self._print = self._fingerprint()
        self.number = 0

    def _fingerprint(self) -> tuple:  # type: ignore[type-arg]
        try:
            entries = sorted(os.scandir(self.store_dir), key=lambda e: e.name)
            return tuple((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in entries
                         if e.name == "CURRENT" or e.name.startswith("MANIFEST"))
        except OSError:
            return ()

    def current(self) -> int:
        with self._lock:
            now = time.monotonic()
            if now - self._checked >= 1.0:
                self._checked = now
                fingerprint = self._fingerprint()
                if fingerprint != self._print:
                    self._print = fingerprint
                    self.number += 1
            return self.number
