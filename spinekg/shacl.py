"""SHACL for spinekg: validate case records, extensions and the ontology; derive verdicts with SHACL-AF rules.

One call each, over pySHACL:

* ``validate(data, shapes=None) -> Report`` — ``conforms`` plus findings grouped by record, each with the
  record's label, the property, the offending value and a plain-English message. With the shipped case
  shapes, records are validated independently, in batches and worker processes (``validate_records``):
  100k records in seconds, with the same report as one run over everything.
* ``infer(data) -> Graph`` — only the triples the rules in ``ontology/shapes/rules.ttl`` derive
  (``spinekg:spineSurgeryVerdict``, ``spinekg:backSurgeryVerdict``, ``spinekg:inRegion``).
* ``validate_ontology(extension=None) -> Report`` — the ontology-quality shapes over the shipped ontology
  (plus an extension file).

Why the ontology graph is built here and not loaded from a release file: validation must run without Java.
The graph is the query-ready edges graph (``spinekg.edges``) computed from the asserted ontology and a
subclass closure made of the asserted parents plus what HermiT entailed at build time (the runtime index
keeps it). A test proves it equal to the edges graph of a fresh HermiT run for every class a case record
can use. Each engine run gets the part of it the case shapes read (never validated itself: the case shapes
target records).
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from .errors import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, SpinekgError
from .namespaces import SPINEKG
from .paths import ontology_dir

SHAPES = URIRef(SPINEKG + "shapes/")
CASE = URIRef(SPINEKG + "SurgicalCase")
HAS_PROCEDURE = URIRef(SPINEKG + "hasProcedure")
HAS_SITE = URIRef(SPINEKG + "hasSite")
LEVEL_TEXT = URIRef(SPINEKG + "levelText")
HAS_APPROACH = URIRef(SPINEKG + "hasApproach")
CASE_ID = URIRef(SPINEKG + "caseId")
DERIVED = (URIRef(SPINEKG + "spineSurgeryVerdict"), URIRef(SPINEKG + "backSurgeryVerdict"),
           URIRef(SPINEKG + "inRegion"))
CASE_SHAPE_FILES = ("case-records.ttl",)
QUALITY_SHAPE_FILES = ("ontology-quality.ttl",)
RULE_FILES = ("rules.ttl",)
MAX_FILE_BYTES = 2_000_000_000


def shapes_dir() -> Path:
    return ontology_dir() / "shapes"


# ---- findings and reports -------------------------------------------------------------------------

@dataclass
class Finding:
    """One validation result, in words a clinician-researcher can act on."""

    record: str | None  # the case record the result belongs to (IRI), if any
    record_label: str | None
    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str = "Violation"
    shape: str | None = None
    component: str | None = None

    def to_dict(self) -> dict:
        return {"record": self.record, "record_label": self.record_label, "focus": self.focus, "path": self.path,
                "value": self.value, "message": self.message, "severity": self.severity, "shape": self.shape,
                "component": self.component}


@dataclass
class Report:
    conforms: bool
    findings: list[Finding]
    graph: Graph = field(repr=False)  # the sh:ValidationReport (Python-evaluated results included)

    @property
    def exit_code(self) -> int:
        return 0 if self.conforms else 1

    def to_dict(self) -> dict:
        return {"conforms": self.conforms, "violations": len(self.findings),
                "results": [f.to_dict() for f in self.findings]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=False)

    def to_turtle(self) -> str:
        from .serialize import turtle_text

        return turtle_text(self.graph)

    def to_text(self) -> str:
        if self.conforms:
            return "conforms: no violations"
        groups: dict[tuple[str, str], list[Finding]] = {}
        for finding in self.findings:
            key = (finding.record or finding.focus, finding.record_label or "") if finding.record else (finding.focus, "")
            groups.setdefault(key, []).append(finding)
        lines = [f"{len(self.findings)} violation{'s' if len(self.findings) != 1 else ''} "
                 f"in {len(groups)} record{'s' if len(groups) != 1 else ''}"]
        for (record, label), findings in groups.items():
            lines.append("")
            lines.append(f"{label} <{record}>" if label else record)
            for f in findings:
                where = f.path or ("(record)" if f.record else "(term)")
                value = f" = {f.value}" if f.value is not None else ""
                lines.append(f"  - {where}{value}")
                lines.append(f"    {f.message}")
        return "\n".join(lines)


# ---- the ontology graph ---------------------------------------------------------------------------

def index_classification(graph: Graph, index: dict | None = None):  # type: ignore[no-untyped-def]
    """Subclass closure without Java: asserted named parents plus the HermiT entailments kept in the index."""
    from .asserted import read_asserted
    from .index import load_index
    from .reasoning import Classification

    index = index if index is not None else load_index()
    asserted = read_asserted(graph)
    names = {str(s)[len(SPINEKG):] for s in graph.subjects(RDF.type, OWL.Class)
             if isinstance(s, URIRef) and str(s).startswith(SPINEKG)}
    ancestors: dict[str, set[str]] = {}
    for name in sorted(names):
        found = set(asserted.superclasses(name))
        found |= set(index["anatomy"].get(name, {}).get("ancestors", []))
        found |= set(index["procedures"].get(name, {}).get("classes", []))
        for ancestor in list(found):
            found |= set(asserted.superclasses(ancestor))
        found.discard(name)
        ancestors[name] = found
    return Classification(ancestors=ancestors, unsatisfiable=set())


@lru_cache(maxsize=1)
def _shipped_ontology_graph() -> Graph:
    from .edges import build_edges_graph
    from .ontology import load_ontology

    graph = load_ontology()
    return build_edges_graph(graph, index_classification(graph))


def ontology_graph() -> Graph:
    """The query-ready graph of the shipped ontology (cached; do not mutate)."""
    return _shipped_ontology_graph()


@lru_cache(maxsize=8)
def load_shapes(names: tuple[str, ...]) -> Graph:
    from .ontology import parse_file

    graph = Graph()
    for name in names:
        parse_file(shapes_dir() / name, graph)
    return graph


# ---- reading data ---------------------------------------------------------------------------------

def read_data(paths: Iterable[Path], graph: Graph | None = None) -> Graph:
    """Parse data files into ``graph`` with one-line errors (file and line), never a traceback."""
    from .ontology import parse_file

    graph = graph if graph is not None else Graph()
    for path in paths:
        path = Path(path)
        _check_file(path)
        before = len(graph)
        logger = logging.getLogger("rdflib.term")
        level = logger.level
        logger.setLevel(logging.ERROR)  # rdflib warns about bad IRIs on stderr; we report them as errors
        try:
            parse_file(path, graph)
        finally:
            logger.setLevel(level)
        if len(graph) == before and not _has_triples_text(path):
            raise SpinekgError(f"{path}: contains no RDF triples")
        _check_iris(graph, path)
    return graph


def _check_file(path: Path) -> None:
    """Refuse what no RDF parser should see (missing, empty, huge, UTF-16 or binary files), in one line."""
    if path.is_dir():
        raise SpinekgError(f"{path}: is a directory, not an RDF file")
    if not path.exists():
        raise SpinekgError(f"{path}: no such file")
    size = path.stat().st_size
    if size == 0:
        raise SpinekgError(f"{path}: the file is empty (no RDF triples to validate)")
    if size > MAX_FILE_BYTES:
        raise SpinekgError(f"{path}: {size} bytes is larger than the {MAX_FILE_BYTES}-byte limit")
    with path.open("rb") as handle:
        head = handle.read(4)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise SpinekgError(f"{path}: the file is UTF-16 encoded; save it as UTF-8")
    if b"\x00" in head:
        raise SpinekgError(f"{path}: binary or UTF-16/32 data; RDF files must be UTF-8 text")


_BAD_IRI = re.compile(r'[\s<>"{}|\\^`]')


def _check_iris(graph: Graph, path: Path) -> None:
    """rdflib accepts IRIs with spaces or angle brackets; they break every serialisation, so refuse them."""
    for node in graph.all_nodes():
        if isinstance(node, URIRef) and _BAD_IRI.search(node):
            raise SpinekgError(f"{path}: invalid IRI <{str(node)[:100]}> (spaces and <>\"{{}}|\\^` are not allowed)")


def _has_triples_text(path: Path) -> bool:
    """A file that parsed to nothing: fine if it holds only duplicates of triples already read."""
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = [line.strip() for line in text.splitlines()]
    return any(line and not line.startswith(("#", "@prefix", "@base", "PREFIX", "BASE", "prefix", "base"))
               for line in lines)


# ---- levels written as text -----------------------------------------------------------------------

def level_text_findings(data: Graph, index: dict | None = None) -> tuple[list[tuple[URIRef, Literal, str]], Graph]:
    """Check every ``spinekg:levelText`` with the level reader; return (problems, sites for valid ones).

    A valid level becomes a site of the procedure (the anatomy ``spinekg classify`` reads from the same
    words), so the other shapes and the rules treat text levels and typed sites alike.
    """
    from .index import load_index
    from .levels import find_levels
    from .reading import _span_sites

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
            problems.append((procedure, text, f"{_clean(exc)}"))
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
            problems.append((procedure, text, _clean(exc)))
    return problems, sites


def _local_types(data: Graph, node) -> list[str]:  # type: ignore[no-untyped-def]
    """The spinekg local names of ``node``'s types (what the composer reads)."""
    return [str(t)[len(SPINEKG):] for t in data.objects(node, RDF.type) if str(t).startswith(SPINEKG)]


