"""Answer many distinct values on several cores: forked children answer parts while this process answers its
own, and the answers come back in the order of the values, so the result is the same as answering them one by
one here. Used for free text, where each distinct value costs tens of microseconds in Python and a bulk file has
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


def split(keys: Sequence[str], parts: int = 2) -> list[list[int]]:
    """Positions for each process (this one first): values with the same key stay together (a reader answers texts
    that differ only in levels, sides or case from what it remembered of the first), parts balanced by count. Each
    part lists its keys' positions key by key, in order of first appearance, so that a process answers one key's
    values one after another: what it remembered of them is still in the processor's caches (20,000 texts read in
    that order took nearly a fifth less time than in the order of a file)."""
    groups: dict[str, list[int]] = {}
    for position, key in enumerate(keys):
        groups.setdefault(key, []).append(position)
    out: list[list[int]] = [[] for _ in range(parts)]
    for members in groups.values():  # in order of first appearance: deterministic (the first smallest part wins)
        min(out, key=len).extend(members)
    return out


def map_forked(answer: Callable[[Any], Any], values: Sequence[Any], keys: Callable[[], Sequence[str]]) -> list[Any]:
    """``[answer(v) for v in values]``, with parts answered in forked processes when asked and it pays. From
    MIN_VALUES values on, values of one key (``keys()``: one for each value) are answered together, in one process."""
    if len(values) < MIN_VALUES:
        return [answer(v) for v in values]
    mine, *others = split(keys(), usable(len(values)))
    children = [_fork(answer, values, part) for part in others]
    out: list[Any] = [None] * len(values)
    try:
        for i in mine:
            out[i] = answer(values[i])
    finally:  # every child is always waited for (each blocks on its pipe until read)
        found = [_collect(*child) for child in children]
    for part, answers in zip(others, found):
        for i, answered in zip(part, answers if answers is not None else [answer(values[i]) for i in part]):
            out[i] = answered
    return out


def _fork(answer: Callable[[Any], Any], values: Sequence[Any], part: list[int]) -> tuple[int, int]:
    """A child answering ``part``: (its pid, the pipe end its answers come from)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer its part, send it, and leave without running the parent's exit handlers
        status = 1
        try:
            os.close(read_end)
            data = _dumps([answer(values[i]) for i in part])
            with os.fdopen(write_end, "wb") as handle:
                handle.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _collect(pid: int, read_end: int) -> list[Any] | None:
    """A child's answers (None if it failed: its part is then answered here)."""
    with os.fdopen(read_end, "rb") as handle:
        data = handle.read()
    _, status = os.waitpid(pid, 0)
    return _loads(data) if status == 0 and data else None


def _dumps(answers: list[Any]) -> bytes:
    """Answers as bytes: marshal where they are plain values (tuples of strings: ten times faster to load than
    pickle's, on the path where the parent waits), else pickle. The first byte says which."""
    try:
        return b"m" + marshal.dumps(answers)
    except ValueError:
        return b"p" + pickle.dumps(answers, protocol=pickle.HIGHEST_PROTOCOL)


def _loads(data: bytes) -> list[Any]:
    return marshal.loads(memoryview(data)[1:]) if data[:1] == b"m" else pickle.loads(memoryview(data)[1:])
