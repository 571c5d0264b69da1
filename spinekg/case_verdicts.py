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

Cases that already carry a derived triple (data merged with ``spinekg infer`` output) are left as they are;
under a non-default profile their carried back-surgery verdicts are replaced by the profile's.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Union

from .errors import SpinekgError
from .namespaces import SPINEKG
from .vocab import REGION_ORDER

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
CASE = SPINEKG + "SurgicalCase"
HAS_PROCEDURE = SPINEKG + "hasProcedure"
HAS_SITE = SPINEKG + "hasSite"
LEVEL_TEXT = SPINEKG + "levelText"
SPINE_VERDICT = SPINEKG + "spineSurgeryVerdict"
BACK_VERDICT = SPINEKG + "backSurgeryVerdict"
IN_REGION = SPINEKG + "inRegion"
EXPECTED_RECOVERY = SPINEKG + "expectedRecovery"
DERIVED_PREDICATES = (SPINE_VERDICT, BACK_VERDICT, IN_REGION, EXPECTED_RECOVERY)
IRI_VALUED = frozenset({EXPECTED_RECOVERY})  # an object property: its values are IRIs, the others' literals

Node = str  # an N-Triples token: <iri> or _:id
Text = tuple[str, str, str]  # a spinekg:levelText literal: (lexical form, datatype IRI, language)
NOT_TEXT: Text = ("", "", "-")  # a levelText value that is no literal (the shapes report it)
# One procedure as the composer reads it: (procedure type, site types, level texts).
Shape = tuple[str, tuple[str, ...], tuple[Text, ...]]
Answer = tuple[str, str, tuple[str, ...], tuple[str, ...]]  # (spine, back, regions, recovery IRIs)


# ---- what the derivation reads ---------------------------------------------------------------------
@dataclass
class Records:
    """The case-record skeleton of a source: only what the rules read. Nodes are N-Triples tokens
    (``<iri>`` or ``_:id``), so 100k records hash fast and blank nodes keep their identity in the source."""

    procedures: dict[Node, list[Node]] = field(default_factory=dict)  # case -> its procedures
    sites: dict[Node, list[Node]] = field(default_factory=dict)  # procedure -> its sites
    types: dict[Node, list[str]] = field(default_factory=dict)  # procedure or site -> rdf:type IRIs
    texts: dict[Node, list[Text]] = field(default_factory=dict)  # procedure -> level texts
    cases: set[Node] = field(default_factory=set)  # typed spinekg:SurgicalCase
    carried: dict[Node, set[str]] = field(default_factory=dict)  # subject -> derived predicates it has

    def add_procedure(self, case: Node, proc: Node, kind: str | None) -> None:
        procs = self.procedures.setdefault(case, [])
        if proc not in procs:
            procs.append(proc)
        self._add_type(proc, kind)

    def add_site(self, proc: Node, site: Node, kind: str | None) -> None:
        sites = self.sites.setdefault(proc, [])
        if site not in sites:
            sites.append(site)
        self._add_type(site, kind)

    def _add_type(self, node: Node, kind: str | None) -> None:
        if kind is not None:
            kinds = self.types.setdefault(node, [])
            if kind not in kinds:
                kinds.append(kind)


def _rdflib_records(graph) -> Records:  # type: ignore[no-untyped-def]
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import RDF

    def token(node) -> Node:  # type: ignore[no-untyped-def]
        if isinstance(node, URIRef):
            return f"<{node}>"
        if isinstance(node, BNode):
            return f"_:{node}"
        return _literal_token((str(node), str(node.datatype or ""), node.language or ""))

    def kinds(node) -> list[str | None]:  # type: ignore[no-untyped-def]
        found = [str(t) for t in graph.objects(node, RDF.type) if isinstance(t, URIRef)]
        return found or [None]  # type: ignore[list-item]

    rec = Records()
    case_procs = set()
    for case, proc in graph.subject_objects(URIRef(HAS_PROCEDURE)):
        case_procs.add(proc)
        for kind in kinds(proc):
            rec.add_procedure(token(case), token(proc), kind)
    for proc, site in graph.subject_objects(URIRef(HAS_SITE)):
        if proc in case_procs:
            for kind in kinds(site):
                rec.add_site(token(proc), token(site), kind)
    for proc, text in graph.subject_objects(URIRef(LEVEL_TEXT)):
        value = (str(text), str(text.datatype or ""), text.language or "") if isinstance(text, Literal) else NOT_TEXT
        rec.texts.setdefault(token(proc), []).append(value)
    rec.cases = {token(c) for c in graph.subjects(RDF.type, URIRef(CASE))}
    for pred in DERIVED_PREDICATES:
        for subject in graph.subjects(URIRef(pred), None):
            rec.carried.setdefault(token(subject), set()).add(pred)
    return rec


