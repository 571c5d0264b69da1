"""The shipped JSON data (runtime index, reader lexicon) loaded in a few milliseconds: the first load
writes a *marshal twin* of the parsed JSON to the user's cache directory, with every repeated string
stored once; later loads read the twin (json.loads of the 1.5 MB index builds ~150,000 objects, the
twin about a third of that). The JSON stays the one shipped artifact: a twin that cannot be read or
written (read-only home, full disk) is simply not used, and answers are the same.

A twin is named by its source's identity and the interpreter's cache tag, so an edited or rebuilt
source, or another Python, never reads a stale twin. The identity is the file's stat (device, inode,
size, mtime and ctime in ns, as git trusts its index): reading and checksumming 2 MB of JSON to name
the twin was a tenth of a cold answer. As in git, a file modified within the last seconds is "racy"
(it may change again within the clock's resolution): its twin is named by size and CRC-32 of its
content instead (zlib is a light import where hashlib loads OpenSSL).

A question reads a handful of the index's 1,277 anatomy entries and of the lexicon's 10,000 phrases, so
sections named ``deferred`` are kept in the twin one marshal blob per entry and decoded on first read
(``Deferred``): building every entry's objects was most of a cold answer's load time.
"""
from __future__ import annotations

import marshal
import os
import sys
import time

from ..collector import collector_paused
from ..paths import cache_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

FORMAT = 3
RACY_NS = 2_000_000_000  # a source modified this recently is named by its content (git's racy-file rule)


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
    """Where the twin of the JSON at ``path`` (whose bytes are ``raw``) lives, named by its content (a string:
    no pathlib on the answer path)."""
    import zlib  # only for racy files: a stat-named twin needs no checksum

    return _named(path, f"{len(raw)}-{zlib.crc32(raw):08x}", deferred)


def twin_path(path: str | Path, raw: bytes, deferred: tuple[str, ...] = ()) -> Path:
    from pathlib import Path

    return Path(twin_file(path, raw, deferred))


def stat_identity(path: str | Path) -> str | None:
    """The file's identity by its stat, in hex (OSError where it cannot be read), or None where it is racy
    (modified within RACY_NS of now: a change within the clock's resolution would keep its mtime)."""
    st = os.stat(path)
    if time.time_ns() - st.st_mtime_ns < RACY_NS:
        return None
    return f"{st.st_dev:x}.{st.st_ino:x}.{st.st_size:x}.{st.st_mtime_ns:x}.{st.st_ctime_ns:x}"


def stat_twin_file(path: str | Path, deferred: tuple[str, ...] = ()) -> str | None:
    """Where the twin of the file at ``path`` lives, named by its stat; None where the file is racy."""
    identity = stat_identity(path)
    return None if identity is None else _named(path, f"s{identity}", deferred)


def _named(path: str | Path, identity: str, deferred: tuple[str, ...]) -> str:
    stem = os.path.splitext(os.path.basename(path))[0]
    kept = "".join(f"-{name}" for name in deferred)
    name = f"{stem}-{identity}-{sys.implementation.cache_tag}-{FORMAT}{kept}.marshal"
    return os.path.join(cache_path(), "twins", name)


def through_twin(path: str | Path, parse: Callable[[bytes], tuple[object, object]],
                 restore: Callable[[object], object | None], deferred: tuple[str, ...] = (), sectioned: bool = False) -> object:
    """The file at ``path`` parsed, through its twin: ``parse(raw)`` gives (value, what its twin keeps), and
    ``restore(kept)`` the value back from a twin (None: a twin of another shape, parsed afresh). ``sectioned``:
    the twin keeps named blobs (``write_sections``) and ``restore`` gets its ``Sections``. Errors of reading the
    file (OSError) and of ``parse`` propagate; the twin's own never do."""
    read, write = (read_sections, write_sections) if sectioned else (read_twin, write_twin)
    twin = stat_twin_file(path, deferred)
    if twin is not None:
        value = _restored(read(twin), restore)
        if value is not None:
            return value
    with open(path, "rb") as handle:
        raw = handle.read()
    if twin is None:  # racy: named by the content just read
        twin = twin_file(path, raw, deferred)
        value = _restored(read(twin), restore)
        if value is not None:
            return value
    value, kept = parse(raw)
    if kept is not None:
        write(twin, kept)  # type: ignore[arg-type]
    return value


