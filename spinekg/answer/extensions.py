"""Extensions at run time: merge a reasoned extension overlay into the runtime index, Java-free.

``spinekg.build.extension_overlays`` reasons the ontology plus the user's extension files with HermiT
once and stores, per index section (terms, lexicon, anatomy, procedures, disorders), the entries that
differ from the shipped index and the keys that are gone. Merging them back gives exactly the index a
full build with the extension would have written, so new procedures are read by text and term and
explained like shipped ones. The overlay is cached sealed (``answer.sealed``) in the user's cache
directory, keyed by the content of the extension files and of the runtime index.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..paths import cache_dir
from .profiles import base_digest

SECTIONS = ("terms", "lexicon", "anatomy", "procedures", "disorders")
FORMAT = 1


def sources_digest(paths: list[Path]) -> str:
    """One digest over the extension files, in the order given (each file's name-free content)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
    return digest.hexdigest()[:16]


def inputs(paths: list[Path]) -> dict:
    """What a cached overlay must have been reasoned from."""
    return {"format": FORMAT, "sources": sources_digest(paths), "base": base_digest()}


def cache_path(paths: list[Path]) -> Path:
    return cache_dir() / "extensions" / f"{sources_digest(paths)}-{base_digest()}.json"


def diff(base: dict, full: dict) -> dict:
    """The overlay that turns ``base`` into ``full`` (both runtime indexes)."""
    changed = {s: {k: v for k, v in full[s].items() if base[s].get(k) != v} for s in SECTIONS}
    removed = {s: sorted(k for k in base[s] if k not in full[s]) for s in SECTIONS}
    return {"changed": changed, "removed": removed}


def merge(base: dict, overlay: dict) -> dict:
    """A new index: ``base`` with the overlay's changed entries replaced and removed keys dropped."""
    merged = dict(base)
    for section in SECTIONS:
        table = dict(base[section])
        table.update(overlay["changed"][section])
        for key in overlay["removed"][section]:
            table.pop(key, None)
        merged[section] = table
    merged["extensions"] = overlay.get("names", [])
    merged["extension_edges"] = overlay.get("edges", {"added": [], "removed": []})
    return merged


def new_procedures(overlay: dict) -> list[str]:
    return sorted(overlay["changed"]["procedures"])