_PREFIX = f"PREFIX spinekg: <{SPINEKG}> "
_SELECTS = {
    "procedures": "SELECT ?case ?proc ?type WHERE { ?case spinekg:hasProcedure ?proc OPTIONAL { ?proc a ?type } }",
    "sites": "SELECT ?proc ?site ?type WHERE { ?proc spinekg:hasSite ?site OPTIONAL { ?site a ?type } }",
    "texts": "SELECT ?proc ?text WHERE { ?proc spinekg:levelText ?text }",
    "cases": "SELECT ?case WHERE { ?case a spinekg:SurgicalCase }",
    "carried": "SELECT ?s ?p WHERE { VALUES ?p { spinekg:spineSurgeryVerdict spinekg:backSurgeryVerdict "
               "spinekg:inRegion spinekg:expectedRecovery } ?s ?p ?o }",
}


def _select(store, name: str, graph: str | None = None) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """Rows of one of _SELECTS as TSV cells (Oxigraph writes them in Rust: no Python object per value),
    over one named graph, or over all of them."""
    import pyoxigraph as ox

    scope = {"default_graph": ox.NamedNode(graph)} if graph else {"use_default_graph_as_union": True}
    result = store.query(_PREFIX + _SELECTS[name], **scope)
    lines = result.serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8").split("\n")[1:]
    return [line.split("\t") for line in lines if line]


def _cell_token(cell: str) -> Node:
    """A TSV cell as an N-Triples token (IRIs and blank nodes already are)."""
    if cell[0] in "<_":
        return cell
    from .sparql import tsv_term

    term = tsv_term(cell)
    return _literal_token((term[1], term[2], term[3]))  # type: ignore[index]


def _iri(cell: str) -> str | None:
    return cell[1:-1] if cell[:1] == "<" else None


def _collect_links(links: dict, types: dict, rows: list[list[str]]) -> None:
    """Rows ``owner, node, node type`` (case-procedure or procedure-site): each node once under its owner,
    and every IRI type of the node. A literal where a node should be is kept as a token (the shapes report it)."""
    for owner, node, kind in rows:
        if node[:1] not in ("<", "_"):
            node = _cell_token(node)
        nodes = links.get(owner)
        if nodes is None:
            links[owner] = [node]
        elif node not in nodes:
            nodes.append(node)
        if kind[:1] == "<":
            found = types.get(node)
            if found is None:
                types[node] = [kind[1:-1]]
            else:
                found.append(kind[1:-1])


def _oxigraph_records(store, graph: str | None = None) -> Records:  # type: ignore[no-untyped-def]
    from .sparql import tsv_term

    rec = Records()
    for links, name in ((rec.procedures, "procedures"), (rec.sites, "sites")):
        _collect_links(links, rec.types, _select(store, name, graph))
    for proc, cell in _select(store, "texts", graph):
        term = tsv_term(cell)
        value = (term[1], term[2], term[3]) if term and term[0] == "literal" else NOT_TEXT
        rec.texts.setdefault(proc, []).append(value)
    rec.cases = {row[0] for row in _select(store, "cases", graph)}
    for subject, pred in _select(store, "carried", graph):
        rec.carried.setdefault(subject, set()).add(pred[1:-1])
    return rec


def _raw_store(target):  # type: ignore[no-untyped-def]
    """The pyoxigraph Store behind an engine (or the Store itself), else None."""
    store = getattr(target, "store", target)
    store = getattr(store, "_store", store)  # spinekg.stores._UnionView
    return store if hasattr(store, "quads_for_pattern") else None


def _rdflib_graph(target):  # type: ignore[no-untyped-def]
    from rdflib import Graph

    graph = getattr(target, "graph", target)
    return graph if isinstance(graph, Graph) else None


