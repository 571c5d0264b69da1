"""Derived case verdicts: the triples the SHACL-AF rules derive for case records, computed fast.

The rules in ``ontology/shapes/rules.ttl`` (``spinekg infer``, :func:`spinekg.shacl.infer`) give each case
``spinekg:spineSurgeryVerdict`` and ``spinekg:backSurgeryVerdict`` ("yes" / "no" / "depends"), one
``spinekg:inRegion`` per region it touches and one ``spinekg:expectedRecovery`` per typical recovery of its
procedure class. They read nothing but the type of the case's procedure and the types of its sites, and
tests prove them equal to the runtime composer (:mod:`spinekg.classify`) and to HermiT. So this module asks
the composer once per distinct (procedure type, site types) combination and writes the same triples for
every case with that combination. The records are read back from the store the data was loaded into
(Oxigraph writes them as TSV in Rust), so nothing is parsed twice, any RDF format works and blank-node cases
keep their identity: 100k generated cases take about as long as loading them (a few seconds), where pySHACL
needs many minutes. ``tests/test_cases_verdicts.py`` proves the output equal to the rules', triple for
triple.

Why derive them at all: the "query-ready case graph" is case records + these triples, just as the ontology's
query-ready graph is asserted + inferred axioms. A competency question then asks ``?case
spinekg:backSurgeryVerdict "yes"`` instead of re-deriving the answer in SPARQL per query, and counting cases
per recovery profile reads one triple per case instead of joining case, procedure and class.

How records are combined, exactly as the rules layer them: a case is "no" if one of its procedures is "no",
else "yes" if one is "yes", else "depends" (written only for a ``spinekg:SurgicalCase``); its regions and
expected recoveries are those of all its procedures. Records outside the model that the composer cannot read
(a procedure without exactly one procedure type of the ontology, a site without exactly one anatomy type, a
procedure or site shared between records) go through the SHACL rules themselves, so the output always equals
theirs. Under a non-default profile (:mod:`spinekg.profiles`) the back-surgery verdicts follow the profile's
composer instead; the rules know only the seed definition, so such records are refused.

Cases that already carry derived triples (data merged with ``spinekg infer`` output) get exactly what the
rules add to them (:func:`after_carried`), so ``query``, ``load`` and ``infer`` agree on every record; under a
non-default profile their carried back-surgery verdicts are replaced by the profile's.
"""
from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Union

from ..errors import SpinekgError
from ..namespaces import SPINEKG
from ..vocab import REGION_ORDER
from .case_graph import RDF_TYPE, read_records, BACK_VERDICT, CASE, EXPECTED_RECOVERY, HAS_PROCEDURE, HAS_SITE, IN_REGION, LEVEL_TEXT, NOT_TEXT, Node, Records, SPINE_VERDICT, Text, _raw_store, _rdflib_graph
from .case_graph import _literal_token
from .verdict_triples import SKOLEM, Triple, _object_nt, _add_to_oxigraph, _add_to_rdflib, _ntriples_lines, _rdflib_literal, _rdflib_node, _rdflib_object
# One procedure as the composer reads it: (procedure type, site types, level texts).
Shape = tuple[str, tuple[str, ...], tuple[Text, ...]]
Answer = tuple[str, str, tuple[str, ...], tuple[str, ...]]  # (spine, back, regions, recovery IRIs)


# ---- one procedure: the composer's answer --------------------------------------------------------
def _unchecked(comp):  # type: ignore[no-untyped-def]
    """A copy of ``comp`` that does not refuse sites its procedure excludes: validation reports those,
    the rules still derive verdicts for them, so this must too."""
    clone = copy.copy(comp)
    clone.check_sites = lambda procedure, sites: None
    clone._verdicts = {}  # its own memo: the checked composer remembers refusals, this one answers
    return clone


@lru_cache(maxsize=4)
def _composer(profile: str | None):  # type: ignore[no-untyped-def]
    from ..answer.composers import composer

    return _unchecked(composer(None, profile))


