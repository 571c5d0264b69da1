"""Find the ontology, queries and generated data, in a wheel or in a source checkout."""
from __future__ import annotations

import os
from .memo import remember  # functools.lru_cache without importing functools

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

# The answer path works with the plain strings (*_PATH): pathlib, with the urllib.parse and ipaddress it
# imports, is ~5 ms of a cold answer. PACKAGE_DIR, DATA_DIR and RUNTIME_INDEX are the same places as Paths,
# made on first use (module __getattr__), for everything else.
PACKAGE_PATH = os.path.dirname(os.path.realpath(__file__))
# SPINEKG_DATA_DIR: answer from (and build into) generated data elsewhere, e.g. what 'spinekg build --out DIR'
# wrote from a source tree; SPINEKG_SOURCE_DIR: the source tree (ontology/, queries/) to read instead of the
# shipped one. 'spinekg build' sets both for its own run; nothing else needs them.
DATA_PATH = os.path.realpath(os.environ["SPINEKG_DATA_DIR"]) if os.environ.get("SPINEKG_DATA_DIR") \
    else os.path.join(PACKAGE_PATH, "data")
RUNTIME_INDEX_PATH = os.path.join(DATA_PATH, "runtime-index.json")
_AS_PATH = {"PACKAGE_DIR": PACKAGE_PATH, "DATA_DIR": DATA_PATH, "RUNTIME_INDEX": RUNTIME_INDEX_PATH}


def __getattr__(name: str) -> Path:
    if name not in _AS_PATH:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from pathlib import Path

    value = globals()[name] = Path(_AS_PATH[name])
    return value


@remember(maxsize=None)
def shipped_dir(name: str) -> Path:
    """Directory ``ontology``, ``queries`` or ``docs``: in the source tree named by ``SPINEKG_SOURCE_DIR``,
    else shipped inside the wheel, else at the repository top."""
    from pathlib import Path

    return Path(shipped_path(name))


@remember(maxsize=None)
def shipped_path(name: str) -> str:
    """``shipped_dir(name)`` as a string (the code tables' cold path: no pathlib)."""
    source = os.environ.get("SPINEKG_SOURCE_DIR")
    if source:
        chosen = os.path.join(os.path.realpath(source), name)
        if os.path.isdir(chosen):
            return chosen
        raise FileNotFoundError(f"{chosen}: the source tree has no {name!r} directory")
    inside = os.path.join(PACKAGE_PATH, "_shipped", name)
    if os.path.isdir(inside):
        return inside
    beside = os.path.join(os.path.dirname(PACKAGE_PATH), name)
    if os.path.isdir(beside):
        return beside
    raise FileNotFoundError(f"spinekg data directory {name!r} is missing from this installation")


def ontology_dir() -> Path:
    return shipped_dir("ontology")


def ontology_path() -> str:
    return shipped_path("ontology")


def queries_dir() -> Path:
    return shipped_dir("queries")


def repository_root() -> Path | None:
    """The source checkout this package runs from (or ``SPINEKG_SOURCE_DIR``), if any (generation writes there)."""
    from pathlib import Path

    source = os.environ.get("SPINEKG_SOURCE_DIR")
    top = Path(source).resolve() if source else Path(PACKAGE_PATH).parent
    return top if (top / "ontology" / "templates").is_dir() and (top / "pyproject.toml").is_file() else None


def cache_dir() -> Path:
    """The user's cache directory for reasoned user files (profiles, extensions): ``SPINEKG_CACHE_DIR``,
    else ``$XDG_CACHE_HOME/spinekg``, else ``~/.cache/spinekg``. Never inside the installed package."""
    from pathlib import Path

    return Path(cache_path())


def cache_path() -> str:
    """``cache_dir()`` as a string (the answer path's twins live there)."""
    explicit = os.environ.get("SPINEKG_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "spinekg")


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
