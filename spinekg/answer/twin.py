"""The shipped JSON data (runtime index, reader lexicon) loaded in a few milliseconds: the first load
writes a *marshal twin* of the parsed JSON to the user's cache directory, with every repeated string
stored once; later loads read the twin (json.loads of the 1.5 MB index builds ~150,000 objects, the
twin about a third of that). The twin is named by the JSON's size and CRC-32 (content, not mtime; zlib
is a light import where hashlib loads OpenSSL) and the interpreter's cache tag, so an edited or rebuilt
JSON, or another Python, never reads a stale twin. The JSON stays the one shipped artifact: a twin that
cannot be read or written (read-only home, full disk) is simply not used, and answers are the same.
"""
from __future__ import annotations

import json
import marshal
import os
import sys
import zlib
from pathlib import Path

from ..paths import cache_dir

FORMAT = 1


def twin_path(path: Path, raw: bytes) -> Path:
    return cache_dir() / "twins" / f"{path.stem}-{len(raw)}-{zlib.crc32(raw):08x}-{sys.implementation.cache_tag}-{FORMAT}.marshal"


def shared_strings(value: object, pool: dict[str, str]) -> object:
    """``value`` with equal strings made one object (so marshal writes each once); lists stay distinct."""
    if isinstance(value, str):
        return pool.setdefault(value, value)
    if isinstance(value, list):
        return [shared_strings(item, pool) for item in value]
    if isinstance(value, dict):
        return {pool.setdefault(key, key): shared_strings(item, pool) for key, item in value.items()}
    return value


def load_json(path: Path) -> dict:
    """The JSON object at ``path`` (OSError / ValueError as ``json.load`` raises them), through its twin."""
    with open(path, "rb") as handle:
        raw = handle.read()
    twin = twin_path(path, raw)
    data = read_twin(twin)
    if isinstance(data, dict):
        return data
    data = shared_strings(json.loads(raw.decode("utf-8")), {})
    if isinstance(data, dict):
        write_twin(twin, data)
    return data  # type: ignore[return-value]


def read_twin(twin: Path) -> object | None:
    """What a twin holds, or None where it is missing or unreadable (the caller then parses its sources)."""
    try:
        with open(twin, "rb") as handle:
            return marshal.loads(handle.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None


def write_twin(twin: Path, data: object) -> None:
    """Write atomically (a reader never sees half a twin); give up quietly where the cache is not writable."""
    payload = marshal.dumps(data)
    temp = twin.with_name(f".{twin.name}.{os.getpid()}.tmp")
    try:
        twin.parent.mkdir(parents=True, exist_ok=True)
        with open(temp, "wb") as handle:
            handle.write(payload)
        os.replace(temp, twin)
    except OSError:
        try:
            temp.unlink()
        except OSError:
            pass
