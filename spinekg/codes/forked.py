"""Answer many distinct values on two cores: a forked child answers one part while this process answers the
other, and the answers come back in the order of the values, so the result is the same as answering them
one by one here. Used for free text, where each distinct value costs tens of microseconds in Python and a
bulk file has thousands of them; two cores are what CI machines and laptops typically have."""
from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable, Sequence
from typing import Any

MIN_VALUES = 2000  # below this a fork (~10-30 ms with the index loaded) costs more than it saves


def _free_cores() -> float:
    """Cores this process may use, less the load of the last minute beyond this process itself: on a box already
    busy (a parallel test run, other jobs) the child only takes turns with this process, and costs more than it saves."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - platforms without affinity
        cores = os.cpu_count() or 1
    return cores - max(0.0, os.getloadavg()[0] - 1)


def usable(count: int) -> bool:
    """Whether ``count`` values are worth a fork here: Linux (elsewhere forking a process with threads, such as
    Arrow's pool, is unsafe or unavailable) and a second core free. SPINEKG_NO_FORK=1: never; =0: whatever the
    load and cores (for tests that compare both ways)."""
    choice = os.environ.get("SPINEKG_NO_FORK")
    if choice == "1" or count < MIN_VALUES or not sys.platform.startswith("linux"):
        return False
    return choice == "0" or _free_cores() >= 1.5


def split(keys: Sequence[str]) -> tuple[list[int], list[int]]:
    """Positions for this process and for the child: values with the same key stay together (a reader answers
    texts that differ only in levels, sides or case from what it remembered of the first), halves balanced by count."""
    groups: dict[str, list[int]] = {}
    for position, key in enumerate(keys):
        groups.setdefault(key, []).append(position)
    mine: list[int] = []
    theirs: list[int] = []
    for members in groups.values():  # in order of first appearance: deterministic
        (mine if len(mine) <= len(theirs) else theirs).extend(members)
    return sorted(mine), sorted(theirs)


def map_forked(answer: Callable[[Any], Any], values: Sequence[Any], key: Callable[[Any], str]) -> list[Any]:
    """``[answer(v) for v in values]``, with the child's part answered in a forked process when it pays; values
    of one ``key`` stay in one process (keys are worked out only when a fork is made)."""
    if not usable(len(values)):
        return [answer(v) for v in values]
    mine, theirs = split([key(v) for v in values])
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer its part, send it, and leave without running the parent's exit handlers
        status = 1
        try:
            os.close(read_end)
            data = pickle.dumps([answer(values[i]) for i in theirs], protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as handle:
                handle.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    out: list[Any] = [None] * len(values)
    try:
        for i in mine:
            out[i] = answer(values[i])
    finally:  # the child is always waited for (it blocks on the pipe until read)
        with os.fdopen(read_end, "rb") as handle:
            data = handle.read()
        _, status = os.waitpid(pid, 0)
    theirs_answers = pickle.loads(data) if status == 0 and data else [answer(values[i]) for i in theirs]
    for i, found in zip(theirs, theirs_answers):
        out[i] = found
    return out
