"""The code tables' source files (SSSOM mappings, reference TSVs) parsed once per content: a cold
``spinekg classify CODE`` spent ~65 ms parsing 13 text files and ~25 ms re-checking them against each other.
Parsed rows are kept as a marshal twin in the user's cache (as the runtime index is: answer/twin.py), named
by every file's size and CRC-32, so an edited file is parsed and checked afresh. The checks that depend only
on the files run before the twin is written; the one that depends on the running index (every mapped object
is an ontology term) runs on every load. The big code tables (``keyed``: 4,299 PCS and 3,650 CM rows, most
of the twin) are kept one marshal blob per code and decoded when a code is looked up (answer.twin.Deferred):
a cold question reads one row of them."""
from __future__ import annotations

import marshal
import sys
import zlib
from pathlib import Path

from ..answer.twin import Deferred, read_twin, write_twin
from ..paths import cache_dir
from ..tsv import read_tsv
from .mappings import MappingSet, read_sssom

FORMAT = 2


def twin_for(mappings: dict[str, Path], tsvs: dict[str, Path]) -> Path:
    """The twin's path: every source's role, size and CRC-32, and the interpreter (OSError if one is unreadable)."""
    crc = 0
    for role, path in sorted({**{f"m:{k}": v for k, v in mappings.items()}, **{f"t:{k}": v for k, v in tsvs.items()}}.items()):
        raw = path.read_bytes()
        crc = zlib.crc32(f"{role}:{len(raw)}:{zlib.crc32(raw)};".encode(), crc)
    return cache_dir() / "twins" / f"code-sources-{crc:08x}-{sys.implementation.cache_tag}-{FORMAT}.marshal"


def load_sources(mappings: dict[str, Path], tsvs: dict[str, Path], keyed: tuple[str, ...] = ()) \
        -> tuple[dict[str, MappingSet], dict[str, list[dict] | dict[str, dict]], Path | None, bool]:
    """(mapping sets by name, TSV rows by name, their twin's path, whether they came from it, i.e. passed the
    file checks before). The TSVs named in ``keyed`` come as ``{row["code"]: row}`` (the last row of a code
    wins). Files that cannot be read or parsed raise as read_sssom/read_tsv do."""
    try:
        twin: Path | None = twin_for(mappings, tsvs)
    except OSError:
        twin = None  # an unreadable source: reading it below says which
    data = read_twin(twin) if twin is not None else None
    if data is not None:
        try:
            sets = {key: MappingSet(mappings[key], *data["sets"][key]) for key in mappings}  # type: ignore[index]
            rows = {key: data["tsv"][key] for key in tsvs}  # type: ignore[index]
            if all(type(rows[key]) is dict for key in keyed):
                return sets, {key: Deferred(value) if key in keyed else value for key, value in rows.items()}, twin, True
        except (TypeError, KeyError, IndexError):
            pass  # a twin of another shape: parse afresh and overwrite it
    sets = {key: read_sssom(path) for key, path in mappings.items()}
    parsed = {key: read_tsv(path) for key, path in tsvs.items()}
    return sets, {key: {r["code"]: r for r in value} if key in keyed else value for key, value in parsed.items()}, twin, False


def remember_sources(twin: Path, sets: dict[str, MappingSet], rows: dict[str, list[dict] | dict[str, dict]]) -> None:
    """Write the twin of sources that passed the file checks (quietly not, where the cache is not writable)."""
    kept = {key: {code: marshal.dumps(row) for code, row in value.items()} if isinstance(value, dict) else value
            for key, value in rows.items()}
    write_twin(twin, {"sets": {key: (s.metadata, s.curie_map, s.rows) for key, s in sets.items()}, "tsv": kept})
