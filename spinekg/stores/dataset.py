"""The query-ready dataset a question runs over: the released edges graph (under a profile when asked),
case records with their derived verdicts, or an on-disk store checked to hold what a question needs."""
from __future__ import annotations

from pathlib import Path

from ..errors import EXIT_ENVIRONMENT, SpinekgError
from ..namespaces import BACK_SURGERY_SITE, SPINEKG
from ..sparql.engines import make_engine


# ---- where the graphs come from at run time ----------------------------------------------------
def release_edges_path() -> Path | None:
    """The released query-ready graph shipped in the package (written by ``spinekg build``), if present."""
    from ..paths import DATA_DIR

    for name in ("spinekg-edges.nt", "spinekg-edges.ttl"):
        candidate = DATA_DIR / "release" / name
        if candidate.is_file():
            return candidate
    return None


def require_release_edges() -> Path:
    edges = release_edges_path()
    if edges is None:
        raise SpinekgError("the released query-ready graph (spinekg/data/release/spinekg-edges.nt) is missing; "
                           "run 'spinekg build'", EXIT_ENVIRONMENT)
    return edges


def runtime_engine(kind: str, graph: str, data: list[Path] | None = None, profile: str | None = None):  # type: ignore[no-untyped-def]
    """An engine over what a question needs, without Java: case data (the given files, else the example
    cases for a ``cases`` question) made query-ready with its derived verdicts, and the released
    query-ready graph. Data files load first, so a malformed one is reported (exit 2) before anything
    else is needed. ``profile``: a non-default definition of back surgery (``spinekg profiles``) that the
    ontology's per-procedure and per-site answers and the case verdicts follow."""
    from ..cases.verdicts import add_verdicts
    from ..cases.records import example_cases_path

    files = list(data or []) or ([example_cases_path()] if graph == "cases" else [])
    engine = make_engine(kind)
    for path in files:
        engine.add_file(Path(path))
    if files:
        add_verdicts(engine, profile)
    add_ontology(engine, profile)
    return engine


