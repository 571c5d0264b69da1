"""Read the shipped runtime index (JSON) once per process, or the index with extensions merged in."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..errors import EXIT_ENVIRONMENT, SpinekgError
from ..paths import RUNTIME_INDEX
from .twin import load_json

_ACTIVE: dict[str, dict] = {}  # "index": the shipped index with the process's extensions merged in


def load_index(path: Path = RUNTIME_INDEX) -> dict:
    """The runtime index at ``path``; for the shipped one, with any extensions activated by
    ``use_index`` (so every command that answers from the index sees the extension's terms)."""
    if path == RUNTIME_INDEX and "index" in _ACTIVE:
        return _ACTIVE["index"]
    return read_index(path)


def use_index(index: dict | None) -> None:
    """Answer from ``index`` instead of the shipped one for the rest of the process (None: the shipped one)."""
    _ACTIVE.clear()
    if index is not None:
        _ACTIVE["index"] = index


@lru_cache(maxsize=4)
def read_index(path: Path = RUNTIME_INDEX) -> dict:
    try:
        return load_json(path)
    except FileNotFoundError:
        raise SpinekgError(f"{path}: runtime index missing; run 'spinekg build'", EXIT_ENVIRONMENT) from None
    except (OSError, ValueError) as exc:
        raise SpinekgError(f"{path}: runtime index unreadable ({exc})", EXIT_ENVIRONMENT) from None