def read_records(source, graph: str | None = None) -> Records:  # type: ignore[no-untyped-def]
    """The record skeleton of an rdflib Graph, a pyoxigraph Store or a spinekg.sparql engine (``graph``:
    only that named graph of a store; default all of them)."""
    rdf_graph = _rdflib_graph(source)
    if rdf_graph is not None:
        return _rdflib_records(rdf_graph)
    store = _raw_store(source)
    if store is not None:
        return _oxigraph_records(store, graph)
    raise TypeError(f"cannot read case records from {type(source).__name__}")


# ---- one procedure: the composer's answer --------------------------------------------------------
def _unchecked(comp):  # type: ignore[no-untyped-def]
    """A copy of ``comp`` that does not refuse sites its procedure excludes: validation reports those,
    the rules still derive verdicts for them, so this must too."""
    clone = copy.copy(comp)
    clone.check_sites = lambda procedure, sites: None
    return clone


@lru_cache(maxsize=4)
def _composer(profile: str | None):  # type: ignore[no-untyped-def]
    from .classify import composer

    return _unchecked(composer(None, profile))


@lru_cache(maxsize=256)
def _text_sites(procedure: str, text: Text) -> tuple[str, ...]:
    """Sites the rules add for a ``spinekg:levelText`` (spinekg.shacl.level_text_findings, the same reader)."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    from .shacl import level_text_findings

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
    from .index import load_index
    from .reading import Reading

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
        from .index import load_index

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


Triple = tuple[Node, str, str]  # (subject token, predicate IRI, value: an IRI for IRI_VALUED, else a literal)


def derive(rec: Records, profile: str | None = None, replace_back: bool = False) -> list[Triple]:
    """The derived (subject, predicate IRI, value) triples for every case in ``rec``.

    ``replace_back``: derive the back-surgery verdict of cases that carry one too (a profile replaces it).
    """
    from .profiles import is_default

    profile = None if is_default(profile) else str(profile)
    reader = _Reader(rec)
    shared = _shared(rec)
    combined: dict[tuple[tuple[Shape, ...], bool], list[tuple[str, str]]] = {}
    out: list[Triple] = []
    fallback: list[Node] = []
    for case in set(rec.procedures) | rec.cases:
        carried = rec.carried.get(case)
        if carried and not replace_back:
            continue
        procs = rec.procedures.get(case, ())
        shapes = (reader.shape(procs[0]),) if len(procs) == 1 else tuple(reader.shape(proc) for proc in procs)
        if None in shapes or case in shared:
            fallback.append(case)
            continue
        key = (shapes, case in rec.cases)
        pairs = combined.get(key)
        if pairs is None:
            pairs = combined[key] = combine([procedure_answer(shape, profile) for shape in shapes], key[1])  # type: ignore[arg-type]
        out += [(case, pred, value) for pred, value in pairs if not carried or pred == BACK_VERDICT]
    if fallback and profile is not None:
        raise SpinekgError(f"case record {min(fallback)}: its procedure or sites are outside the case model (one "
                           f"procedure type, one anatomy type per site, nothing shared; run 'spinekg validate'), "
                           f"so profile {profile!r} cannot derive its verdicts")
    if fallback:
        out += _by_the_rules(rec, sorted(fallback))
    return out


def _by_the_rules(rec: Records, cases: list[Node]) -> list[Triple]:
    """Run the SHACL-AF rules on just these records (exact by construction; needs pySHACL). Blank nodes
    travel as skolem IRIs, so each derived triple names the source's own node."""
    from rdflib import Graph, URIRef

    from .shacl import infer

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
    graph = Graph().parse(data="\n".join(lines) + "\n", format="nt")
    out = []
    for s, p, o in infer(graph):
        token = f"<{s}>" if isinstance(s, URIRef) else f"_:{s}"
        out.append((skolem.get(token, token), str(p), str(o)))  # str of an IRI value is the IRI
    return out


SKOLEM = "urn:spinekg:blank:"


# ---- terms -------------------------------------------------------------------------------------------
def _object_nt(predicate: str, value: str) -> str:
    """The N-Triples object of a derived triple: an IRI for an object property, else a plain literal."""
    return f"<{value}>" if predicate in IRI_VALUED else _literal_nt(value)


