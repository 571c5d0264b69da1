"""Read case records out of an rdflib graph or an Oxigraph store into plain tuples: each case's
procedures, their types, sites and level texts, and the derived triples they already carry."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..namespaces import SPINEKG


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
    carried: dict[Node, set[tuple[str, str]]] = field(default_factory=dict)  # subject -> (derived predicate, object token) it has

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
        for subject, value in graph.subject_objects(URIRef(pred)):
            rec.carried.setdefault(token(subject), set()).add((pred, token(value)))
    return rec


_PREFIX = f"PREFIX spinekg: <{SPINEKG}> "
_SELECTS = {
    "procedures": "SELECT ?case ?proc ?type WHERE { ?case spinekg:hasProcedure ?proc OPTIONAL { ?proc a ?type } }",
    "sites": "SELECT ?proc ?site ?type WHERE { ?proc spinekg:hasSite ?site OPTIONAL { ?site a ?type } }",
    "texts": "SELECT ?proc ?text WHERE { ?proc spinekg:levelText ?text }",
    "cases": "SELECT ?case WHERE { ?case a spinekg:SurgicalCase }",
    "carried": "SELECT ?s ?p ?o WHERE { VALUES ?p { spinekg:spineSurgeryVerdict spinekg:backSurgeryVerdict "
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
    from ..sparql.results import tsv_term

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
    from ..sparql.results import tsv_term

    rec = Records()
    for links, name in ((rec.procedures, "procedures"), (rec.sites, "sites")):
        _collect_links(links, rec.types, _select(store, name, graph))
    for proc, cell in _select(store, "texts", graph):
        term = tsv_term(cell)
        value = (term[1], term[2], term[3]) if term and term[0] == "literal" else NOT_TEXT
        rec.texts.setdefault(proc, []).append(value)
    rec.cases = {row[0] for row in _select(store, "cases", graph)}
    for subject, pred, value in _select(store, "carried", graph):
        rec.carried.setdefault(subject, set()).add((pred[1:-1], value if value[:1] in "<_" else _cell_token(value)))
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

def _literal_token(text: Text) -> str:
    value, datatype, lang = text
    if lang:
        return f"{_literal_nt(value)}@{lang}"
    if datatype and not datatype.endswith("#string"):
        return f"{_literal_nt(value)}^^<{datatype}>"
    return _literal_nt(value)


def _literal_nt(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'
