"""The code tables' source files (SSSOM mappings, reference TSVs) parsed once per content: a cold
``spinekg classify CODE`` spent ~65 ms parsing 13 text files and ~25 ms re-checking them against each other.
Parsed rows are kept as a marshal twin in the user's cache (as the runtime index is: answer/twin.py), named
by every file's identity (answer.twin: stat, or content where racy), so an edited file is parsed and checked afresh. The checks that depend only
on the files run before the twin is written; the one that depends on the running index (every mapped object
is an ontology term) runs on every load. The big code tables (``keyed``: 4,299 PCS and 3,650 CM rows, most
of the twin) are kept one marshal blob per code and decoded when a code is looked up (answer.twin.Deferred):
a cold question reads one row of them."""
from __future__ import annotations

import marshal
import os
import sys
import zlib

from ..answer.twin import Buckets, Deferred, Sections, bucket_sections, read_sections, stat_identity, write_sections, write_twin
from ..paths import cache_path
from ..tsv import read_tsv
from .mappings import MappingSet, local, read_sssom

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: the cold code path reads its sources by string paths, without pathlib
    from collections.abc import Callable
    from pathlib import Path

FORMAT = 5  # 5: a sectioned twin (answer.twin.write_sections), every set and table read when first needed, codes by bucket


def twin_for(mappings: dict[str, str | Path], tsvs: dict[str, str | Path]) -> str:
    """The twin's path: every source's role and identity (answer.twin: its stat, or where one is racy, every
    source's size and CRC-32), and the interpreter (OSError if one is unreadable)."""

    roles = sorted({**{f"m:{k}": v for k, v in mappings.items()}, **{f"t:{k}": v for k, v in tsvs.items()}}.items())
    identities = [stat_identity(path) for _, path in roles]
    crc, kind = 0, "s"
    if None in identities:
        identities, kind = [], ""
        for _, path in roles:
            with open(path, "rb") as handle:
                raw = handle.read()
            identities.append(f"{len(raw)}:{zlib.crc32(raw)}")
    for (role, _), identity in zip(roles, identities):
        crc = zlib.crc32(f"{role}:{identity};".encode(), crc)
    return os.path.join(cache_path(), "twins", f"code-sources-{kind}{crc:08x}-{sys.implementation.cache_tag}-{FORMAT}.marshal")


class FromSections(Deferred):
    """A dict whose values (None until read) are read from the twin's sections ``prefix + key`` on first read and
    made by ``make(key, decoded)``; otherwise as answer.twin.Deferred."""

    __slots__ = ("sections", "prefix", "make")

    @classmethod
    def of(cls, sections: Sections, prefix: str, make: Callable[[object, object], object]) -> FromSections:
        found = cls.fromkeys(name[len(prefix):] for name in sections.offsets
                             if name.startswith(prefix) and "#" not in name)
        found.sections, found.prefix, found.make = sections, prefix, make
        return found

    def __getitem__(self, key: object) -> object:
        value = dict.__getitem__(self, key)
        if value is None:
            value = self.make(key, marshal.loads(self.sections.read(f"{self.prefix}{key}")))
            dict.__setitem__(self, key, value)
        return value


def load_sources(mappings: dict[str, str | Path], tsvs: dict[str, str | Path], keyed: tuple[str, ...] = ()) \
        -> tuple[dict[str, MappingSet], dict[str, list[dict] | dict[str, dict]], str | None, bool]:
    """(mapping sets by name, TSV rows by name, their twin's path, whether they came from it, i.e. passed the
    file checks before). The TSVs named in ``keyed`` come as ``{row["code"]: row}`` (the last row of a code
    wins). Files that cannot be read or parsed raise as read_sssom/read_tsv do. From the twin, every set and
    table is decoded when first read: a question about one code reads a few of them."""
    try:
        twin: str | None = twin_for(mappings, tsvs)
    except OSError:
        twin = None  # an unreadable source: reading it below says which
    found = read_sections(twin) if twin is not None else None
    plain = {f"tsv:{k}" for k in tsvs if k not in keyed}
    if found is not None and {name for name in found.offsets if "#" not in name} == {f"sets:{k}" for k in mappings} | plain | {"keyed"}:
        sets = FromSections.of(found, "sets:", lambda key, value: MappingSet(mappings[key], *value))  # type: ignore[index, misc]
        rows = FromSections.of(found, "tsv:", lambda key, value: value)
        buckets = marshal.loads(found.read("keyed"))
        if type(buckets) is dict and set(buckets) == {k for k in tsvs if k in keyed}:
            for key, (count, first) in buckets.items():  # each code's row read with its bucket (answer.twin.Buckets)
                dict.__setitem__(rows, key, Buckets.of(found, f"tsv:{key}", count, first))
            return sets, rows, twin, True  # type: ignore[return-value]
    # a twin of another shape: parse afresh and overwrite it
    from pathlib import Path

    sets = {key: read_sssom(Path(path)) for key, path in mappings.items()}
    parsed = {key: read_tsv(Path(path)) for key, path in tsvs.items()}
    return sets, {key: {r["code"]: r for r in value} if key in keyed else value for key, value in parsed.items()}, twin, False