def site_restriction_findings(data: Graph, index: dict | None = None) -> list[tuple]:
    """Procedures recorded at sites their class excludes, decided exactly as ``spinekg classify`` does."""
    from .classify import composer

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
def _approach_groups() -> tuple[tuple[str, frozenset[str]], ...]:
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
def _approach_ancestors() -> dict[str, frozenset[str]]:
    """Every approach class with itself and its superclasses (the ontology graph's subclass closure)."""
    graph = ontology_graph()
    approach = URIRef(SPINEKG + "SurgicalApproach")
    result = {}
    for cls in graph.subjects(RDFS.subClassOf, approach):
        if isinstance(cls, URIRef) and str(cls).startswith(SPINEKG):
            name = str(cls)[len(SPINEKG):]
            result[name] = frozenset([name] + [str(a)[len(SPINEKG):] for a in graph.objects(cls, RDFS.subClassOf)
                                               if str(a).startswith(SPINEKG)])
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
    ancestors, groups = _approach_ancestors(), _approach_groups()
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
    from .classify import composer

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


def _clean(exc: BaseException) -> str:
    return " ".join(str(getattr(exc, "message", exc)).split())[:300]


# ---- validation -----------------------------------------------------------------------------------

SITE_TEMPLATE = "The site contradicts the procedure: {message}."
APPROACH_TEMPLATE = "The recorded approach contradicts the procedure: {message}."
LEVEL_TEMPLATE = "Level {value!r}: {message}."


def validate(data: Graph | Path | str | Iterable[Path] | CaseData, shapes: Graph | Iterable[Path] | None = None, *,
             with_ontology: bool = True, index: dict | None = None, engine: str = "auto",
             jobs: int | None = None) -> Report:
    """Validate case records (default shapes) or any data against ``shapes``; exit-code contract of pySHACL.

    ``data`` may be a Graph (not modified), file path(s) or :class:`CaseData`. With the shipped case shapes
    the data is validated record by record (:func:`validate_records`): the same findings as one run over
    everything, in a fraction of the time and memory. Other shapes see all the data plus the ontology graph
    in one run. ``jobs``: worker processes for large data (default: one per CPU, at most 8).
    """
    if shapes is None and with_ontology:
        records = data if isinstance(data, CaseData) else (
            CaseData.from_graph(data) if isinstance(data, Graph) else read_case_data(_as_paths(data)))
        if records.graph is None:
            return validate_records(records, index=index, engine=engine, jobs=jobs)
        data = records.graph  # terms N-Triples cannot carry: one run over the whole graph
    if isinstance(data, CaseData):
        source = data.to_graph()
    elif isinstance(data, Graph):
        source = data
    else:
        source = read_data(_as_paths(data))
    if shapes is None:
        shape_graph = load_shapes(CASE_SHAPE_FILES)
    elif isinstance(shapes, Graph):
        shape_graph = shapes
    else:
        shape_graph = load_shapes(tuple(str(Path(p).resolve()) for p in shapes))
    return _validate_graph(source, shape_graph, with_ontology=with_ontology, case_checks=shapes is None,
                           index=index, engine=engine)


def _as_paths(data: Path | str | Iterable[Path]) -> list[Path]:
    return [Path(data)] if isinstance(data, (str, Path)) else [Path(p) for p in data]