@lru_cache(maxsize=256)
def _text_sites(procedure: str, text: Text) -> tuple[str, ...]:
    """Sites the rules add for a ``spinekg:levelText`` (spinekg.shacl.level_text_findings, the same reader)."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    from ..shacl.validate import level_text_findings

    if text == NOT_TEXT:
        return ()
    graph = Graph()
    proc = URIRef(SPINEKG + "procedure")
    graph.add((proc, RDF.type, URIRef(SPINEKG + procedure)))
    graph.add((proc, URIRef(LEVEL_TEXT), _rdflib_literal(text)))
    _problems, sites = level_text_findings(graph)
    return tuple(str(t)[len(SPINEKG):] for s in sites.objects(proc, URIRef(HAS_SITE)) for t in sites.objects(s, RDF.type))


@lru_cache(maxsize=65536)
def procedure_answer(shape: Shape, profile: str | None = None) -> Answer:
    """(spine, back, regions, recoveries) of one procedure: the composer's verdict, sites taken as
    recorded, and the typical recoveries of its class (which no profile changes)."""
    from ..answer.index import load_index
    from ..answer.reading import Reading

    procedure, sites, texts = shape
    comp = _composer(profile)
    all_sites = list(sites) + [s for text in texts for s in _text_sites(procedure, text)]
    verdict = comp.verdict(procedure, Reading(procedure, all_sites))
    regions = tuple(sorted(set(verdict.regions), key=REGION_ORDER.index))
    recoveries = tuple(sorted(SPINEKG + name for name in load_index()["procedures"][procedure].get("recovery", ())))
    return verdict.spine_surgery, verdict.back_surgery, regions, recoveries


class _Reader:
    """Reads procedures as the composer does, remembering each distinct list of types it has seen."""

    def __init__(self, rec: Records) -> None:
        from ..answer.index import load_index

        index = load_index()
        self.rec = rec
        self.procedures, self.anatomy = set(index["procedures"]), set(index["anatomy"])
        self.known = set(index["terms"]) | self.procedures | self.anatomy
        self.seen: dict[tuple[str, ...], str | None] = {}

    def kind(self, iris: list[str] | None, allowed: set[str]) -> str | None:
        """The one ontology term among ``iris`` if it is in ``allowed``; other types (such as
        owl:NamedIndividual, or IRIs that are no ontology term) change no rule and are ignored."""
        key = (iris[0] if len(iris) == 1 else tuple(iris)) if iris else ""
        term = self.seen.get(key, "?")
        if term == "?":
            names = {i[len(SPINEKG):] for i in (iris or ()) if i.startswith(SPINEKG) and i[len(SPINEKG):] in self.known}
            term = self.seen[key] = names.pop() if len(names) == 1 else None
        return term if term in allowed else None

    def shape(self, proc: Node) -> Shape | None:
        """The procedure as the composer reads it, or None if it is outside the case model."""
        rec = self.rec
        kind = self.kind(rec.types.get(proc), self.procedures)
        if kind is None:
            return None
        site_kinds = []
        for site in rec.sites.get(proc, ()):
            found = self.kind(rec.types.get(site), self.anatomy)
            if found is None:
                return None
            site_kinds.append(found)
        texts = rec.texts.get(proc)
        if len(site_kinds) > 1:
            site_kinds.sort()
        return kind, tuple(site_kinds), tuple(sorted(texts)) if texts else ()


# ---- a case: the rules' layers ---------------------------------------------------------------------
def combine(answers: list[Answer], is_case: bool) -> list[tuple[str, str]]:
    """(predicate, value) pairs for a case from its procedures' answers, as the rules layer them:
    "no" (layer 1) wins over "yes" (layer 2); "depends" (layer 4) only for a spinekg:SurgicalCase."""
    out: list[tuple[str, str]] = []
    for position, pred in ((0, SPINE_VERDICT), (1, BACK_VERDICT)):
        values = {a[position] for a in answers}
        value = "no" if "no" in values else "yes" if "yes" in values else "depends"
        if value != "depends" or is_case:
            out.append((pred, value))
    regions = {r for a in answers for r in a[2]}
    out += [(IN_REGION, r) for r in sorted(regions, key=REGION_ORDER.index)]
    out += [(EXPECTED_RECOVERY, r) for r in sorted({r for a in answers for r in a[3]})]
    return out


def _shared(rec: Records) -> set[Node]:
    """Cases with a procedure or site that another record also points to: the rules' conditions look
    across records there, so those cases go through the rules themselves."""
    from collections import Counter
    from itertools import chain

    uses = Counter(chain.from_iterable(rec.procedures.values()))
    procs = set(uses)
    site_uses = Counter(chain.from_iterable(found for proc, found in rec.sites.items() if proc in procs))
    shared_sites = {site for site, n in site_uses.items() if n > 1}
    shared_procs = {proc for proc, n in uses.items() if n > 1}
    shared_procs |= {proc for proc in procs if shared_sites.intersection(rec.sites.get(proc, ()))} if shared_sites else set()
    if not shared_procs:
        return set()
    return {case for case, found in rec.procedures.items() if shared_procs.intersection(found)}


def derive(rec: Records, profile: str | None = None, replace_back: bool = False) -> list[Triple]:
    """The derived (subject, predicate IRI, value) triples for every case in ``rec``.

    ``replace_back``: derive the back-surgery verdict of cases that carry one too (a profile replaces it).
    """
    from ..answer.profiles import is_default

    profile = None if is_default(profile) else str(profile)
    reader = _Reader(rec)
    shared = _shared(rec)
    combined: dict[tuple[tuple[Shape, ...], bool], list[tuple[str, str]]] = {}
    out: list[Triple] = []
    fallback: list[Node] = []
    for case in set(rec.procedures) | rec.cases:
        carried = rec.carried.get(case)
        procs = rec.procedures.get(case, ())
        shapes = (reader.shape(procs[0]),) if len(procs) == 1 else tuple(reader.shape(proc) for proc in procs)
        if None in shapes or case in shared:
            fallback.append(case)
            continue
        key = (shapes, case in rec.cases)
        pairs = combined.get(key)
        if pairs is None:
            pairs = combined[key] = combine([procedure_answer(shape, profile) for shape in shapes], key[1])  # type: ignore[arg-type]
        if carried:
            pairs = after_carried(pairs, carried, replace_back)
        out += [(case, pred, value) for pred, value in pairs]
    if fallback and profile is not None:
        raise SpinekgError(f"case record {min(fallback)}: its procedure or sites are outside the case model (one "
                           f"procedure type, one anatomy type per site, nothing shared; run 'spinekg validate'), "
                           f"so profile {profile!r} cannot derive its verdicts")
    if fallback:
        out += _by_the_rules(rec, sorted(fallback))
    return out


def after_carried(pairs: list[tuple[str, str]], carried: set[tuple[str, str]],
                  replace_back: bool = False) -> list[tuple[str, str]]:
    """What the rules add to a case that already records derived triples (data merged with earlier
    output): every derived triple it does not have yet, except that a recorded verdict blocks the rules'
    "yes" (layer 2) and "depends" (layer 4) for that verdict, whose conditions ask for a case without one;
    "no" (layer 1) is unconditional. ``replace_back``: carried back-surgery verdicts are deleted first."""
    kept = []
    for pred, value in pairs:
        fresh = replace_back and pred == BACK_VERDICT
        if not fresh and (pred, _object_nt(pred, value)) in carried:
            continue
        if not fresh and pred in (SPINE_VERDICT, BACK_VERDICT) and value != "no" and any(p == pred for p, _ in carried):
            continue
        kept.append((pred, value))
    return kept


def _by_the_rules(rec: Records, cases: list[Node]) -> list[Triple]:
    """Run the SHACL-AF rules on just these records (exact by construction; needs pySHACL). Blank nodes
    travel as skolem IRIs, so each derived triple names the source's own node."""
    from rdflib import Graph, URIRef

    from ..shacl.validate import infer

    skolem = {}

    def term(node: Node) -> str:
        if node.startswith("_:"):
            skolem.setdefault(f"<{SKOLEM}{node[2:]}>", node)
            return f"<{SKOLEM}{node[2:]}>"
        return node

    lines = []
    for case in cases:
        if case in rec.cases:
            lines.append(f"{term(case)} <{RDF_TYPE}> <{CASE}> .")
        for proc in rec.procedures.get(case, ()):
            lines.append(f"{term(case)} <{HAS_PROCEDURE}> {term(proc)} .")
            for site in rec.sites.get(proc, ()):
                lines.append(f"{term(proc)} <{HAS_SITE}> {term(site)} .")
            for node in [proc] + rec.sites.get(proc, []):
                lines += [f"{term(node)} <{RDF_TYPE}> <{kind}> ." for kind in rec.types.get(node, ())]
            lines += [f"{term(proc)} <{LEVEL_TEXT}> {_literal_token(text)} ." for text in rec.texts.get(proc, ())
                      if text != NOT_TEXT]
        lines += [f"{term(case)} <{pred}> {term(value)} ." for pred, value in sorted(rec.carried.get(case, ()))]
    graph = Graph().parse(data="\n".join(lines) + "\n", format="nt")
    out = []
    for s, p, o in infer(graph):
        token = f"<{s}>" if isinstance(s, URIRef) else f"_:{s}"
        out.append((skolem.get(token, token), str(p), str(o)))  # str of an IRI value is the IRI
    return out