def split_off(sets: dict[str, MappingSet], key: str) -> tuple[dict[str, MappingSet], dict[str, MappingSet]]:
    """(the sets without ``key``, the set ``key`` alone), both as lazy as ``sets``."""
    rest, alone = type(sets)(dict.items(sets)), type(sets)({key: dict.__getitem__(sets, key)})
    dict.__delitem__(rest, key)
    if isinstance(sets, FromSections):
        for part in (rest, alone):
            part.sections, part.prefix, part.make = sets.sections, sets.prefix, sets.make  # type: ignore[attr-defined]
    return rest, alone


def remember_sources(twin: str, sets: dict[str, MappingSet], rows: dict[str, list[dict] | dict[str, dict]]) -> None:
    """Write the twin of sources that passed the file checks (quietly not, where the cache is not writable):
    one blob per set and table, the keyed tables in buckets of codes (answer.twin.bucket_sections)."""
    sections = {f"sets:{key}": marshal.dumps((s.metadata, s.curie_map, s.rows)) for key, s in sets.items()}
    buckets = {}
    for key, value in rows.items():
        if isinstance(value, dict):
            buckets[key] = bucket_sections(f"tsv:{key}", value, sections)
        else:
            sections[f"tsv:{key}"] = marshal.dumps(value)
    sections["keyed"] = marshal.dumps(buckets)
    write_sections(twin, sections)


def checked(twin: str | None, index: dict, remember: bool = False) -> bool:
    """Did the sources of ``twin`` pass the check against ``index`` before (``remember``: they just did)? Kept
    only for the shipped index, as an empty marker file named by the twin and the index's identity (answer.twin)."""
    if twin is None:
        return False
    from ..answer.index import read_index
    from ..paths import RUNTIME_INDEX_PATH

    try:
        identity = stat_identity(RUNTIME_INDEX_PATH)
    except OSError:
        return False
    if identity is None or index is not read_index():
        return False
    marker = f"{twin}.checked-{zlib.crc32(identity.encode()):08x}"
    if remember:
        write_twin(marker, None)
    return os.path.exists(marker)


class SourceTables:
    """The code tables' look-up tables, each built from ``sets`` and ``rows`` (set by the subclass) on first use: a
    cold question about one code reads a few of them, and a set or table is decoded only when one needs it."""

    sets: dict[str, MappingSet]
    rows: dict[str, list[dict] | dict[str, dict]]
    _needle: dict[str, MappingSet]

    LAZY = {"axes", "system_labels", "root_operations", "approach_labels", "pcs_codes", "cm_codes", "body_parts",
            "whole_body", "operations", "needle_operations", "approach_terms", "patterns", "patterns_by_part", "cm_rules"}

    def __getattr__(self, name: str) -> object:  # only for attributes not yet set: the LAZY tables, built once
        if name not in SourceTables.LAZY:
            raise AttributeError(name)
        value = getattr(self, f"_make_{name}")()
        setattr(self, name, value)
        return value

    def _make_axes(self) -> dict:
        return {(r["body_system_code"], r["body_part_code"]): r for r in self.rows["spine_axes"]}

    def _make_system_labels(self) -> dict:
        return {r["body_system_code"]: r["body_system_label"] for r in self.axes.values()}

    def _make_root_operations(self) -> dict:
        return {r["code"]: r["value"] for r in self.rows["root_operations"]}

    def _make_approach_labels(self) -> dict:
        return {r["code"]: r["value"] for r in self.rows["approaches"]}

    def _make_pcs_codes(self) -> dict:
        return self.rows["spine_codes"]  # code → row, decoded when read

    def _make_cm_codes(self) -> dict:
        return self.rows["cm"]

    def _make_body_parts(self) -> dict:
        return {local(row["subject_id"])[len("body-part-0"):]: row for row in self.sets["body_parts"].rows}

    def _make_whole_body(self) -> dict:
        # every other section-0 body part: its whole-body term, which names it in explanations (the verdict is
        # "no", "no" as for any body part outside the spine and back tables; tests prove the term entails it)
        return {local(row["subject_id"])[len("body-part-0"):]: row for row in self.sets["whole_body"].rows
                if row["subject_id"].startswith("PCSAXIS:body-part-0")}

    def _make_operations(self) -> dict:
        return {local(row["subject_id"])[len("operation-"):]: row for row in self.sets["operations"].rows}

    def _make_needle_operations(self) -> dict:
        return {local(row["subject_id"])[len("operation-"):]: row for row in self._needle["needle"].rows}

    def _make_approach_terms(self) -> dict:
        return {local(row["subject_id"]): local(row["object_id"]) for row in self.sets["approaches"].rows}

    def _make_patterns(self) -> list:
        patterns = [(local(row["subject_id"])[len("pattern-"):], row) for row in self.sets["procedures"].rows]
        return sorted(patterns, key=lambda item: -sum(ch != "_" for ch in item[0]))  # most fixed first; ties in file order

    def _make_patterns_by_part(self) -> dict:
        # by body system + body part (every pattern fixes both), so a code scans only its own few patterns
        by_part: dict[str, list[tuple[str, dict]]] = {}
        for pattern, row in self.patterns:
            by_part.setdefault(pattern[1] + pattern[3], []).append((pattern, row))
        return by_part

    def _make_cm_rules(self) -> dict:
        return {local(row["subject_id"]): row for row in self.sets["cm"].rows}