def _validate_graph(source: Graph, shape_graph: Graph, *, with_ontology: bool, case_checks: bool,
                    index: dict | None, engine: str) -> Report:
    """One engine run over the data, its text-level sites and the whole ontology graph (the reference path)."""
    working = Graph()
    if with_ontology:
        for triple in ontology_graph():
            working.add(triple)
    for triple in source:
        working.add(triple)
    problems, sites = level_text_findings(source, index)
    for triple in sites:
        working.add(triple)
    site_problems, approach_problems = [], []
    if case_checks:
        site_problems = site_restriction_findings(source + sites if len(sites) else source, index)
        approach_problems = approach_restriction_findings(source, index)
    report = _run_pyshacl(working, shape_graph, engine=engine)
    _add_python_results(report, problems, LEVEL_TEXT, "LevelNotation", LEVEL_TEMPLATE)
    _add_python_results(report, site_problems, None, "SiteRestriction", SITE_TEMPLATE)
    _add_python_results(report, approach_problems, HAS_APPROACH, "ApproachRestriction", APPROACH_TEMPLATE)
    return _make_report(report, source, index)


# ---- case records, record by record ---------------------------------------------------------------
#
# Why: one engine run over 100k records costs more than linear time and memory (pySHACL and pyshacl-turbo
# alike), and an rdflib graph of a million triples takes longer to build than to validate. Records are
# independent under the case shapes (every path starts at a record's own nodes and ends in the ontology), so
# the data is split into its connected parts -- a case with its procedure and sites -- and parts are
# validated in batches, each with the ontology triples the shapes read, in worker processes when there are
# several CPUs. Terms stay N-Triples text parsed and written by oxigraph; rdflib objects are made only for
# records with findings. Findings are sorted as before, so the report does not depend on batches or workers.

TYPE_KEY = f"<{RDF.type}>"
HAS_PROCEDURE_KEY = f"<{HAS_PROCEDURE}>"
HAS_SITE_KEY = f"<{HAS_SITE}>"
HAS_APPROACH_KEY = f"<{HAS_APPROACH}>"
LEVEL_TEXT_KEY = f"<{LEVEL_TEXT}>"
SPINEKG_KEY = f"<{SPINEKG}"
BATCH_TRIPLES = 20_000  # triples per engine run: ~10 ms of fixed cost each; larger runs cost more per record
PARALLEL_TRIPLES = 60_000  # below this, worker processes cost more than they save
MAX_JOBS = 8

_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>"{}|^`\\]*\Z')
_BNODE_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?\Z")
_LANGUAGE = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z0-9]+)*\Z")
_NEEDS_ESCAPE = re.compile(r'["\\\n\r]')
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def term_key(term) -> str | None:  # type: ignore[no-untyped-def]
    """The N-Triples text of an rdflib term, or None if N-Triples cannot write it (a relative IRI, ...)."""
    kind = type(term)
    if kind is Literal or (kind is not URIRef and kind is not BNode and isinstance(term, Literal)):
        text = str(term)
        text = f'"{text.translate(_ESCAPES) if _NEEDS_ESCAPE.search(text) else text}"'
        if term.language:
            return f"{text}@{term.language}" if _LANGUAGE.match(term.language) else None
        if term.datatype is None or term.datatype == XSD.string:
            return text
        return f"{text}^^<{term.datatype}>" if _IRI.match(term.datatype) else None
    if kind is URIRef or isinstance(term, URIRef):
        return f"<{term}>" if _IRI.match(term) else None
    if kind is BNode or isinstance(term, BNode):
        return f"_:{term}" if _BNODE_LABEL.match(term) else None
    return None


def key_term(key: str):  # type: ignore[no-untyped-def]
    """The rdflib term of an N-Triples term (blank node labels kept, literals read as rdflib reads them)."""
    if key[0] == "<":
        return URIRef(key[1:-1])
    if key[0] == "_":
        return BNode(key[2:])
    from rdflib.plugins.parsers.ntriples import r_literal, unquote, uriquote

    match = r_literal.match(key)
    if match is None:
        raise SpinekgError(f"cannot read the N-Triples term {key[:80]}")
    lexical, language, datatype = match.groups()
    return Literal(unquote(lexical), lang=language or None,
                   datatype=URIRef(uriquote(unquote(datatype))) if datatype else None)


def _keys_graph(triples: Iterable[tuple[str, str, str]], graph: Graph | None = None) -> Graph:
    graph = graph if graph is not None else Graph()
    terms: dict[str, object] = {}
    for triple in triples:
        graph.add(tuple(terms[k] if k in terms else terms.setdefault(k, key_term(k)) for k in triple))  # type: ignore[arg-type]
    return graph


