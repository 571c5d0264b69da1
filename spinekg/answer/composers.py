"""The composer for an index and a profile (cached), and classification of a procedure term at given
sites: the entry points that SHACL, the code tables and the tests share."""
from __future__ import annotations


from ..errors import SpinekgError
from .index import load_index
from .reading import Reading
from .composer import Composer, Verdict


_COMPOSERS: dict[int, Composer] = {}


def composer(index: dict | None = None, profile: str | None = None) -> Composer:
    """The composer for ``index``; with a non-default ``profile`` (a name or a .ttl path), one whose
    back-surgery answers follow that profile (see spinekg.profiles)."""
    if profile is not None and str(profile) != "seed":
        from .profiles import profile_composer

        return profile_composer(profile, index)
    index = index if index is not None else load_index()
    key = id(index)
    if key not in _COMPOSERS:
        _COMPOSERS[key] = Composer(index)
    return _COMPOSERS[key]


def classify_procedure(procedure: str, sites: list[str] | None = None, index: dict | None = None,
                       profile: str | None = None) -> Verdict:
    """Classify a known procedure term at explicit anatomy terms (used by tests, SHACL and code mappings)."""
    comp = composer(index, profile)
    if procedure not in comp.procedures:
        raise SpinekgError(f"{procedure!r} is not a procedure term")
    return comp.verdict(procedure, Reading(procedure, list(sites or [])))