def add_ontology(engine, profile: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Load the released query-ready graph, under ``profile`` when one is given."""
    from ..answer.profiles import is_default

    edges = require_release_edges()
    extended = extension_ontology_ntriples(edges)
    if extended is not None:
        engine.add_ntriples(extended)  # extensions are never combined with a profile (see cli._options)
    elif is_default(profile):
        engine.add_file(edges)
    else:
        engine.add_ntriples(profile_ontology_ntriples(str(profile), edges))


def extension_ontology_ntriples(edges: Path | None = None) -> str | None:
    """The query-ready graph with the process's extensions (``spinekg.prepare_extensions``): the released
    lines minus those the extensions' HermiT run no longer entails, plus the new ones. None without one."""
    from ..answer.index import load_index

    change = load_index().get("extension_edges")
    if not change:
        return None
    removed = set(change["removed"])
    kept = [line for line in _ntriples_lines(edges or require_release_edges()) if line not in removed]
    return "\n".join(kept + list(change["added"])) + "\n"


def require_extensions_in_store(directory: Path, engine=None) -> None:  # type: ignore[no-untyped-def]
    """A store answers with the process's extensions only if it was loaded with them: every triple they add
    to the query-ready graph must be in it."""
    from ..answer.index import load_index

    index = load_index()
    change = index.get("extension_edges")
    if not change or not change["added"]:
        return
    if engine is None:
        from . import embedded

        engine = embedded.store_engine(Path(directory))
    pattern = " ".join(line.rstrip().rstrip(".").rstrip() + " ." for line in change["added"])
    if not engine.query("ASK { " + pattern + " }").boolean:
        names = ", ".join(index.get("extensions", []))
        raise SpinekgError(f"{directory}: the store was not loaded with the extension(s) {names}; load them into it: "
                           f"'spinekg load --store {directory} --extension FILE ...'")


RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_PROFILED = {"yes": SPINEKG + "BackSurgery", "no": SPINEKG + "NotBackSurgery"}
SITE_VALUES = ("yes", "no", "depends")  # of BACK_SURGERY_SITE, the per-site answer of every anatomy class
_TARGETS = frozenset(f"<{iri}>" for iri in _PROFILED.values())
_SITE = f"<{BACK_SURGERY_SITE}>"


def profile_ontology_ntriples(profile: str, edges: Path | None = None) -> str:
    """The query-ready graph under a profile: the profile's overlay (HermiT under the profile, built by
    ``spinekg build``) replaces the two kinds of released triples that depend on the definition of back
    surgery: each procedure's ``rdfs:subClassOf spinekg:BackSurgery`` / ``spinekg:NotBackSurgery`` and each
    anatomy class's ``spinekg:backSurgerySite`` value. Everything else is as released; under the seed
    profile this is the released graph."""
    from ..answer.profiles import load_overlay

    edges = edges or require_release_edges()
    overlay = load_overlay(profile)
    procedures = {f"<{SPINEKG}{name}>" for name in overlay["procedures"]} - _TARGETS
    anatomy = {f"<{SPINEKG}{name}>" for name in overlay["anatomy"]}
    kept = [line for line in _ntriples_lines(edges) if not _is_profiled(line, procedures, anatomy)]
    return "\n".join(kept + _procedure_lines(overlay, procedures) + _site_lines(overlay)) + "\n"


def _is_profiled(line: str, procedures: set[str], anatomy: set[str]) -> bool:
    """Is this released N-Triples line one that the profile's overlay replaces?"""
    parts = line.split(None, 3)
    if len(parts) < 3:
        return False
    if parts[1] == _SITE:
        return parts[0] in anatomy
    return parts[1] == f"<{RDFS_SUBCLASS}>" and parts[2] in _TARGETS and parts[0] in procedures


def _procedure_lines(overlay: dict, procedures: set[str]) -> list[str]:
    """The overlay's procedure answers as subclass edges ("depends": neither edge)."""
    lines = []
    for name, answer in sorted(overlay["procedures"].items()):
        subject = f"<{SPINEKG}{name}>"
        if answer in _PROFILED and subject in procedures:
            lines.append(f"{subject} <{RDFS_SUBCLASS}> <{_PROFILED[answer]}> .")
    return lines


def _site_lines(overlay: dict) -> list[str]:
    """The overlay's per-site answers, one literal per anatomy class, as the release writes them."""
    return [f'<{SPINEKG}{name}> {_SITE} "{answer}" .'
            for name, answer in sorted(overlay["anatomy"].items()) if answer in SITE_VALUES]


def _ntriples_lines(path: Path) -> list[str]:
    if path.suffix == ".nt":
        return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    from ..rdf.parse import parse_file

    return [line for line in parse_file(path).serialize(format="nt").splitlines() if line.strip()]


def store_engine(directory: Path, graph: str = "ontology"):  # type: ignore[no-untyped-def]
    """An engine over an on-disk store made by ``spinekg load --store DIR`` (read-only), checked to hold
    what a ``graph`` question needs: the query-ready ontology, and for ``cases`` query-ready case records."""
    from . import embedded

    directory = Path(directory)
    engine = embedded.store_engine(directory)
    prefix = f"PREFIX spinekg: <{SPINEKG}> "
    if not engine.query(prefix + "ASK { spinekg:BackSurgery ?p ?o }").boolean:
        raise SpinekgError(f"{directory}: the store holds no spinekg ontology; load it with 'spinekg load --store {directory}'")
    if graph != "cases":
        return engine
    if not engine.query(prefix + "ASK { ?case a spinekg:SurgicalCase }").boolean:
        raise SpinekgError(f"{directory}: the store holds no case records; load them with "
                           f"'spinekg load --store {directory} CASES.ttl'")
    if engine.query(prefix + "ASK { ?case a spinekg:SurgicalCase FILTER NOT EXISTS { ?case spinekg:spineSurgeryVerdict ?s ; "
                             "spinekg:backSurgeryVerdict ?b } }").boolean:
        raise SpinekgError(f"{directory}: the store's case records carry no derived verdicts (spinekg:backSurgeryVerdict), "
                           f"which case questions read; load the records again without --no-verdicts: "
                           f"'spinekg load --store {directory} CASES.ttl'")
    if not engine.query(prefix + "ASK { ?case spinekg:expectedRecovery ?recovery }").boolean and \
            engine.query(prefix + "ASK { ?case spinekg:hasProcedure ?p . ?p a ?type . ?type spinekg:typicalRecovery ?r }").boolean:
        raise SpinekgError(f"{directory}: the store's case records carry no spinekg:expectedRecovery (loaded by an "
                           f"older spinekg); load them again: 'spinekg load --store {directory} CASES.ttl'")
    return engine