@dataclass
class CaseData:
    """Data as N-Triples terms grouped by subject, in the order read: what record-wise validation splits.

    ``graph`` is set instead when some term cannot be written as N-Triples (data built in Python with a
    relative IRI, say); such data is validated in one run, as any graph.
    """

    subjects: dict[str, list[tuple[str, str]]]
    triples: int = 0
    graph: Graph | None = None

    @classmethod
    def from_graph(cls, graph: Graph) -> CaseData:
        """From an rdflib graph (not modified); terms N-Triples cannot write leave the graph as it is."""
        subjects: dict[str, list[tuple[str, str]]] = {}
        iris: dict[str, str | None] = {}  # rdflib compares terms slowly: cache IRIs by their plain text
        count = 0
        with _no_gc():
            for s, pairs_of in _subject_index(graph):
                ks = term_key(s)
                if ks is None:
                    return cls({}, 0, graph)
                pairs = subjects.get(ks)
                if pairs is None:
                    subjects[ks] = pairs = []
                for p, objects in pairs_of:
                    text = str(p)
                    kp = iris.get(text, "")
                    if kp == "":
                        kp = iris[text] = term_key(p)
                    if kp is None:
                        return cls({}, 0, graph)
                    for o in objects:
                        if type(o) is URIRef:
                            text = str(o)
                            ko = iris.get(text, "")
                            if ko == "":
                                ko = iris[text] = term_key(o)
                        else:
                            ko = term_key(o)
                        if ko is None:
                            return cls({}, 0, graph)
                        pairs.append((kp, ko))
                        count += 1
        if count != len(graph):  # the store held more than this graph: group its own triples instead
            return cls.from_graph(_plain_copy(graph)) if _subject_index_is_direct(graph) else cls({}, 0, graph)
        return cls(subjects, count)

    @classmethod
    def from_ntriples(cls, lines: Iterable[str]) -> CaseData:
        """From N-Triples lines as oxigraph writes them: ``S P O .``, one space apart, no duplicates."""
        subjects: dict[str, list[tuple[str, str]]] = {}
        shared: dict[str, str] = {}  # one string object per predicate and class IRI
        count = 0
        with _no_gc():
            for line in lines:
                s, p, rest = line.split(" ", 2)
                o = rest[:-2]
                p = shared.get(p) or shared.setdefault(p, p)
                if o[0] == "<":
                    o = shared.get(o) or shared.setdefault(o, o)
                pairs = subjects.get(s)
                if pairs is None:
                    subjects[s] = pairs = []
                pairs.append((p, o))
                count += 1
        return cls(subjects, count)

    def __len__(self) -> int:
        return len(self.graph) if self.graph is not None else self.triples

    def to_graph(self) -> Graph:
        if self.graph is not None:
            return self.graph
        with _quiet_terms():
            return _keys_graph((s, p, o) for s, pairs in self.subjects.items() for p, o in pairs)

    def is_extension(self) -> bool:
        """Data that declares classes, properties or an ontology header (see :func:`is_extension`)."""
        if self.graph is not None:
            return is_extension(self.graph)
        kinds = {f"<{k}>" for k in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.Ontology)}
        subclass = f"<{RDFS.subClassOf}>"
        return any(p == subclass or (p == TYPE_KEY and o in kinds)
                   for pairs in self.subjects.values() for p, o in pairs)


def _subject_index_is_direct(graph: Graph) -> bool:
    store = graph.store
    return (type(store).__name__ == "Memory" and type(graph) is Graph
            and isinstance(getattr(store, "_Memory__spo", None), dict))


def _subject_index(graph: Graph):  # type: ignore[no-untyped-def]
    """(subject, [(predicate, objects)]) for every subject of ``graph``, in the order the triples were added.

    A plain in-memory Graph keeps exactly this index (rdflib's Memory store): reading it directly is ~10x
    faster than iterating triples (the caller checks the count: a store shared with other graphs holds
    more). Any other graph is grouped from its triples.
    """
    if _subject_index_is_direct(graph):
        return ((s, po.items()) for s, po in graph.store._Memory__spo.items())  # type: ignore[attr-defined]
    grouped: dict = {}
    for s, p, o in graph:
        grouped.setdefault(s, {}).setdefault(p, []).append(o)
    return ((s, po.items()) for s, po in grouped.items())


def _plain_copy(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


class _quiet_terms:
    """rdflib logs a traceback for an ill-typed literal (2024-02-30) it is asked to make; shapes report those."""

    def __enter__(self) -> None:
        self.logger = logging.getLogger("rdflib.term")
        self.level = self.logger.level
        self.logger.setLevel(logging.ERROR)

    def __exit__(self, *exc: object) -> None:
        self.logger.setLevel(self.level)


class _no_gc:
    """Building millions of small tuples triggers full collections that find nothing: pause the collector."""

    def __enter__(self) -> None:
        import gc

        self.enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        import gc

        if self.enabled:
            gc.enable()


_OX_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "xml": "RDF_XML", "json-ld": "JSON_LD"}


def read_case_data(paths: Iterable[Path]) -> CaseData:
    """Parse data files for record-wise validation: oxigraph reads them (in Rust, ~20x rdflib's speed).

    Whatever oxigraph refuses or finds empty is read again by :func:`read_data`, so every error message
    (file, line, reason) is rdflib's as before, and data only rdflib accepts is still accepted.
    """
    import pyoxigraph as ox

    from .ontology import guess_format

    paths = [Path(p) for p in paths]
    lines: list[str] = []
    for path in paths:
        _check_file(path)
        text = None
        fmt = _OX_FORMATS.get(guess_format(path))
        if fmt is not None:
            try:
                quads = ox.parse(path=str(path), format=getattr(ox.RdfFormat, fmt), without_named_graphs=True,
                                 rename_blank_nodes=len(paths) > 1)
                text = ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
            except Exception:  # noqa: BLE001 -- any refusal: rdflib reads it again and names the problem
                text = None
        if text:
            lines.extend(text.split("\n"))  # duplicates are harmless: every reader below counts sets
            continue
        graph = read_data([path])  # the documented one-line error, or data only rdflib reads
        for triple in graph:
            keys = [term_key(t) for t in triple]
            if None in keys:  # a term N-Triples cannot carry: read everything as one graph
                return CaseData({}, 0, read_data(paths))
            lines.append(" ".join(keys) + " .")  # type: ignore[arg-type]
    return CaseData.from_ntriples(line for line in lines if line)


@lru_cache(maxsize=1)
def _case_ontology() -> tuple[str, frozenset[str], Graph]:
    """The ontology triples the case shapes can read (as N-Triples and as a graph) and the nodes they name.

    A case shape reads the predicates of its paths, targets and SPARQL queries; every other ontology triple
    (definitions, synonyms, cross-references, ...) cannot change a result, so batches leave them out. The
    nodes are shared by all records: records are never joined through them.
    """
    predicates = _shape_predicates(load_shapes(CASE_SHAPE_FILES))
    graph = Graph()
    keys = []
    for triple in ontology_graph():
        if triple[1] in predicates:
            key = tuple(term_key(t) for t in triple)
            if None not in key:
                graph.add(triple)
                keys.append(key)
    nodes = frozenset(k for key in keys for k in (key[0], key[2]) if k[0] != '"')  # type: ignore[index]
    text = "".join(sorted(f"{s} {p} {o} .\n" for s, p, o in keys))  # type: ignore[str-bytes-safe]
    return text, nodes, graph


