"""Read the shipped runtime index (JSON) once per process, or the index with extensions merged in."""
from __future__ import annotations

import os
from ..memo import remember  # functools.lru_cache without importing functools

from ..errors import EXIT_ENVIRONMENT, SpinekgError
from ..paths import RUNTIME_INDEX_PATH
from .twin import load_json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

DEFERRED = ("anatomy", "terms", "lexicon", "procedures", "disorders")  # entries decoded when first read (answer.twin.Deferred): a question reads a few
_ACTIVE: dict[str, dict] = {}  # "index": the shipped index with the process's extensions merged in


def load_index(path: str | Path = RUNTIME_INDEX_PATH) -> dict:
    """The runtime index at ``path``; for the shipped one, with any extensions activated by
    ``use_index`` (so every command that answers from the index sees the extension's terms)."""
    if os.fspath(path) == RUNTIME_INDEX_PATH and "index" in _ACTIVE:
        return _ACTIVE["index"]
    return read_index(path)


def use_index(index: dict | None) -> None:
    """Answer from ``index`` instead of the shipped one for the rest of the process (None: the shipped one)."""
    _ACTIVE.clear()
    if index is not None:
        _ACTIVE["index"] = index


def read_index(path: str | Path = RUNTIME_INDEX_PATH) -> dict:
    """The index at ``path`` as read from disk (once per process and place, however the place is spelt)."""
    return _read_index(os.fspath(path))


@remember(maxsize=4)
def _read_index(path: str) -> dict:
    try:
        return load_json(path, DEFERRED)
    except FileNotFoundError:
        raise SpinekgError(f"{path}: runtime index missing; run 'spinekg build'", EXIT_ENVIRONMENT) from None
    except (OSError, ValueError) as exc:
        raise SpinekgError(f"{path}: runtime index unreadable ({exc})", EXIT_ENVIRONMENT) from None
