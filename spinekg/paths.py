"""Find the ontology, queries and generated data, in a wheel or in a source checkout."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
RUNTIME_INDEX = DATA_DIR / "runtime-index.json"


@lru_cache(maxsize=None)
def shipped_dir(name: str) -> Path:
    """Directory ``ontology`` or ``queries``: shipped inside the wheel, else at the repository top."""
    inside = PACKAGE_DIR / "_shipped" / name
    if inside.is_dir():
        return inside
    beside = PACKAGE_DIR.parent / name
    if beside.is_dir():
        return beside
    raise FileNotFoundError(f"spinekg data directory {name!r} is missing from this installation")


def ontology_dir() -> Path:
    return shipped_dir("ontology")


def queries_dir() -> Path:
    return shipped_dir("queries")


def repository_root() -> Path | None:
    """The source checkout this package runs from, if any (generation writes there)."""
    top = PACKAGE_DIR.parent
    return top if (top / "ontology" / "templates").is_dir() and (top / "pyproject.toml").is_file() else None