def _shape_predicates(shapes: Graph) -> set[URIRef]:
    """Every predicate a shape can read: sh:path expressions, targets, class checks and SPARQL text."""
    found = {RDF.type, RDFS.subClassOf}
    path_operators = {SH.alternativePath, SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath,
                      RDF.first, RDF.rest}
    stack = list(shapes.objects(None, SH.path))
    for target in (SH.targetSubjectsOf, SH.targetObjectsOf):
        found.update(o for o in shapes.objects(None, target) if isinstance(o, URIRef))
    while stack:
        node = stack.pop()
        if isinstance(node, URIRef):
            if node != RDF.nil:
                found.add(node)
        elif isinstance(node, BNode):
            stack.extend(o for p, o in shapes.predicate_objects(node) if p in path_operators)
    prefixes = {str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
                for d in shapes.objects(None, SH.declare)}
    for query in list(shapes.objects(None, SH.select)) + list(shapes.objects(None, SH.ask)):
        text = str(query)
        found.update(URIRef(iri) for iri in re.findall(r"<([^<>\s]+)>", text))
        for prefix, local in re.findall(r"(?<![\w?$])([A-Za-z][\w\-]*):([A-Za-z_][\w\-]*)", text):
            if prefix in prefixes:
                found.add(URIRef(prefixes[prefix] + local))
    return found


def _record_parts(data: CaseData, shared: frozenset[str], linking: frozenset[str]) -> list[list[str]] | None:
    """The subjects of each connected part of the data (a record and all that hangs on it), in reading order.

    Two nodes join when a triple links them, unless the object is a literal or an ontology node (a class, an
    approach): their triples come with every batch. Objects of ``linking`` predicates (the targets of the
    procedure shape) always join, so a procedure written as a class IRI or a literal is a focus node once,
    with all its records. None
    when the data states something about an ontology node: any record could depend on it.
    """
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        top = node
        while (up := parent.get(top)) is not None:
            top = up
        while node != top:  # path compression
            parent[node], node = top, parent[node]
        return top

    with _no_gc():
        for s, pairs in data.subjects.items():
            if s in shared:
                return None
            for p, o in pairs:
                if p not in linking and (o[0] == '"' or o in shared):
                    continue
                a, b = root(s), root(o)
                if a != b:
                    parent[b] = a
        parts: dict[str, list[str]] = {}
        for s in data.subjects:
            top = root(s)
            part = parts.get(top)
            if part is None:
                parts[top] = part = []
            part.append(s)
    return list(parts.values())


@dataclass
class _Job:
    """What every batch needs; worker processes inherit it when they fork."""

    data: CaseData
    batches: list[list[list[str]]]  # batch -> parts -> subjects
    engine: str
    index: dict
    ontology: str
    shared: frozenset[str]
    linking: frozenset[str]


_JOB: _Job | None = None


def validate_records(data: CaseData, *, index: dict | None = None, engine: str = "auto", jobs: int | None = None,
                     batch_triples: int = BATCH_TRIPLES) -> Report:
    """Validate case records with the shipped case shapes, batch by batch (see the section comment)."""
    with _quiet_terms():
        return _validate_records(data, index=index, engine=engine, jobs=jobs, batch_triples=batch_triples)


def _validate_records(data: CaseData, *, index: dict | None, engine: str, jobs: int | None,
                      batch_triples: int) -> Report:
    from .index import load_index

    index = index if index is not None else load_index()
    engine_module(engine)  # an unknown or missing engine is an error before any work
    ontology, shared, _graph = _case_ontology()
    linking = frozenset(f"<{o}>" for o in load_shapes(CASE_SHAPE_FILES).objects(None, SH.targetObjectsOf))
    _approach_groups(), _approach_ancestors(), _shape_bnodes(), _index_labels(id(index), index)  # before forks
    parts = _record_parts(data, shared, linking)
    if parts is None:
        batches = [[list(data.subjects)]]
    else:
        batches, batch, size = [], [], 0
        for part in parts:
            batch.append(part)
            size += sum(len(data.subjects[s]) for s in part)
            if size >= batch_triples:
                batches.append(batch)
                batch, size = [], 0
        if batch or not batches:
            batches.append(batch)
    job = _Job(data, batches, engine, index, ontology, shared, linking)
    workers = _workers(jobs, len(batches), len(data))
    results = _run_batches(job, workers)
    findings = sorted((f for found, _, _ in results for f in found), key=_finding_order)
    return Report(not findings, findings, _merge_reports([(nodes, triples) for _, nodes, triples in results],
                                                         conforms=not findings))


def _merge_reports(batches: list[tuple[list, list[tuple]]], conforms: bool) -> Graph:
    """One sh:ValidationReport from the results of every batch, as one run would write it.

    What results point at besides themselves (a shape's blank nodes, a path list) is described by every
    batch, each engine run copying it anew: the first description is kept, the copies are dropped.
    """
    report = Graph()
    for prefix, namespace in load_shapes(CASE_SHAPE_FILES).namespaces():
        report.bind(prefix, namespace)
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    report.add((root, SH.conforms, Literal(conforms)))
    described: set = set()
    outgoing: dict = {}
    for nodes, triples in batches:
        own = set(nodes)
        by_subject: dict = {}
        for triple in triples:
            by_subject.setdefault(triple[0], []).append(triple)
        for subject, found in by_subject.items():
            if subject in own or subject not in described:
                outgoing.setdefault(subject, []).extend(found)
        described.update(subject for subject in by_subject if subject not in own)
        for node in nodes:
            report.add((root, SH.result, node))
    stack, reached = [o for o in report.objects(root, SH.result)], set()
    while stack:  # keep what the results reach: the dropped copies hang from nothing
        node = stack.pop()
        if node in reached:
            continue
        reached.add(node)
        for triple in outgoing.get(node, ()):
            report.add(triple)
            if isinstance(triple[2], BNode) and triple[2] in outgoing:
                stack.append(triple[2])
    return report


def _workers(jobs: int | None, batches: int, triples: int) -> int:
    if jobs is None:
        if triples < PARALLEL_TRIPLES:
            return 1
        import os

        try:
            jobs = len(os.sched_getaffinity(0))
        except AttributeError:
            jobs = os.cpu_count() or 1
        jobs = min(jobs, MAX_JOBS)
    if jobs < 1:
        raise SpinekgError(f"--jobs must be at least 1 (got {jobs})")
    return max(1, min(jobs, batches))


def _run_batches(job: _Job, workers: int) -> list[tuple[list[Finding], list, list]]:
    """Batches in this process, or in ``workers`` forked processes (results in batch order either way)."""
    global _JOB
    if workers <= 1:
        return [_validate_batch(job, number) for number in range(len(job.batches))]
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: one process
        return [_validate_batch(job, number) for number in range(len(job.batches))]
    _JOB = job
    gc.freeze()  # the data is read, never freed, by the workers: keep their collectors off its pages
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            return list(pool.map(_batch_in_worker, range(len(job.batches))))
    except BrokenProcessPool:
        raise SpinekgError("a validation worker process died (out of memory?); try --jobs 1 or fewer "
                           "records per file", EXIT_ENVIRONMENT) from None
    finally:
        _JOB = None
        gc.unfreeze()