# ---- sources and targets -----------------------------------------------------------------------------
Source = Union[Any, Path, str, Iterable[Path]]


def _from_files(paths: Iterable[Path]):  # type: ignore[no-untyped-def]
    """A temporary in-memory Oxigraph store holding the files (Rust parsers: fast for 100k records)."""
    from ..sparql.engines import OxigraphEngine

    engine = OxigraphEngine()
    for path in paths:
        engine.add_file(Path(path))
    return engine.store


def _as_source(source: Source):  # type: ignore[no-untyped-def]
    if isinstance(source, (str, Path)):
        return _from_files([Path(source)])
    if _rdflib_graph(source) is not None or _raw_store(source) is not None:
        return source
    return _from_files([Path(p) for p in source])


def verdict_triples(source: Source, profile: str | None = None) -> list[Triple]:
    """The derived (subject token, predicate IRI, value) triples for the case records in ``source``
    (rdflib Graph, pyoxigraph Store, spinekg.sparql engine, or RDF file path(s))."""
    return derive(read_records(_as_source(source)), profile)


def verdict_ntriples(source: Source, profile: str | None = None) -> str:
    """The derived triples as sorted N-Triples text (deterministic; empty string if there are none).

    Blank-node subjects keep their labels here, which name the same node only within one document;
    to add verdicts for blank-node cases to a store, use :func:`add_verdicts`."""
    lines = _ntriples_lines(verdict_triples(source, profile))
    return "\n".join(lines) + ("\n" if lines else "")


