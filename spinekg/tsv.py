"""Strict TSV reading with file:line locations in every error."""
from __future__ import annotations

from .errors import SpinekgError

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: pathlib stays off the cold code path
    from pathlib import Path


def read_tsv(path: Path, required: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """Rows of a tab-separated file as dicts; each row also carries ``__line__`` for error messages."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SpinekgError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise SpinekgError(f"{path}: cannot read ({exc.strerror})") from None
    lines = text.split("\n")
    if not lines or not lines[0].strip():
        raise SpinekgError(f"{path}:1: empty file, expected a header row")
    header = lines[0].rstrip("\r").split("\t")
    missing = [c for c in required if c not in header]
    if missing:
        raise SpinekgError(f"{path}:1: header lacks column(s) {', '.join(missing)}")
    rows, name = [], path.name  # the name once, not per row (a pathlib property call each time)
    for number, line in enumerate(lines[1:], start=2):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != len(header):
            raise SpinekgError(f"{path}:{number}: expected {len(header)} tab-separated cells, found {len(cells)}")
        row = dict(zip(header, cells))
        row["__line__"] = f"{name}:{number}"
        rows.append(row)
    return rows