def _batch_in_worker(number: int) -> tuple[list[Finding], list, list]:
    assert _JOB is not None
    with _quiet_terms():
        return _validate_batch(_JOB, number)


def _validate_batch(job: _Job, number: int) -> tuple[list[Finding], list, list]:
    """One engine run and the Python-evaluated shapes over a batch of records: (findings, results, triples)."""
    from .classify import composer

    subjects = job.data.subjects
    batch = job.batches[number]
    comp = composer(job.index)
    triples = [(s, p, o) for part in batch for s in part for p, o in subjects[s]]

    # levels written as text: read them, and add the sites they name (as validate does)
    texts = [(s, o) for s, p, o in triples if p == LEVEL_TEXT_KEY]
    level_problems: list = []
    derived: dict[str, list[str]] = {}
    extra: list[tuple[str, str, str]] = []
    if texts:
        small = _keys_graph([(s, LEVEL_TEXT_KEY, o) for s, o in texts] +
                            [(s, p, o) for s in {s for s, _ in texts} for p, o in subjects[s] if p == TYPE_KEY])
        small_nodes = set(small.all_nodes())
        level_problems, sites = level_text_findings(small, job.index)
        for triple in sites:  # new site nodes named after the batch: forked workers would name them alike
            extra.append(tuple(f"_:b{number}s{t}" if isinstance(t, BNode) and t not in small_nodes else term_key(t)
                               for t in triple))  # type: ignore[arg-type]
        for procedure, node in sites.subject_objects(HAS_SITE):
            derived.setdefault(term_key(procedure), []).extend(  # type: ignore[arg-type]
                str(t)[len(SPINEKG):] for t in sites.objects(node, RDF.type))

    # sites the procedure excludes; approaches its type excludes
    site_problems, approach_problems = [], []
    for procedure in {o for _, p, o in triples if p == HAS_PROCEDURE_KEY}:
        pairs = subjects.get(procedure, ())
        kinds = [_local(o) for p, o in pairs if p == TYPE_KEY]
        sites = [_local(t) for p, site in pairs if p == HAS_SITE_KEY for q, t in subjects.get(site, ()) if q == TYPE_KEY]
        message = site_problem(comp, kinds, sites + derived.get(procedure, []))
        if message is not None:
            site_problems.append((key_term(procedure), None, message))
    for subject in {s for s, p, _ in triples if p == HAS_APPROACH_KEY}:
        pairs = subjects[subject]
        kinds = [_local(o) for p, o in pairs if p == TYPE_KEY]
        recorded = [o[1 + len(SPINEKG):-1] for p, o in pairs if p == HAS_APPROACH_KEY and o.startswith(SPINEKG_KEY)]
        found = approach_problem(comp, kinds, recorded)
        if found is not None:
            approach_problems.append((key_term(subject), URIRef(SPINEKG + found[1]) if found[1] else None, found[0]))

    report = _run_engine(job, triples + extra)
    _add_python_results(report, level_problems, LEVEL_TEXT, "LevelNotation", LEVEL_TEMPLATE)
    _add_python_results(report, site_problems, None, "SiteRestriction", SITE_TEMPLATE)
    _add_python_results(report, approach_problems, HAS_APPROACH, "ApproachRestriction", APPROACH_TEMPLATE)
    results = list(report.objects(None, SH.result))
    if not results:
        return [], [], []

    # the records the results are about, as rdflib graphs (the report reads labels and types from them)
    part_of: dict[str, int] = {}
    for i, part in enumerate(batch):
        for s in part:
            part_of[s] = i
            for p, o in subjects[s]:
                if p in job.linking or (o[0] != '"' and o not in job.shared):
                    part_of.setdefault(o, i)
    kept, wanted = [], set()
    for result in results:
        focus = term_key(report.value(result, SH.focusNode))
        if focus in part_of:
            wanted.add(part_of[focus])
        elif number != 0:
            continue  # a result about an ontology node: every batch finds it, the first reports it
        kept.append(result)
    data = _keys_graph((s, p, o) for i in sorted(wanted) for s in batch[i] for p, o in subjects[s])
    labels = dict(_index_labels(id(job.index), job.index))
    for subject, label in data.subject_objects(RDFS.label):  # terms an extension defines
        if isinstance(subject, URIRef) and str(subject).startswith(SPINEKG):
            labels.setdefault(str(subject)[len(SPINEKG):], str(label))
    findings = [_finding(report, result, data, labels) for result in kept]
    # Blank nodes the engine made for this report get the batch number: worker processes inherit one random
    # state, so two workers can name two results alike. Data and shape blank nodes keep their names.
    keep = _shape_bnodes() | {BNode(k[2:]) for triple in triples + extra for k in (triple[0], triple[2]) if k[0] == "_"}

    def rename(node):  # type: ignore[no-untyped-def]
        return BNode(f"b{number}r{node}") if isinstance(node, BNode) and node not in keep else node

    return (findings, [rename(r) for r in kept],
            [(rename(s), p, rename(o)) for s, p, o in _result_triples(report, kept)])


def _local(key: str) -> str:
    """The spinekg local name of a key (non-spinekg terms give names no index knows)."""
    if key.startswith(SPINEKG_KEY):
        return key[1 + len(SPINEKG):-1]
    if key[0] == '"':  # a literal as a type: what str(term) would give
        text = str(key_term(key))
        return text[len(SPINEKG):] if text.startswith(SPINEKG) else ""
    return ""