def _restored(data: object | None, restore: Callable[[object], object | None]) -> object | None:
    try:
        return None if data is None else restore(data)
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        return None  # a twin of another shape: parsed afresh


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
    the sections named in ``deferred`` (objects) come back as ``Buckets`` when read from the twin."""

    def parse(raw: bytes) -> tuple[object, object]:
        import json

        data = shared_strings(json.loads(raw.decode("utf-8")), {})
        if not isinstance(data, dict):
            return data, None  # not an object: no twin worth keeping (None is never restored)
        plain, sections, counts = dict(data), {}, {}
        for name in deferred:
            if type(plain.get(name)) is dict:
                counts[name] = bucket_sections(name, plain.pop(name), sections)
        sections["plain"], sections["buckets"] = marshal.dumps(plain), marshal.dumps(counts)
        return data, sections

    def restore(found: object) -> dict | None:
        data, counts = marshal.loads(found.read("plain")), marshal.loads(found.read("buckets"))  # type: ignore[attr-defined]
        if type(data) is not dict or type(counts) is not dict:
            return None
        for name, (count, first) in counts.items():
            data[name] = Buckets.of(found, name, count, first)  # type: ignore[arg-type]
        return data

    return through_twin(path, parse, restore, deferred, sectioned=True)  # type: ignore[return-value]


BUCKET_BYTES = 2048  # about what a bucket of a deferred section holds, marshalled
LOAD_ALL_AFTER = 8  # look-ups per bucket after which a section is read whole (bulk reading, not one question)


def bucket_of(key: str, count: int) -> int:
    """The bucket of a key: a sum of its UTF-8 bytes, the same in every process (str hashes are salted)."""
    return sum(key.encode("utf-8", "surrogatepass")) % count


def bucket_sections(name: str, section: dict[str, object], sections: dict[str, bytes]) -> tuple[int, str | None]:
    """Add ``section`` to ``sections`` as buckets (``name#i``) and its key order (``name#order``); (their number,
    the first key)."""
    count = max(1, len(marshal.dumps(section)) // BUCKET_BYTES)
    buckets: list[dict[str, object]] = [{} for _ in range(count)]
    for key, value in section.items():
        buckets[bucket_of(key, count)][key] = value
    for i, bucket in enumerate(buckets):
        sections[f"{name}#{i}"] = marshal.dumps(bucket)
    sections[f"{name}#order"] = marshal.dumps(list(section))
    return count, next(iter(section), None)


class Buckets(Deferred):
    """A JSON object of a sectioned twin whose entries are read a bucket at a time: a look-up (``in``, ``[]``,
    ``get``, and writes to one key) reads the key's bucket; anything that sees the whole (iteration, ``len``,
    copies, comparisons) reads every bucket first and puts the entries back in the JSON's order. A cold
    question reads a few dozen of the index's and lexicon's 20,000 entries: building a dict of all of them
    (even of undecoded blobs) was a tenth of its time."""

    __slots__ = ("sections", "name", "count", "pending", "reads")

    @classmethod
    def of(cls, sections: Sections, name: str, count: int, first: str | None) -> Buckets:
        """The section's bucket of its first key read at once: C code that takes an empty dict for an empty
        object without asking (json.dumps) then never sees a non-empty section as empty."""
        found = cls()
        found.sections, found.name, found.count, found.pending = sections, name, count, set(range(count))
        found.reads = 0
        found._load(first)
        return found

    def _load(self, key: object) -> None:
        if self.pending and type(key) is str:  # JSON keys are strings: no other key is ever present
            self.reads += 1
            if self.reads > LOAD_ALL_AFTER * self.count:  # a bulk run: read the rest at once, then look-ups cost nothing
                self._load_rest()
                return
            i = bucket_of(key, self.count)
            if i in self.pending:
                self.pending.discard(i)
                dict.update(self, marshal.loads(self.sections.read(f"{self.name}#{i}")))

    def _load_rest(self) -> None:
        for i in sorted(self.pending):
            dict.update(self, marshal.loads(self.sections.read(f"{self.name}#{i}")))
        self.pending.clear()
        self._complete()
        self.__class__ = WholeBuckets  # every entry read, in order: a plain dict from now on (look-ups in C)

    def _complete(self) -> None:
        if self.pending:
            self._load_rest()
        if self.pending is not None:
            order = marshal.loads(self.sections.read(f"{self.name}#order"))
            entries = {key: dict.__getitem__(self, key) for key in order if dict.__contains__(self, key)}
            entries.update(dict.items(self))  # keys written since (their places as in a dict: at the end)
            dict.clear(self)
            dict.update(self, entries)
            self.pending = None

    def __contains__(self, key: object) -> bool:
        self._load(key)
        return dict.__contains__(self, key)

    def __getitem__(self, key: object) -> object:
        self._load(key)
        return dict.__getitem__(self, key)

    def get(self, key: object, default: object = None) -> object:
        self._load(key)
        return dict.get(self, key, default)

    def __setitem__(self, key: object, value: object) -> None:
        self._load(key)
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: object) -> None:
        self._load(key)
        dict.__delitem__(self, key)

    def setdefault(self, key: object, default: object = None) -> object:
        self._load(key)
        return dict.setdefault(self, key, default)

    def pop(self, key: object, *default: object) -> object:
        self._load(key)
        return dict.pop(self, key, *default)


class WholeBuckets(Deferred):
    """A Buckets once every bucket is read and its entries are in the JSON's order (its values are decoded): look-ups
    are the plain dict's, in C (a bulk run makes a hundred thousand of them; Buckets' run Python first)."""

    __slots__ = Buckets.__slots__
    __getitem__ = dict.__getitem__
    __contains__ = dict.__contains__
    get = dict.get
    setdefault = dict.setdefault
    pop = dict.pop


def _whole(method):  # type: ignore[no-untyped-def]
    """``method`` of a Buckets, after every bucket is read (and the entries are in the JSON's order)."""

    def whole(self, *args):  # type: ignore[no-untyped-def]
        self._complete()
        return method(self, *args)

    whole.__name__ = method.__name__
    return whole


for _name in ("__iter__", "keys", "items", "values", "__len__", "update", "clear", "popitem", "copy", "__repr__",
              "__eq__", "__ne__", "__or__", "__ror__", "__reduce__"):
    setattr(Buckets, _name, _whole(getattr(Deferred, _name)))


def read_twin(twin: str | Path) -> object | None:
    """What a twin holds, or None where it is missing or unreadable (the caller then parses its sources)."""
    try:
        with collector_paused(), open(twin, "rb") as handle:  # tens of thousands of new containers, no cycles
            return marshal.loads(handle.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None


SECTIONED = b"spinekg twin sections\n"  # a sectioned twin's first bytes; then the header's length, header, blobs


def write_sections(twin: str | Path, sections: dict[str, bytes]) -> None:
    """A twin of named blobs that is read one blob at a time (``read_sections``)."""
    offsets, at = {}, 0
    for name, blob in sections.items():
        offsets[name] = (at, len(blob))
        at += len(blob)
    header = marshal.dumps(offsets)
    write_bytes(twin, SECTIONED + len(header).to_bytes(4, "little") + header + b"".join(sections.values()))


class Sections:
    """The named blobs of a sectioned twin, each read from the open file when asked for: a cold question that
    needs three tables of twenty reads those three (reading and decoding all 4 MB of the code tables' sources
    was a fifth of a cold code answer). The file stays open, so every blob comes from the twin first opened."""

    __slots__ = ("fd", "base", "offsets")

    def __init__(self, fd: int, base: int, offsets: dict[str, tuple[int, int]]):
        self.fd, self.base, self.offsets = fd, base, offsets

    def read(self, name: str) -> bytes:
        at, size = self.offsets[name]
        return _read_at(self.fd, size, self.base + at)


def read_sections(twin: str | Path) -> Sections | None:
    """The sections of a twin written by ``write_sections``; None where it is missing, of another kind or truncated."""
    try:
        fd = os.open(twin, os.O_RDONLY | getattr(os, "O_BINARY", 0))  # (binary: Windows would translate newlines)
    except OSError:
        return None
    try:
        head = _read_at(fd, len(SECTIONED) + 4, 0)
        if not head.startswith(SECTIONED):
            raise ValueError("not a sectioned twin")
        base = len(head) + int.from_bytes(head[len(SECTIONED):], "little")
        offsets = marshal.loads(_read_at(fd, base - len(head), len(head)))
        if type(offsets) is not dict or os.fstat(fd).st_size != base + sum(size for _, size in offsets.values()):
            raise ValueError("truncated")
        return Sections(fd, base, offsets)
    except (OSError, EOFError, ValueError, TypeError):
        os.close(fd)
        return None


def _read_at(fd: int, size: int, offset: int) -> bytes:
    if hasattr(os, "pread"):
        blob = os.pread(fd, size, offset)
    else:  # pragma: no cover (Windows)
        os.lseek(fd, offset, os.SEEK_SET)
        blob = os.read(fd, size)
    if len(blob) != size:
        raise EOFError(f"twin shorter than its header says ({len(blob)} of {size} bytes at {offset})")
    return blob


def write_twin(twin: str | Path, data: object) -> None:
    """Write atomically (a reader never sees half a twin); give up quietly where the cache is not writable."""
    write_bytes(twin, marshal.dumps(data))


def write_bytes(twin: str | Path, payload: bytes) -> None:
    """Write ``payload`` as the twin, atomically; quietly not where the cache is not writable."""
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
