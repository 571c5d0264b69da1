"""Resource limits for everything spinekg reads from a user's file, so a hostile file ends in exit 2
naming the limit instead of an out-of-memory kill, a crash or a hang.

Each limit has a documented default (README, "Security") and is raised per run with the global option
``spinekg --limit NAME=VALUE`` or the environment variable ``SPINEKG_LIMITS="NAME=VALUE,..."`` (the
option wins; query processes started by ``serve`` inherit the environment). Pure Python, no imports
beyond the standard library, so every layer may read it.
"""
from __future__ import annotations

import os

from ..errors import SpinekgError

ENV = "SPINEKG_LIMITS"
DEFAULTS: dict[str, int] = {
    "file-bytes": 512 * 1024 * 1024,  # one input file (RDF, CSV, Parquet, query, profile)
    "triples": 5_000_000,  # triples (or quads) in one RDF file
    "literal-bytes": 1_000_000,  # one literal, in UTF-8 bytes
    "line-bytes": 4_000_000,  # one line of an N-Triples/N-Quads/CSV file
    "depth": 100,  # nesting of JSON-LD objects/arrays, Turtle [ ] and ( ), XML elements
    "list-items": 100_000,  # rdf:List members (rdf:first triples) in one file
    "xml-entities": 64,  # internal DTD entities declared in one RDF/XML file
    "columns": 1_000,  # columns of one CSV/Parquet table
    "query-bytes": 1_000_000,  # one SPARQL query text
    "query-seconds": 60,  # wall time of one `spinekg query` (0: no limit)
    "query-rows": 1_000_000,  # rows of one `spinekg query` answer
    "text-chars": 10_000,  # one procedure text read by the text reader (an operative note's procedure section)
}
_overrides: dict[str, int] = {}


def parse_setting(text: str) -> tuple[str, int]:
    """``NAME=VALUE`` → (name, value); a one-line error for an unknown name or a bad number."""
    name, sep, value = text.partition("=")
    name = name.strip().lower()
    if not sep or name not in DEFAULTS:
        raise SpinekgError(f"--limit {text!r}: expected NAME=VALUE with NAME one of {', '.join(DEFAULTS)}")
    try:
        number = int(value.strip().replace("_", ""))
    except ValueError:
        raise SpinekgError(f"--limit {text!r}: {value.strip()!r} is not a whole number") from None
    if number < 0 or number > 2**62:
        raise SpinekgError(f"--limit {text!r}: the value must be between 0 and 2**62")
    return name, number


def configure(settings: list[str]) -> None:
    """Apply ``--limit`` settings for this process (replacing earlier ones) and export them for child
    processes."""
    _overrides.clear()
    for text in settings:
        name, number = parse_setting(text)
        _overrides[name] = number
    if _overrides:
        merged = dict(_from_env())
        merged.update(_overrides)
        os.environ[ENV] = ",".join(f"{k}={v}" for k, v in sorted(merged.items()))


def _from_env() -> dict[str, int]:
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return {}
    return dict(parse_setting(item) for item in raw.split(",") if item.strip())


def get(name: str) -> int:
    """The limit in force (``--limit`` > ``$SPINEKG_LIMITS`` > default)."""
    if name in _overrides:
        return _overrides[name]
    try:
        env = _from_env()
    except SpinekgError as exc:
        raise SpinekgError(f"${ENV}: {exc.message}") from None
    return env.get(name, DEFAULTS[name])


def exceeded(where: str, name: str, what: str) -> SpinekgError:
    """The one-line error for a limit passed: names the file, the limit and how to raise it."""
    return SpinekgError(f"{where}: {what} exceeds the {name} limit of {get(name)} "
                        f"(raise it with 'spinekg --limit {name}=N')")