def _run_engine(job: _Job, triples: list[tuple[str, str, str]]) -> Graph:
    """The SHACL engine over a batch plus the ontology triples the shapes read."""
    module = engine_module(job.engine)
    shapes = load_shapes(CASE_SHAPE_FILES)
    if module.__name__ == "pyshacl":
        working = Graph()
        for triple in _case_ontology()[2]:
            working.add(triple)
        return _run_pyshacl(_keys_graph(triples, working), shapes, engine=job.engine)
    try:  # N-Triples text straight into the Rust engine (a pyoxigraph Store would be dumped to text anyway,
        # and through a Store pyshacl-turbo 0.6 reads "yes" as "yes"^^xsd:string, which sh:in ( "yes" ) rejects)
        from pyshacl_turbo.rdf import Input
    except ImportError:  # another pyshacl-turbo layout: an rdflib graph, slower but the same results
        working = Graph()
        for triple in _case_ontology()[2]:
            working.add(triple)
        return _run_pyshacl(_keys_graph(triples, working), shapes, engine=job.engine)
    text = job.ontology + "".join(f"{s} {p} {o} .\n" for s, p, o in triples)
    return _run_pyshacl(Input(text, "nt", None, {}, {}, preserve_ids=True), shapes, engine=job.engine)


@lru_cache(maxsize=1)
def _shape_bnodes() -> frozenset:
    shapes = load_shapes(CASE_SHAPE_FILES)
    return frozenset(n for triple in shapes for n in triple if isinstance(n, BNode))


def _result_triples(report: Graph, results: list) -> list[tuple]:
    """The triples of ``results`` and of the blank nodes they reach (result paths, and blank focus nodes and
    values, which the engines copy into the report), for the merged report."""
    found, stack, seen = [], list(results), set()
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in report.predicate_objects(node):
            found.append((node, p, o))
            if isinstance(o, BNode):
                stack.append(o)
    return found


_LABELS: dict[int, tuple[dict, dict[str, str]]] = {}


def _index_labels(key: int, index: dict) -> dict[str, str]:
    """Labels of the index's terms, computed once per index (``key`` is its id; the index is kept alive)."""
    if key not in _LABELS or _LABELS[key][0] is not index:
        _LABELS[key] = (index, {name: term["label"] for name, term in index["terms"].items()})
    return _LABELS[key][1]


def _finding_order(f: Finding) -> tuple:
    return (f.record or f.focus, f.focus, f.path or "", f.value or "", f.message, f.component or "", f.shape or "")


ENGINES = ("auto", "pyshacl", "turbo")


def engine_module(engine: str = "auto"):  # type: ignore[no-untyped-def]
    """pySHACL (the reference) or pyshacl-turbo (a Rust engine with pySHACL's API, ~10x faster here).

    ``auto`` takes turbo when it is installed: tests/test_shacl_engines.py proves both give the same results
    (focus, path, value, shape, component and message) on the project's own records and bad inputs.
    """
    if engine not in ENGINES:
        raise SpinekgError(f"unknown SHACL engine {engine!r} (choose from {', '.join(ENGINES)})")
    if engine in ("auto", "turbo"):
        try:
            import pyshacl_turbo

            return pyshacl_turbo
        except ImportError:
            if engine == "turbo":
                raise SpinekgError("the turbo engine needs the pyshacl-turbo package: pip install 'spinekg[fast]'",
                                   EXIT_ENVIRONMENT) from None
    import pyshacl

    return pyshacl


def _run_pyshacl(data, shapes: Graph, advanced: bool = True, engine: str = "pyshacl") -> Graph:  # type: ignore[no-untyped-def]
    """One engine run; ``data`` is an rdflib Graph (both engines) or N-Triples text (pyshacl-turbo's Input)."""
    module = engine_module(engine)
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)  # ill-typed literals (2024-02-30) are reported as results, not logged
    try:
        options = {"inplace": True} if module.__name__ == "pyshacl" else {}
        _conforms, results, _text = module.validate(data, shacl_graph=shapes, inference="none", advanced=advanced,
                                                    allow_warnings=False, meta_shacl=False, **options)
    except SpinekgError:
        raise
    except Exception as exc:  # a broken shapes graph: pySHACL raises ReportableRuntimeError & co.
        raise SpinekgError(f"SHACL engine error: {_clean(exc)}", EXIT_BAD_INPUT) from None
    finally:
        logger.setLevel(level)
    return results


def _add_python_results(report: Graph, problems: list, path: URIRef | None, shape: str, template: str) -> None:
    """Put Python-evaluated results into the sh:ValidationReport like any other result."""
    if not problems:
        return
    root = next(report.subjects(RDF.type, SH.ValidationReport))
    report.set((root, SH.conforms, Literal(False)))
    for focus, value, message in problems:
        result = BNode()
        report.add((root, SH.result, result))
        report.add((result, RDF.type, SH.ValidationResult))
        report.add((result, SH.focusNode, focus))
        if path is not None:
            report.add((result, SH.resultPath, path))
        if value is not None:
            report.add((result, SH.value, value))
        report.add((result, SH.resultSeverity, SH.Violation))
        report.add((result, SH.sourceShape, URIRef(SHAPES + shape)))
        report.add((result, SH.sourceConstraintComponent, URIRef(SHAPES + shape + "ConstraintComponent")))
        report.add((result, SH.resultMessage, Literal(template.format(value=str(value), message=message))))


def _make_report(report: Graph, data: Graph, index: dict | None) -> Report:
    from .index import load_index

    index = index if index is not None else load_index()
    labels = dict(_index_labels(id(index), index))
    for subject, label in data.subject_objects(RDFS.label):  # terms an extension defines
        if isinstance(subject, URIRef) and str(subject).startswith(SPINEKG):
            labels.setdefault(str(subject)[len(SPINEKG):], str(label))
    findings = [_finding(report, result, data, labels) for result in report.objects(None, SH.result)]
    findings.sort(key=_finding_order)
    conforms = not findings
    return Report(conforms, findings, report)


def _finding(report: Graph, result, data: Graph, labels: dict[str, str]) -> Finding:  # type: ignore[no-untyped-def]
    focus = report.value(result, SH.focusNode)
    path = report.value(result, SH.resultPath)
    value = report.value(result, SH.value)
    messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
    severity = report.value(result, SH.resultSeverity)
    shape = report.value(result, SH.sourceShape)
    component = report.value(result, SH.sourceConstraintComponent)
    record = _record_of(data, focus)
    message = messages[0] if messages else "does not conform"
    return Finding(
        record=str(record) if record is not None else None,
        record_label=_record_label(data, record) if record is not None else None,
        focus=_show(focus, labels),
        path=_show_path(report, path),
        value=_show_value(value, data, labels) if value is not None and value != focus else None,
        message=_describe(message),
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        shape=str(shape) if isinstance(shape, URIRef) else None,
        component=str(component).rsplit("#", 1)[-1] if component is not None else None,
    )


