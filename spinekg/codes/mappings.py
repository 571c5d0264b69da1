"""Read the SSSOM mapping files (ICD code axes to ontology terms) shipped in ontology/mappings/."""
from __future__ import annotations

from ..answer.records import Record
from ..errors import SpinekgError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


# -- SSSOM --------------------------------------------------------------------------------------------
class MappingSet(Record):
    """One SSSOM TSV file: its YAML-style metadata header and its rows (a Record: no dataclasses on the cold path)."""

    FIELDS = ("path", "metadata", "curie_map", "rows")

    def __init__(self, path: Path, metadata: dict[str, str], curie_map: dict[str, str], rows: list[dict[str, str]]):
        self.path, self.metadata, self.curie_map, self.rows = path, metadata, curie_map, rows


def read_sssom(path: Path) -> MappingSet:
    """Read an SSSOM TSV file (the ``#`` header holds ``curie_map`` and key: value metadata)."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except OSError as exc:
        raise SpinekgError(f"{path}: cannot read ({exc.strerror})") from None
    metadata: dict[str, str] = {}
    curie_map: dict[str, str] = {}
    header_lines = 0
    in_map = False
    for line in lines:
        if not line.startswith("#"):
            break
        header_lines += 1
        body = line[1:]
        if body.startswith("  ") and in_map:
            key, _, value = body.strip().partition(":")
            curie_map[key.strip()] = value.strip()
            continue
        key, _, value = body.strip().partition(":")
        in_map = key == "curie_map"
        if not in_map:
            metadata[key.strip()] = value.strip()
    body = lines[header_lines:]
    if not body or not body[0].strip():
        raise SpinekgError(f"{path}:{header_lines + 1}: expected the SSSOM column header")
    columns = body[0].rstrip("\r").split("\t")
    for required in ("subject_id", "predicate_id", "object_id", "mapping_justification"):
        if required not in columns:
            raise SpinekgError(f"{path}:{header_lines + 1}: SSSOM header lacks column {required}")
    rows = []
    for number, line in enumerate(body[1:], start=header_lines + 2):
        if not line.strip():
            continue
        cells = line.rstrip("\r").split("\t")
        if len(cells) != len(columns):
            raise SpinekgError(f"{path}:{number}: expected {len(columns)} tab-separated cells, found {len(cells)}")
        rows.append({**dict(zip(columns, cells)), "__line__": f"{path.name}:{number}"})
    for row in rows:
        for column in ("subject_id", "object_id", "predicate_id"):
            prefix = row[column].partition(":")[0]
            if prefix not in curie_map:
                raise SpinekgError(f"{row['__line__']}: {column} {row[column]!r} uses prefix {prefix!r} missing from curie_map")
    for key in ("mapping_set_id", "license"):
        if key not in metadata:
            raise SpinekgError(f"{path}: SSSOM header lacks {key}")
    return MappingSet(path, metadata, curie_map, rows)


def local(curie: str) -> str:
    return curie.partition(":")[2]