def verdict_graph(source: Source, profile: str | None = None):  # type: ignore[no-untyped-def]
    """The derived triples as an rdflib Graph (what :func:`spinekg.shacl.infer` returns for the rules)."""
    from rdflib import Graph, URIRef

    graph = Graph()
    graph.bind("spinekg", SPINEKG)
    for s, p, v in verdict_triples(source, profile):
        graph.add((_rdflib_node(s), URIRef(p), _rdflib_object(p, v)))
    return graph


def write_verdicts(paths: Iterable[Path], out: Path, profile: str | None = None) -> int:
    """Write the derived triples for the records in ``paths`` to ``out`` (N-Triples); return their number.
    For loaders: send this file with the records and the store is query-ready -- unless a case is a blank
    node (:class:`BlankNodeCases`): a separate file cannot name it, so add the verdicts in the store after
    loading (:func:`add_verdicts` with ``graph``)."""
    from ..files import write_atomically

    triples = verdict_triples([Path(p) for p in paths], profile)
    blank = {s for s, _p, _v in triples if s.startswith("_:")}
    if blank:
        raise BlankNodeCases(len(blank))
    lines = _ntriples_lines(triples)
    write_atomically(Path(out), "\n".join(lines) + ("\n" if lines else ""))
    return len(lines)


def verdict_lines_from_ntriples(body: bytes, ordered: bool = True) -> list[str] | None:
    """The derived triples for the records in an N-Triples ``body`` as distinct N-Triples lines (sorted
    unless not ``ordered``), read from the bytes (:mod:`spinekg.cases.nt_records`); None when a line needs
    a real RDF parser (read the records from a store then) or a case is a blank node."""
    from .nt_records import records_from_ntriples

    rec = records_from_ntriples(body)
    if rec is None:
        return None
    triples = derive(rec)
    del rec
    if any(s.startswith("_:") for s, _p, _v in triples):
        return None
    return _ntriples_lines(triples, ordered)


class BlankNodeCases(SpinekgError):
    """Case records whose case is a blank node: their derived triples must be added where the records are
    stored, since no other document can name the node."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} case record(s) are blank nodes, which a separate verdict file cannot name; "
                         f"give the cases IRIs, or add their verdicts in the store after loading")
        self.count = count


def add_verdicts(target, profile: str | None = None, graph: str | None = None) -> int:  # type: ignore[no-untyped-def]
    """Add the derived triples to what ``target`` holds (a spinekg.sparql engine, an rdflib Graph or a
    pyoxigraph Store; ``graph``: the named graph of a store whose records are read and given them),
    making its case records query-ready. Cases that already carry derived triples are left as they are,
    except that under a non-default profile every back-surgery verdict is the profile's. Returns the number
    of triples added."""
    from ..answer.profiles import is_default

    rec = read_records(target, graph)
    replace = not is_default(profile)
    triples = derive(rec, profile, replace_back=replace)
    rdf_graph = _rdflib_graph(target)
    if rdf_graph is not None:
        return _add_to_rdflib(rdf_graph, triples, replace)
    return _add_to_oxigraph(_raw_store(target), triples, replace, graph)
