"""The procedure checks evaluated in Python over N-Triples keys, shared by the batch path (spinekg.shacl.records)
and the one-run path (spinekg.shacl.whole): sites a procedure excludes, approaches its type excludes."""
from __future__ import annotations

from typing import Callable, Iterable

from rdflib import URIRef

from ..namespaces import SPINEKG
from .case_data import TYPE_KEY, key_term
from .checks import approach_problem, site_problem
from .shapes import HAS_APPROACH, HAS_PROCEDURE, HAS_SITE, LEVEL_TEXT

HAS_PROCEDURE_KEY = f"<{HAS_PROCEDURE}>"
HAS_SITE_KEY = f"<{HAS_SITE}>"
HAS_APPROACH_KEY = f"<{HAS_APPROACH}>"
LEVEL_TEXT_KEY = f"<{LEVEL_TEXT}>"
SPINEKG_KEY = f"<{SPINEKG}"


def restriction_problems(comp, values: Callable[[str, str], Iterable[str]], procedures: Iterable[str],  # type: ignore[no-untyped-def]
                         approach_subjects: Iterable[str], derived: dict[str, list[str]]) -> tuple[list, list]:
    """(site problems, approach problems) as :func:`add_python_results` takes them: the sites each procedure
    excludes, the approaches its type excludes. ``values(subject, predicate key)`` gives a subject's objects.
    Decided once per distinct (types, sites) and (types, approaches): 100k records hold a few hundred."""
    site_problems, approach_problems = [], []
    decided: dict[tuple, object] = {}  # by the keys as written: the local names are worked out once per key
    for procedure in procedures:
        kinds = values(procedure, TYPE_KEY)
        sites = values(procedure, HAS_SITE_KEY)
        site_types = tuple(values(sites[0], TYPE_KEY)) if len(sites) == 1 else tuple(
            t for site in sites for t in values(site, TYPE_KEY))
        key = ("site", tuple(kinds), site_types, tuple(derived.get(procedure, ())))
        found = decided.get(key, decided)
        if found is decided:
            found = decided[key] = site_problem(comp, tuple(_local(o) for o in kinds),
                                                tuple(_local(t) for t in site_types) + key[3])
        if found is not None:
            site_problems.append((key_term(procedure), None, found))
    for subject in approach_subjects:
        kinds = values(subject, TYPE_KEY)
        recorded = values(subject, HAS_APPROACH_KEY)
        key = ("approach", tuple(kinds), tuple(recorded))
        found = decided.get(key, decided)
        if found is decided:
            found = decided[key] = approach_problem(comp, tuple(_local(o) for o in kinds), tuple(
                o[1 + len(SPINEKG):-1] for o in recorded if o.startswith(SPINEKG_KEY)))
        if found is not None:
            approach_problems.append((key_term(subject), URIRef(SPINEKG + found[1]) if found[1] else None, found[0]))  # type: ignore[index]
    return site_problems, approach_problems


def _local(key: str) -> str:
    """The spinekg local name of a key (non-spinekg terms give names no index knows)."""
    if key.startswith(SPINEKG_KEY):
        return key[1 + len(SPINEKG):-1]
    if key[0] == '"':  # a literal as a type: what str(term) would give
        text = str(key_term(key))
        return text[len(SPINEKG):] if text.startswith(SPINEKG) else ""
    return ""
