"""Answer many distinct values on several cores: forked children and this process take parts from one queue until
none is left, and the answers come back in the order of the values, so the result is the same as answering them one
by one here. Used for free text, where each distinct value costs tens of microseconds in Python and a bulk file has
thousands of them.

How many processes is the caller's choice (``processes``): a library call stays in one process unless asked (a
fork inside a web server or a Spark executor would surprise its owner); the ``classify-file`` command, which owns
its process, asks for 'auto' (a second process when a core is free)."""
from __future__ import annotations

import marshal
import os
import pickle
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

MIN_VALUES = 2000  # below this a fork (~10-30 ms with the index loaded) costs more than it saves
MAX_PROCESSES = 8
MAX_CLAIMS = 1024  # the claims of a queue: 4 bytes each, one write of PIPE_BUF (4 KB)
_PROCESSES: ContextVar[int | str] = ContextVar("spinekg_processes", default=1)


def check_processes(count: int | str) -> int | str:
    """``count`` if it is a number of processes (1-8) or 'auto', else a ValueError naming it."""
    if count == "auto" or isinstance(count, int) and not isinstance(count, bool) and 1 <= count <= MAX_PROCESSES:
        return count
    raise ValueError(f"processes must be 1-{MAX_PROCESSES} or 'auto', not {count!r}")


@contextmanager
def processes(count: int | str | None) -> Iterator[None]:
    """Within the block, bulk text is read by ``count`` processes (1-8, or 'auto': two when a second core is free;
    None: as the enclosing block says, else one)."""
    if count is None:
        yield
        return
    token = _PROCESSES.set(check_processes(count))
    try:
        yield
    finally:
        _PROCESSES.reset(token)


