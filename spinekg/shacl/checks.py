"""The case-record checks SHACL cannot express, evaluated in Python and reported as SHACL results.

Levels written as text are read with the level reader of ``spinekg classify`` (and become sites), sites a
procedure excludes are decided by its composer, and approach unions a procedure type requires ("open or
minimally invasive") are checked against the recorded approaches. Each problem is a (focus, value, message)
triple that :func:`spinekg.shacl_report.add_python_results` writes under the shape and template below.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from ..errors import SpinekgError
from ..namespaces import SPINEKG
from .report import clean_error
from .shapes import CASE_SHAPE_FILES, HAS_APPROACH, HAS_PROCEDURE, HAS_SITE, LEVEL_TEXT, SHAPES, load_shapes

SITE_TEMPLATE = "The site contradicts the procedure: {message}."
APPROACH_TEMPLATE = "The recorded approach contradicts the procedure: {message}."
LEVEL_TEMPLATE = "Level {value!r}: {message}."


# ---- levels written as text -----------------------------------------------------------------------

def level_text_findings(data: Graph, index: dict | None = None) -> tuple[list[tuple[URIRef, Literal, str]], Graph]:
    """Check every ``spinekg:levelText`` with the level reader; return (problems, sites for valid ones).

    A valid level becomes a site of the procedure (the anatomy ``spinekg classify`` reads from the same
    words), so the other shapes and the rules treat text levels and typed sites alike.
    """
    from ..answer.index import load_index
    from ..answer.levels import find_levels
    from ..answer.reading import _span_sites

    index = index if index is not None else load_index()
    problems: list[tuple[URIRef, Literal, str]] = []
    sites = Graph()
    for procedure, text in sorted(data.subject_objects(LEVEL_TEXT)):
        if not isinstance(text, Literal):
            continue  # the SHACL datatype constraint reports it
        words = str(text)
        if len(words) > 100:
            continue  # sh:maxLength reports it
        try:
            spans, rest = find_levels(words, root_context=True)
        except Exception as exc:  # SpinekgError from the reader: the message names the level
            problems.append((procedure, text, f"{clean_error(exc)}"))
            continue
        if not spans:
            problems.append((procedure, text, f"no vertebral level found in {words!r}; write levels such as "
                                              f"'L4-L5', 'L5-S1' or 'C5'"))
            continue
        if rest.strip(" ,;"):
            problems.append((procedure, text, f"{words!r} holds more than levels ({rest!r}); write only levels "
                                              f"such as 'L4-L5'"))
            continue
        kinds = _local_types(data, procedure)
        known = sorted(k for k in kinds if k in index["procedures"])  # sorted: the same reading in any order
        if not known:
            continue  # the procedure type is reported by the shapes; no sites to derive
        try:
            for span in spans:
                for site in _span_sites(span, known[0], "", index):
                    node = BNode()
                    sites.add((procedure, HAS_SITE, node))
                    sites.add((node, RDF.type, URIRef(SPINEKG + site)))
        except Exception as exc:
            problems.append((procedure, text, clean_error(exc)))
    return problems, sites


def _local_types(data: Graph, node) -> list[str]:  # type: ignore[no-untyped-def]
    """The spinekg local names of ``node``'s types (what the composer reads)."""
    return [str(t)[len(SPINEKG):] for t in data.objects(node, RDF.type) if str(t).startswith(SPINEKG)]


def site_restriction_findings(data: Graph, index: dict | None = None) -> list[tuple]:
    """Procedures recorded at sites their class excludes, decided exactly as ``spinekg classify`` does."""
    from ..answer.composers import composer

    comp = composer(index)
    problems = []
    for procedure in set(data.objects(None, HAS_PROCEDURE)):
        kinds = _local_types(data, procedure)
        sites = [name for site in data.objects(procedure, HAS_SITE) for name in _local_types(data, site)]
        message = site_problem(comp, kinds, sites)
        if message is not None:
            problems.append((procedure, None, message))
    return problems


def site_problem(comp, kinds: Iterable[str], sites: Iterable[str]) -> str | None:  # type: ignore[no-untyped-def]
    """Why a procedure of ``kinds`` cannot be at ``sites`` (local names), or None.

    Sites are sorted, so the message names the same site whatever order the triples came in.
    """
    known = {k for k in kinds if k in comp.procedures}
    sites = sorted({s for s in sites if s in comp.anatomy})
    if len(known) != 1 or not sites:
        return None  # the shapes report a missing or doubled procedure type
    return _checked_sites(comp, known.pop(), tuple(sites))


