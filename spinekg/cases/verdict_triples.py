"""Write derived case triples: as N-Triples lines, into an rdflib graph, or into an Oxigraph store."""
from __future__ import annotations


from ..errors import SpinekgError
from .case_graph import BACK_VERDICT, IRI_VALUED, Node, Text, _literal_nt


Triple = tuple[Node, str, str]  # (subject token, predicate IRI, value: an IRI for IRI_VALUED, else a literal)


SKOLEM = "urn:spinekg:blank:"


# ---- terms -------------------------------------------------------------------------------------------
def _object_nt(predicate: str, value: str) -> str:
    """The N-Triples object of a derived triple: an IRI for an object property, else a plain literal."""
    return f"<{value}>" if predicate in IRI_VALUED else _literal_nt(value)


def _rdflib_object(predicate: str, value: str):  # type: ignore[no-untyped-def]
    from rdflib import Literal, URIRef

    return URIRef(value) if predicate in IRI_VALUED else Literal(value)






def _rdflib_literal(text: Text):  # type: ignore[no-untyped-def]
    from rdflib import Literal, URIRef

    value, datatype, lang = text
    if lang:
        return Literal(value, lang=lang)
    return Literal(value, datatype=URIRef(datatype) if datatype and not datatype.endswith("#string") else None)


def _rdflib_node(token: Node):  # type: ignore[no-untyped-def]
    from rdflib import BNode, URIRef

    return BNode(token[2:]) if token.startswith("_:") else URIRef(token[1:-1])


def _ntriples_lines(triples: list[Triple], ordered: bool = True) -> list[str]:
    """Sorted, distinct N-Triples lines: deterministic, and Oxigraph's in-memory store answers
    ``ORDER BY ?case`` fastest when cases were inserted in order. ``ordered=False``: distinct only (an
    on-disk store's bulk loader sorts them anyway)."""
    suffix: dict[tuple[str, str], str] = {}
    lines = set()
    for s, p, v in triples:
        end = suffix.get((p, v))
        if end is None:
            end = suffix[(p, v)] = f" <{p}> {_object_nt(p, v)} ."
        lines.add(s + end)
    return sorted(lines) if ordered else list(lines)


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