def _free_cores() -> float:
    """Cores this process may use, less the load of the last minute beyond this process itself: on a box already
    busy (a parallel test run, other jobs) the child only takes turns with this process, and costs more than it saves."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - platforms without affinity
        cores = os.cpu_count() or 1
    return cores - max(0.0, os.getloadavg()[0] - 1)


def usable(count: int) -> int:
    """How many processes should answer ``count`` values: the caller's choice (``processes``), forking only on Linux
    (elsewhere forking a process with threads, such as Arrow's pool, is unsafe or unavailable) and from MIN_VALUES
    values; 'auto' is two when a second core is free. SPINEKG_NO_FORK=1: one, whatever was asked; =0: at least two,
    whatever the load and cores (for tests that compare both ways)."""
    choice, wanted = os.environ.get("SPINEKG_NO_FORK"), _PROCESSES.get()
    if choice == "1" or count < MIN_VALUES or not sys.platform.startswith("linux"):
        return 1
    if wanted == "auto":
        wanted = 2 if _free_cores() >= 1.5 else 1
    return max(int(wanted), 2) if choice == "0" else int(wanted)


def groups(keys: Sequence[str]) -> list[list[int]]:
    """Positions by key, key by key in order of first appearance: a process answers one key's values one after
    another (a reader answers texts that differ only in levels, sides or case from what it remembered of the first),
    while what it remembered of them is still in the processor's caches (20,000 texts read in that order took nearly
    a fifth less time than in the order of a file)."""
    found: dict[str, list[int]] = {}
    for position, key in enumerate(keys):
        found.setdefault(key, []).append(position)
    return list(found.values())


def claims(grouped: list[list[int]], most: int = MAX_CLAIMS) -> list[list[int]]:
    """The groups as at most ``most`` claims: runs of whole groups in order, of one group each when there are few."""
    size = max(1, -(-len(grouped) // most))
    return [[i for group in grouped[at:at + size] for i in group] for at in range(0, len(grouped), size)]


def map_forked(answer: Callable[[Any], Any], values: Sequence[Any], keys: Callable[[], Sequence[str]],
               then: Callable[[Any], Any] | None = None) -> list[Any]:
    """``[then(answer(v)) for v in values]`` (``then``: none), with parts answered in forked processes when asked and
    it pays. From MIN_VALUES values on, values of one key (``keys()``: one for each value) are answered together, in
    one process. The processes take the keys' claims from a shared queue, one at a time, until none is left, so that
    they finish together however their shares cost (a first reading of a wording costs ten repeats). A child sends
    each claim's answers as it finishes it, and this process takes them in between its own claims: ``then`` runs
    here on every answer, this process's and the children's, while the children still answer."""
    done = (lambda v: then(answer(v))) if then is not None else answer
    if len(values) < MIN_VALUES:
        return [done(v) for v in values]
    work = claims(groups(keys()))
    out: list[Any] = [_NONE] * len(values)
    count = usable(len(values))
    if count == 1:
        for claim in work:
            for i in claim:
                out[i] = done(values[i])
        return out

    def place(at: int, answers: list[Any]) -> None:
        for i, answered in zip(work[at], answers):
            out[i] = then(answered) if then is not None else answered

    queue = _queue(len(work))
    children: list[_Child] = []
    try:
        try:
            for _ in range(count - 1):
                children.append(_Child(answer, values, work, queue))
        finally:
            os.close(queue[1])  # each child closed its copy: the queue ends when it is empty
        for at in _taken(queue[0]):
            for i in work[at]:
                out[i] = done(values[i])
            for child in children:
                child.receive(place, wait=False)
    finally:  # every child is always waited for; what is left in the queue (after an error here) is not taken
        while _taken_one(queue[0]) is not None:
            pass
        os.close(queue[0])
        for child in children:
            child.finish(place)
    for claim in work:  # a child that failed: its claims left unanswered are answered here
        for i in claim:
            if out[i] is _NONE:
                out[i] = done(values[i])
    return out


_NONE = object()  # a position not answered yet (None is an answer)


def _queue(count: int) -> tuple[int, int]:
    """A pipe holding the claims' numbers, 4 bytes each: every process takes the next by reading 4 bytes (a pipe's
    reads are atomic with one another, so each claim is taken once). At most MAX_CLAIMS (4 KB: PIPE_BUF, which a pipe
    always holds) are written in one write before any process reads."""
    read_end, write_end = os.pipe()
    os.write(write_end, b"".join(at.to_bytes(4, "little") for at in range(count)))
    return read_end, write_end


def _taken_one(read_end: int) -> int | None:
    record = os.read(read_end, 4)
    return int.from_bytes(record, "little") if len(record) == 4 else None


def _taken(read_end: int) -> Iterator[int]:
    """The claims this process takes from the queue, until none is left."""
    while (at := _taken_one(read_end)) is not None:
        yield at


class _Child:
    """A forked process answering claims from the queue, each sent back as a frame (4-byte length, then the claim's
    number and its answers as ``_dumps`` bytes) as soon as it is answered."""

    def __init__(self, answer: Callable[[Any], Any], values: Sequence[Any], work: list[list[int]], queue: tuple[int, int]):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: answer what it takes, and leave without running the parent's exit handlers
            status = 1
            try:
                os.close(read_end)
                os.close(queue[1])
                for at in _taken(queue[0]):  # one claim at a time: the next is taken when this one is sent
                    frame = _dumps((at, [answer(values[i]) for i in work[at]]))
                    rest = memoryview(len(frame).to_bytes(4, "little") + frame)
                    while rest:  # (a write to a pipe may take part of it)
                        rest = rest[os.write(write_end, rest):]
                os.close(write_end)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        _wider(read_end)
        os.set_blocking(read_end, False)
        self.pid, self.read_end, self.data = pid, read_end, bytearray()

    def receive(self, place: Callable[[int, list[Any]], None], wait: bool) -> None:
        """Place the answers of the frames sent so far (``wait``: of every frame, until the child has closed its end)."""
        if wait:
            os.set_blocking(self.read_end, True)
        while True:
            try:
                chunk = os.read(self.read_end, 1 << 20)
            except BlockingIOError:
                break
            if not chunk:
                break
            self.data += chunk
        used = 0
        while len(self.data) - used >= 4:
            size = int.from_bytes(self.data[used:used + 4], "little")
            if len(self.data) - used - 4 < size:
                break
            at, answers = _loads(bytes(self.data[used + 4:used + 4 + size]))
            place(at, answers)
            used += 4 + size
        del self.data[:used]

    def finish(self, place: Callable[[int, list[Any]], None]) -> None:
        """The rest of its answers, then its exit (a failed child's whole frames still count: answers do not depend on
        which process made them)."""
        try:
            self.receive(place, wait=True)
        finally:
            os.close(self.read_end)
            os.waitpid(self.pid, 0)


def _wider(read_end: int) -> None:
    """A pipe of 1 MB where the system allows it (Linux: F_SETPIPE_SZ): a child sends a claim's answers without
    waiting for this process to take the last ones, which it does only between its own claims."""
    try:
        import fcntl

        fcntl.fcntl(read_end, fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):
        pass


def _dumps(answers: Any) -> bytes:
    """Answers as bytes: marshal where they are plain values (tuples of strings: ten times faster to load than
    pickle's, on the path where the parent waits), else pickle. The first byte says which."""
    try:
        return b"m" + marshal.dumps(answers)
    except ValueError:
        return b"p" + pickle.dumps(answers, protocol=pickle.HIGHEST_PROTOCOL)


def _loads(data: bytes) -> Any:
    return marshal.loads(memoryview(data)[1:]) if data[:1] == b"m" else pickle.loads(memoryview(data)[1:])
