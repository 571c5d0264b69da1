"""Find the ontology, queries and generated data, in a wheel or in a source checkout."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# SPINEKG_DATA_DIR: answer from (and build into) generated data elsewhere, e.g. what 'spinekg build --out DIR'
# wrote from a source tree; SPINEKG_SOURCE_DIR: the source tree (ontology/, queries/) to read instead of the
# shipped one. 'spinekg build' sets both for its own run; nothing else needs them.
DATA_DIR = Path(os.environ["SPINEKG_DATA_DIR"]).resolve() if os.environ.get("SPINEKG_DATA_DIR") else PACKAGE_DIR / "data"
RUNTIME_INDEX = DATA_DIR / "runtime-index.json"


@lru_cache(maxsize=None)
def shipped_dir(name: str) -> Path:
    """Directory ``ontology``, ``queries`` or ``docs``: in the source tree named by ``SPINEKG_SOURCE_DIR``,
    else shipped inside the wheel, else at the repository top."""
    source = os.environ.get("SPINEKG_SOURCE_DIR")
    if source:
        chosen = Path(source).resolve() / name
        if chosen.is_dir():
            return chosen
        raise FileNotFoundError(f"{chosen}: the source tree has no {name!r} directory")
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
    """The source checkout this package runs from (or ``SPINEKG_SOURCE_DIR``), if any (generation writes there)."""
    source = os.environ.get("SPINEKG_SOURCE_DIR")
    top = Path(source).resolve() if source else PACKAGE_DIR.parent
    return top if (top / "ontology" / "templates").is_dir() and (top / "pyproject.toml").is_file() else None


def cache_dir() -> Path:
    """The user's cache directory for reasoned user files (profiles, extensions): ``SPINEKG_CACHE_DIR``,
    else ``$XDG_CACHE_HOME/spinekg``, else ``~/.cache/spinekg``. Never inside the installed package."""
    explicit = os.environ.get("SPINEKG_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "spinekg"


def is_source_tree(directory: Path) -> bool:
    """A spinekg checkout (or unpacked sdist): what 'spinekg build' builds from."""
    return (directory / "ontology" / "spinekg.ttl").is_file() and (directory / "queries").is_dir()


def find_source_tree(start: Path) -> Path | None:
    """The checkout that ``start`` is in (itself or a parent), if any."""
    for directory in [start, *start.parents]:
        if is_source_tree(directory) and (directory / "pyproject.toml").is_file():
            return directory
    return None


def inside_installed_package(path: Path) -> bool:
    """Is ``path`` inside an installed package (site-packages / dist-packages)? Builds never write there."""
    return any(part in ("site-packages", "dist-packages") for part in path.resolve().parts)
