"""The shipped JSON data (runtime index, reader lexicon) loaded in a few milliseconds: the first load
writes a *marshal twin* of the parsed JSON to the user's cache directory, with every repeated string
stored once; later loads read the twin (json.loads of the 1.5 MB index builds ~150,000 objects, the
twin about a third of that). The twin is named by the JSON's size and CRC-32 (content, not mtime; zlib
is a light import where hashlib loads OpenSSL) and the interpreter's cache tag, so an edited or rebuilt
JSON, or another Python, never reads a stale twin. The JSON stays the one shipped artifact: a twin that
cannot be read or written (read-only home, full disk) is simply not used, and answers are the same.

A question reads a handful of the index's 1,277 anatomy entries and of the lexicon's 10,000 phrases, so
sections named ``deferred`` are kept in the twin one marshal blob per entry and decoded on first read
(``Deferred``): building every entry's objects was most of a cold answer's load time.
"""
from __future__ import annotations

import gc
import marshal
import os
import sys
import zlib

from ..paths import cache_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

FORMAT = 2


class Deferred(dict):
    """A dict whose values stay marshal blobs until first read. Membership, ``len`` and ``keys`` are the
    plain dict's (no decoding); every way of reading a value decodes it, and copies, merges, comparisons
    and serialisers see decoded values (``__iter__`` is overridden so that ``dict(d)`` and ``{**d}`` go
    through ``keys``/``__getitem__`` rather than copying blobs). Holds JSON content only: a value that is
    ``bytes`` is a blob not yet decoded."""

    __slots__ = ()

    def __getitem__(self, key: object) -> object:
        value = dict.__getitem__(self, key)
        if type(value) is bytes:
            value = marshal.loads(value)
            dict.__setitem__(self, key, value)
        return value

    def get(self, key: object, default: object = None) -> object:
        return self[key] if key in self else default

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(dict.keys(self))

    def items(self):  # type: ignore[no-untyped-def]
        return [(key, self[key]) for key in dict.keys(self)]

    def values(self):  # type: ignore[no-untyped-def]
        return [self[key] for key in dict.keys(self)]

    def copy(self) -> dict:
        return dict(self.items())

    def setdefault(self, key: object, default: object = None) -> object:
        return self[key] if key in self else dict.setdefault(self, key, default)

    def pop(self, key: object, *default: object) -> object:
        if key in self:
            value = self[key]
            dict.pop(self, key)
            return value
        return dict.pop(self, key, *default)

    def popitem(self) -> tuple:
        key = next(reversed(dict.keys(self)))
        return key, self.pop(key)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, dict):
            return NotImplemented
        return dict(self.items()) == (dict(other.items()) if isinstance(other, Deferred) else other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]

    def __or__(self, other: object) -> dict:
        return {**self, **other} if isinstance(other, dict) else NotImplemented  # type: ignore[dict-item]

    def __ror__(self, other: object) -> dict:
        return {**other, **self} if isinstance(other, dict) else NotImplemented  # type: ignore[dict-item]

    def __repr__(self) -> str:
        return repr(dict(self.items()))

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return dict, (dict(self.items()),)


def twin_file(path: str | Path, raw: bytes, deferred: tuple[str, ...] = ()) -> str:
    """Where the twin of the JSON at ``path`` (whose bytes are ``raw``) lives (a string: no pathlib on the answer path)."""
    stem = os.path.splitext(os.path.basename(path))[0]
    kept = "".join(f"-{name}" for name in deferred)
    name = f"{stem}-{len(raw)}-{zlib.crc32(raw):08x}-{sys.implementation.cache_tag}-{FORMAT}{kept}.marshal"
    return os.path.join(cache_path(), "twins", name)


def twin_path(path: str | Path, raw: bytes, deferred: tuple[str, ...] = ()) -> Path:
    from pathlib import Path

    return Path(twin_file(path, raw, deferred))


def shared_strings(value: object, pool: dict[str, str]) -> object:
    """``value`` with equal strings made one object (so marshal writes each once); lists stay distinct."""
    if isinstance(value, str):
        return pool.setdefault(value, value)
    if isinstance(value, list):
        return [shared_strings(item, pool) for item in value]
    if isinstance(value, dict):
        return {pool.setdefault(key, key): shared_strings(item, pool) for key, item in value.items()}
    return value


def load_json(path: str | Path, deferred: tuple[str, ...] = ()) -> dict:
    """The JSON object at ``path`` (OSError / ValueError as ``json.load`` raises them), through its twin;
    the sections named in ``deferred`` (objects) come back as ``Deferred`` dicts when read from the twin."""
    with open(path, "rb") as handle:
        raw = handle.read()
    twin = twin_file(path, raw, deferred)
    data = read_twin(twin)
    if isinstance(data, dict) and all(type(data[name]) is dict for name in deferred if name in data):
        for name in deferred:
            if name in data:
                data[name] = Deferred(data[name])
        return data
    import json

    data = shared_strings(json.loads(raw.decode("utf-8")), {})
    if isinstance(data, dict):
        kept = dict(data)
        for name in deferred:
            if type(kept.get(name)) is dict:
                kept[name] = {key: marshal.dumps(value) for key, value in kept[name].items()}
        write_twin(twin, kept)
    return data  # type: ignore[return-value]


def read_twin(twin: str | Path) -> object | None:
    """What a twin holds, or None where it is missing or unreadable (the caller then parses its sources)."""
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of new containers: one collection afterwards, not dozens while loading
    try:
        with open(twin, "rb") as handle:
            return marshal.loads(handle.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    finally:
        if collecting:
            gc.enable()


def write_twin(twin: str | Path, data: object) -> None:
    """Write atomically (a reader never sees half a twin); give up quietly where the cache is not writable."""
    payload = marshal.dumps(data)
    folder, name = os.path.split(os.fspath(twin))
    temp = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    try:
        os.makedirs(folder, exist_ok=True)
        with open(temp, "wb") as handle:
            handle.write(payload)
        os.replace(temp, twin)
    except OSError:
        try:
            os.unlink(temp)
        except OSError:
            pass