def _rdflib_object(predicate: str, value: str):  # type: ignore[no-untyped-def]
    from rdflib import Literal, URIRef

    return URIRef(value) if predicate in IRI_VALUED else Literal(value)


def _literal_nt(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _literal_token(text: Text) -> str:
    value, datatype, lang = text
    if lang:
        return f"{_literal_nt(value)}@{lang}"
    if datatype and not datatype.endswith("#string"):
        return f"{_literal_nt(value)}^^<{datatype}>"
    return _literal_nt(value)


def _rdflib_literal(text: Text):  # type: ignore[no-untyped-def]
    from rdflib import Literal, URIRef

    value, datatype, lang = text
    if lang:
        return Literal(value, lang=lang)
    return Literal(value, datatype=URIRef(datatype) if datatype and not datatype.endswith("#string") else None)


def _rdflib_node(token: Node):  # type: ignore[no-untyped-def]
    from rdflib import BNode, URIRef

    return BNode(token[2:]) if token.startswith("_:") else URIRef(token[1:-1])


# ---- sources and targets -----------------------------------------------------------------------------
Source = Union[Any, Path, str, Iterable[Path]]


def _from_files(paths: Iterable[Path]):  # type: ignore[no-untyped-def]
    """A temporary in-memory Oxigraph store holding the files (Rust parsers: fast for 100k records)."""
    from .sparql import OxigraphEngine

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


def _ntriples_lines(triples: list[Triple]) -> list[str]:
    """Sorted, distinct N-Triples lines: deterministic, and Oxigraph's in-memory store answers
    ``ORDER BY ?case`` fastest when cases were inserted in order."""
    suffix: dict[tuple[str, str], str] = {}
    lines = set()
    for s, p, v in triples:
        end = suffix.get((p, v))
        if end is None:
            end = suffix[(p, v)] = f" <{p}> {_object_nt(p, v)} ."
        lines.add(s + end)
    return sorted(lines)


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
    from .templates import write_atomically

    triples = verdict_triples([Path(p) for p in paths], profile)
    blank = {s for s, _p, _v in triples if s.startswith("_:")}
    if blank:
        raise BlankNodeCases(len(blank))
    lines = _ntriples_lines(triples)
    write_atomically(Path(out), "\n".join(lines) + ("\n" if lines else ""))
    return len(lines)


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
    from .profiles import is_default

    rec = read_records(target, graph)
    replace = not is_default(profile)
    triples = derive(rec, profile, replace_back=replace)
    rdf_graph = _rdflib_graph(target)
    if rdf_graph is not None:
        return _add_to_rdflib(rdf_graph, triples, replace)
    return _add_to_oxigraph(_raw_store(target), triples, replace, graph)


def _add_to_rdflib(graph, triples: list[Triple], replace: bool) -> int:  # type: ignore[no-untyped-def]
    from rdflib import URIRef

    if replace:
        graph.remove((None, URIRef(BACK_VERDICT), None))
    before = len(graph)
    for s, p, v in triples:
        graph.add((_rdflib_node(s), URIRef(p), _rdflib_object(p, v)))
    return len(graph) - before


def _add_to_oxigraph(store, triples: list[Triple], replace: bool, graph: str | None) -> int:  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    try:
        if replace:  # one update in Rust, in every graph (read-only stores fail here, before anything changes)
            store.update(f"DELETE WHERE {{ ?s <{BACK_VERDICT}> ?o }} ; "
                         f"DELETE WHERE {{ GRAPH ?g {{ ?s <{BACK_VERDICT}> ?o }} }}")
        named = _ntriples_lines([t for t in triples if t[0].startswith("<")])
        if named:
            options = {"to_graph": target} if graph else {}
            store.bulk_load("\n".join(named).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, **options)
        blank = [ox.Quad(ox.BlankNode(s[2:]), ox.NamedNode(p), ox.NamedNode(v) if p in IRI_VALUED else ox.Literal(v),
                         target) for s, p, v in triples if s.startswith("_:")]
        if blank:
            store.extend(blank)
    except OSError as exc:
        raise SpinekgError(f"cannot add derived verdicts to the store: {' '.join(str(exc).split())[:200]}") from None
    return len(triples)
