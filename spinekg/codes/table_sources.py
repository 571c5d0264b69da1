"""The code tables' source files (SSSOM mappings, reference TSVs) parsed once per content: a cold
``spinekg classify CODE`` spent ~65 ms parsing 13 text files and ~25 ms re-checking them against each other.
Parsed rows are kept as a marshal twin in the user's cache (as the runtime index is: answer/twin.py), named
by every file's size and CRC-32, so an edited file is parsed and checked afresh. The checks that depend only
on the files run when the twin is written; the one that depends on the running index (every mapped object
is an ontology term) runs on every load, from the object list the twin keeps."""
from __future__ import annotations

import marshal
import sys
import zlib
from pathlib import Path

from ..answer.twin import _write
from ..paths import cache_dir
from ..tsv import read_tsv
from .mappings import MappingSet, read_sssom

FORMAT = 1


def _key(mappings: dict[str, Path], tsvs: dict[str, Path]) -> str:
    """The twin's file name: every source's role, size and CRC-32, and the interpreter."""
    crc = 0
    for role, path in sorted({**{f"m:{k}": v for k, v in mappings.items()}, **{f"t:{k}": v for k, v in tsvs.items()}}.items()):
        raw = path.read_bytes()
        crc = zlib.crc32(f"{role}:{len(raw)}:{zlib.crc32(raw)};".encode(), crc)
    return f"code-sources-{crc:08x}-{sys.implementation.cache_tag}-{FORMAT}.marshal"


def load_sources(mappings: dict[str, Path], tsvs: dict[str, Path]) -> tuple[dict[str, MappingSet], dict[str, list[dict]], bool]:
    """(mapping sets by name, TSV rows by name, whether they came from a twin, i.e. passed the file checks before).

    Files that cannot be read or parsed raise as read_sssom/read_tsv do (no twin is ever written for them)."""
    try:
        with open(cache_dir() / "twins" / _key(mappings, tsvs), "rb") as handle:
            data = marshal.loads(handle.read())
        sets = {key: MappingSet(mappings[key], *data["sets"][key]) for key in mappings}
        return sets, {key: data["tsv"][key] for key in tsvs}, True
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        pass
    sets = {key: read_sssom(path) for key, path in mappings.items()}
    return sets, {key: read_tsv(path) for key, path in tsvs.items()}, False


def remember_sources(mappings: dict[str, Path], tsvs: dict[str, Path], sets: dict[str, MappingSet],
                     rows: dict[str, list[dict]]) -> None:
    """Write the twin of sources that passed the file checks (quietly not, where the cache is not writable)."""
    try:
        name = _key(mappings, tsvs)
    except OSError:
        return
    payload = {"sets": {key: (s.metadata, s.curie_map, s.rows) for key, s in sets.items()}, "tsv": rows}
    _write(cache_dir() / "twins" / name, marshal.dumps(payload))