@lru_cache(maxsize=65536)
def _checked_sites(comp, procedure: str, sites: tuple[str, ...]) -> str | None:  # type: ignore[no-untyped-def]
    """check_sites once per combination: 100k records hold a few hundred (procedure, sites) pairs."""
    try:
        comp.check_sites(procedure, list(sites))
    except SpinekgError as exc:
        return exc.message
    return None


# ---- approaches the procedure type excludes -------------------------------------------------------

APPROACH_GROUPS = {  # the shapes of case-records.ttl that list each group of mutually exclusive approaches
    "InvasivenessGroup": "open, minimally invasive (endoscopic, percutaneous) and external approaches exclude one another",
    "DirectionGroup": "anterior (from the front), posterior (from the back) and lateral (from the side) approaches "
                      "exclude one another",
}


@lru_cache(maxsize=1)
def approach_groups() -> tuple[tuple[str, frozenset[str]], ...]:
    """(group shape, member approaches) from the sh:in lists of case-records.ttl: one source of truth."""
    from rdflib.collection import Collection

    shapes = load_shapes(CASE_SHAPE_FILES)
    groups = []
    for name in APPROACH_GROUPS:
        members = shapes.value(URIRef(SHAPES + name), SH["in"])
        names = frozenset(str(m)[len(SPINEKG):] for m in Collection(shapes, members)) if members is not None else frozenset()
        groups.append((name, names))
    return tuple(groups)


@lru_cache(maxsize=1)
def approach_ancestors() -> dict[str, frozenset[str]]:
    """Every approach class with itself and its superclasses (the ontology graph's subclass closure)."""
    from .case_ontology import subclass_pairs  # the ontology graph's subclass triples, from the disk cache

    parents: dict[str, list[str]] = {}
    for cls, parent in subclass_pairs():
        parents.setdefault(cls, []).append(parent)
    approach = SPINEKG + "SurgicalApproach"
    result = {}
    for cls, found in parents.items():
        if approach in found and cls.startswith(SPINEKG):
            name = cls[len(SPINEKG):]
            result[name] = frozenset([name] + [a[len(SPINEKG):] for a in found if a.startswith(SPINEKG)])
    return result


def approach_problem(comp, kinds: Iterable[str], recorded: Iterable[str]) -> tuple[str, str | None] | None:  # type: ignore[no-untyped-def]
    """Why the ``recorded`` approaches contradict a procedure of ``kinds`` through a union its type requires,
    and the recorded approach to name as the value (None when several are recorded), or None.

    The shapes InvasivenessApproachShape and DirectionApproachShape see the approaches a class requires
    one by one (direct has-approach edges); a requirement such as "open or minimally invasive" (a union)
    has no such edge, so it is checked here: it is contradicted when every option, together with what is
    recorded and required singly, would make the procedure more than one approach of a group. Contradictions
    the shapes already report are left to them.
    """
    ancestors, groups = approach_ancestors(), approach_groups()
    known = sorted({k for k in kinds if k in comp.procedures})
    recorded = sorted({r for r in recorded if r in ancestors})
    if not known or not recorded:
        return None

    def members(names: Iterable[str]) -> set[str]:
        return {a for name in names for a in ancestors.get(name, ()) if any(a in g for _, g in groups)}

    def clash(found: set[str]) -> list[str]:
        return [name for name, group in groups if len(found & group) > 1]

    requirements = [(kind, tuple(r)) for kind in known for r in comp.procedures[kind].get("approaches", [])]
    base = members(recorded) | members(option for _, r in requirements if len(r) == 1 for option in r)
    if clash(base):
        return None  # the core shapes report it
    for kind, options in requirements:
        if len(options) > 1 and all(clash(base | members([option])) for option in options):
            why = sorted({g for option in options for g in clash(base | members([option]))})
            return (f"{comp.label(kind)} is performed through {' or '.join(_a(comp.label(o)) for o in options)}, "
                    f"which excludes the recorded {' and '.join(comp.label(r) for r in recorded)}; "
                    f"{'; '.join(APPROACH_GROUPS[g] for g in why)}", recorded[0] if len(recorded) == 1 else None)
    return None


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def approach_restriction_findings(data: Graph, index: dict | None = None) -> list[tuple]:
    """Procedures whose recorded approach contradicts an approach union of their type (see approach_problem)."""
    from ..answer.composers import composer

    comp = composer(index)
    problems = []
    for procedure in set(data.subjects(HAS_APPROACH, None)):
        kinds = _local_types(data, procedure)
        recorded = [str(a)[len(SPINEKG):] for a in data.objects(procedure, HAS_APPROACH)
                    if isinstance(a, URIRef) and str(a).startswith(SPINEKG)]
        found = approach_problem(comp, kinds, recorded)
        if found is not None:
            problems.append((procedure, URIRef(SPINEKG + found[1]) if found[1] else None, found[0]))
    return problems