def _record_of(data: Graph, node):  # type: ignore[no-untyped-def]
    """The case record a focus node belongs to: itself, the case of a procedure, or of a site's procedure.

    A node shared by several records belongs to the first by IRI, so the answer never depends on the order
    the triples were read in.
    """
    if node is None:
        return None
    if (node, RDF.type, CASE) in data:
        return node
    cases = sorted(data.subjects(HAS_PROCEDURE, node), key=_order)
    if cases:
        return cases[0]
    cases = sorted((case for procedure in data.subjects(HAS_SITE, node) for case in data.subjects(HAS_PROCEDURE, procedure)),
                   key=_order)
    return cases[0] if cases else None


def _order(node) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    return type(node).__name__, str(node)


def _record_label(data: Graph, record) -> str | None:  # type: ignore[no-untyped-def]
    labels = sorted(data.objects(record, RDFS.label), key=_order)
    if labels:
        return " ".join(str(labels[0]).split())[:120]
    case_ids = sorted(data.objects(record, CASE_ID), key=_order)
    return f"case {' '.join(str(case_ids[0]).split())[:100]}" if case_ids else None


def _show(node, labels: dict[str, str]) -> str:  # type: ignore[no-untyped-def]
    if isinstance(node, URIRef):
        text = str(node)
        if text.startswith(SPINEKG) and "/" not in text[len(SPINEKG):]:
            name = text[len(SPINEKG):]
            return f"spinekg:{name} ({labels[name]})" if name in labels else f"spinekg:{name}"
        return f"<{text}>"
    if isinstance(node, Literal):
        text = str(node)
        shown = text if len(text) <= 80 else f"{text[:77]}... ({len(text)} characters)"
        shown = json.dumps(shown, ensure_ascii=False)
        if node.datatype is not None and node.datatype != XSD.string:
            shown += f"^^{_curie(node.datatype)}"
        return shown
    return "(blank node)"


def _show_value(node, data: Graph, labels: dict[str, str]) -> str:  # type: ignore[no-untyped-def]
    """A value, and for a site or procedure node of the record, what it is typed with."""
    shown = _show(node, labels)
    if isinstance(node, (URIRef, BNode)):
        types = sorted(_show(t, labels) for t in data.objects(node, RDF.type))
        if types:
            shown += f" a {', '.join(types)}"
    return shown


def _curie(iri) -> str:  # type: ignore[no-untyped-def]
    text = str(iri)
    for prefix, base in (("xsd", str(XSD)), ("spinekg", SPINEKG), ("rdf", str(RDF)), ("rdfs", str(RDFS)),
                         ("owl", str(OWL)), ("obo", "http://purl.obolibrary.org/obo/"),
                         ("oboInOwl", "http://www.geneontology.org/formats/oboInOwl#"),
                         ("dcterms", "http://purl.org/dc/terms/"), ("skos", "http://www.w3.org/2004/02/skos/core#")):
        if text.startswith(base):
            return f"{prefix}:{text[len(base):]}"
    return f"<{text}>"


def _show_path(report: Graph, path) -> str | None:  # type: ignore[no-untyped-def]
    if path is None:
        return None
    if isinstance(path, URIRef):
        return _curie(path)
    from rdflib.collection import Collection

    try:
        return "/".join(_curie(p) if isinstance(p, URIRef) else "…" for p in Collection(report, path))
    except Exception:
        return "(path)"


def _describe(message: str) -> str:
    return " ".join(message.split())


# ---- rules ----------------------------------------------------------------------------------------

def infer(data: Graph | Path | str | Iterable[Path], index: dict | None = None, engine: str = "auto") -> Graph:
    """The triples the SHACL-AF rules derive for the case records in ``data`` (and nothing else)."""
    module = engine_module(engine)

    working = Graph()
    for triple in ontology_graph():
        working.add(triple)
    source = data if isinstance(data, Graph) else read_data(
        [Path(data)] if isinstance(data, (str, Path)) else [Path(p) for p in data])
    for triple in source:
        working.add(triple)
    _problems, sites = level_text_findings(source, index)
    for triple in sites:
        working.add(triple)
    before = {(s, p, o) for p in DERIVED for s, o in working.subject_objects(p)}
    try:
        options = {"inplace": True} if module.__name__ == "pyshacl" else {}
        result = module.shacl_rules(working, shacl_graph=load_shapes(RULE_FILES), advanced=True, **options)
    except Exception as exc:
        raise SpinekgError(f"SHACL rules failed: {_clean(exc)}", EXIT_BAD_INPUT) from None
    if isinstance(result, Graph):
        working = result
    derived = Graph()
    derived.bind("spinekg", SPINEKG)
    for prop in DERIVED:
        for s, o in working.subject_objects(prop):
            if (s, prop, o) not in before:
                derived.add((s, prop, o))
    return derived


# ---- the ontology and its extensions --------------------------------------------------------------

def validate_ontology(extension: Iterable[Path] | None = None, classification=None, index: dict | None = None,
                      graph: Graph | None = None) -> Report:  # type: ignore[no-untyped-def]
    """Ontology-quality shapes over the shipped ontology (+ extension files).

    With an extension, only results about nodes the extension defines are reported: the shipped ontology is
    checked by the test suite, not again for every extension.
    """
    from .edges import build_edges_graph
    from .ontology import load_ontology

    extra = [Path(p) for p in (extension or [])]
    ext_graph = read_data(extra) if extra else None
    merged = graph if graph is not None else load_ontology()
    if ext_graph is not None:
        merged = merged + ext_graph
    classification = classification if classification is not None else index_classification(merged, index)
    working = build_edges_graph(merged, classification)
    for triple in merged:
        working.add(triple)
    report = _run_pyshacl(working, load_shapes(QUALITY_SHAPE_FILES))
    if ext_graph is not None:
        own = set(ext_graph.subjects())
        for result in list(report.objects(None, SH.result)):
            if report.value(result, SH.focusNode) not in own:
                for triple in list(report.triples((result, None, None))):
                    report.remove(triple)
                report.remove((None, SH.result, result))
    return _make_report(report, ext_graph if ext_graph is not None else merged, index)


def is_extension(data: Graph) -> bool:
    """Data that declares classes, properties or an ontology header is an extension, not case records."""
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.Ontology):
        if next(data.subjects(RDF.type, kind), None) is not None:
            return True
    return next(data.subjects(RDFS.subClassOf, None), None) is not None
