"""The two SPARQL engines behind one interface: rdflib (the reference) and Oxigraph (fast); parameters
are bound by the engine as RDF terms, never pasted into the query text."""
from __future__ import annotations

from pathlib import Path

from ..collector import collector_paused
from ..errors import EXIT_ENVIRONMENT, SpinekgError
from .policy import check_query, no_graph_loading
from .questions import CompetencyQuestion, bind_params
from .results import LANG_STRING, QueryResult, Term, XSD_STRING, _NotPlain, order_rows, solution_rows, split_order_by, tsv_rows
ENGINES = ("rdflib", "oxigraph")


# ---- engines -------------------------------------------------------------------------------------
class RdflibEngine:
    """rdflib in-memory graph; parameters go through ``initBindings``."""

    name = "rdflib"
    allow_service = False  # SERVICE sends requests (and opens file: IRIs): see spinekg.sparql.policy

    def __init__(self, graph=None):  # type: ignore[no-untyped-def]
        from rdflib import Graph

        self.graph = graph if graph is not None else Graph()

    def add_file(self, path: Path) -> None:
        from ..rdf.parse import parse_file

        parse_file(Path(path), self.graph)

    def add_ntriples(self, text: str) -> None:
        self.graph.parse(data=text, format="nt")

    def query(self, text: str, bindings: dict[str, Term] | None = None) -> QueryResult:
        from rdflib import BNode, Literal, URIRef, Variable

        def to_rdflib(term: Term):  # type: ignore[no-untyped-def]
            if term[0] == "iri":
                return URIRef(term[1])
            if term[2] and term[2] != XSD_STRING:
                return Literal(term[1], datatype=URIRef(term[2]))
            return Literal(term[1])

        def norm(value) -> Term | None:  # type: ignore[no-untyped-def]
            if value is None:
                return None
            if isinstance(value, URIRef):
                return ("iri", str(value))
            if isinstance(value, Literal):
                lang = value.language or ""
                datatype = str(value.datatype) if value.datatype else (LANG_STRING if lang else XSD_STRING)
                return ("literal", str(value), datatype, lang.lower())
            if isinstance(value, BNode):
                return ("bnode", "")
            return ("literal", str(value), XSD_STRING, "")

        init = {Variable(k): to_rdflib(v) for k, v in (bindings or {}).items()}
        check_query(text, self.allow_service)
        no_graph_loading()
        try:
            result = self.graph.query(text, initBindings=init)
            if result.type == "ASK":
                return QueryResult("ASK", boolean=bool(result.askAnswer))
            if result.type != "SELECT":
                raise SpinekgError("only SELECT and ASK competency questions are supported")
            variables = [str(v) for v in result.vars]
            rows = [tuple(norm(row[i]) for i in range(len(variables))) for row in result]
        except SpinekgError:
            raise
        except Exception as exc:  # rdflib evaluates lazily: errors surface while rows are read
            raise SpinekgError(f"rdflib could not run the query: {' '.join(str(exc).split())[:200]}") from None
        return QueryResult("SELECT", variables, rows)


class OxigraphEngine:
    """Embedded Oxigraph store (in memory); parameters go through ``substitutions`` (SEP-0007).

    Large answers dominate the cost at 100k cases, so two steps run outside Oxigraph's evaluator, each
    proven equal to it by tests/test_sparql.py: solutions are read from TSV written in Rust (see
    :func:`tsv_rows`), and a final ``ORDER BY ?a DESC(?b)`` over projected variables whose values
    Python orders exactly as Oxigraph does (IRIs, plain strings, integers) is done by a stable Python sort
    (Oxigraph's comparator fetches both IRI strings from its dictionary at every comparison: 45 ms of a
    66 ms answer of 8.7k rows). ``python_order=False`` leaves every ORDER BY to Oxigraph.
    """

    name = "oxigraph"
    allow_service = False  # SERVICE sends HTTP requests: see spinekg.sparql.policy

    def __init__(self, store=None, python_order: bool = True):  # type: ignore[no-untyped-def]
        import pyoxigraph

        self.store = store if store is not None else pyoxigraph.Store()
        self.python_order = python_order

    @classmethod
    def from_graph(cls, graph) -> "OxigraphEngine":  # type: ignore[no-untyped-def]
        engine = cls()
        engine.add_ntriples(graph.serialize(format="nt"))
        return engine

    def add_ntriples(self, text: str) -> None:
        import pyoxigraph

        self.store.bulk_load(text.encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)

    def add_file(self, path: Path) -> None:
        import pyoxigraph

        from ..rdf.parse import guess_format

        path = Path(path)
        formats = {"turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES,
                   "xml": pyoxigraph.RdfFormat.RDF_XML, "json-ld": pyoxigraph.RdfFormat.JSON_LD,
                   "n3": pyoxigraph.RdfFormat.N3, "trig": pyoxigraph.RdfFormat.TRIG}
        from ..rdf.guard import check_rdf_file

        data = check_rdf_file(path, guess_format(path))  # no network, no other file, bounded resources
        source = {"input": data} if data is not None else {"path": str(path)}
        try:
            self.store.load(format=formats.get(guess_format(path), pyoxigraph.RdfFormat.TURTLE), **source)
        except SyntaxError as exc:
            raise SpinekgError(f"{path}: cannot parse as RDF: {' '.join(str(exc).split())[:300]}") from None
        except (OSError, ValueError) as exc:
            raise SpinekgError(f"{path}: cannot read: {' '.join(str(exc).split())[:300]}") from None

    def query(self, text: str, bindings: dict[str, Term] | None = None) -> QueryResult:
        check_query(text, self.allow_service)
        with collector_paused():  # a large answer is hundreds of thousands of new tuples, no cycles
            split = split_order_by(text) if self.python_order else None
            if split is not None:
                iri_columns: set[int] = set()
                answer = self._select(split[0], bindings, iri_columns)
                if answer is not None and order_rows(answer, split[1], iri_columns):
                    return answer
            answer = self._select(text, bindings)
        if answer is None:
            raise SpinekgError("only SELECT and ASK competency questions are supported")
        return answer

    def _select(self, text: str, bindings: dict[str, Term] | None,
                iri_columns: set[int] | None = None) -> QueryResult | None:
        """The full answer of a SELECT or ASK query; None for other forms. ``iri_columns`` collects the
        columns found to hold only IRIs."""
        import pyoxigraph as ox

        result = self._run(text, bindings)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ASK", boolean=bool(result))
        if not isinstance(result, ox.QuerySolutions):
            return None
        variables = [v.value for v in result.variables]
        try:
            rows = tsv_rows(_evaluate(result.serialize, format=ox.QueryResultsFormat.TSV), len(variables), iri_columns)
        except _NotPlain:  # a term the TSV reader does not take (an RDF 1.2 triple term): the slow, general way
            rows = _evaluate(solution_rows, self._run(text, bindings), variables)
        return QueryResult("SELECT", variables, rows)

    def _run(self, text: str, bindings: dict[str, Term] | None):  # type: ignore[no-untyped-def]
        import pyoxigraph as ox

        subs = {ox.Variable(k): _to_oxigraph(v) for k, v in (bindings or {}).items()}
        try:
            return self.store.query(text, substitutions=subs or None)
        except SyntaxError as exc:
            raise SpinekgError(f"Oxigraph could not parse the query: {' '.join(str(exc).split())[:200]}") from None
        except (RuntimeError, OSError) as exc:  # e.g. a bound variable missing from the SELECT projection
            raise SpinekgError(f"Oxigraph could not run the query: {' '.join(str(exc).split())[:200]}") from None


def _evaluate(function, *args, **options):  # type: ignore[no-untyped-def]
    """Oxigraph evaluates lazily: errors surface while the solutions are read, and get the same one line."""
    try:
        return function(*args, **options)
    except (RuntimeError, OSError) as exc:
        raise SpinekgError(f"Oxigraph could not run the query: {' '.join(str(exc).split())[:200]}") from None


def _to_oxigraph(term: Term):  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    if term[0] == "iri":
        return ox.NamedNode(term[1])
    return ox.Literal(term[1], datatype=ox.NamedNode(term[2] or XSD_STRING))


def make_engine(kind: str, graph=None):  # type: ignore[no-untyped-def]
    """An engine over an rdflib graph (copied into Oxigraph for ``oxigraph``)."""
    if kind == "rdflib":
        return RdflibEngine(graph)
    if kind == "oxigraph":
        try:
            import pyoxigraph  # noqa: F401
        except ImportError:
            raise SpinekgError("the oxigraph engine needs pyoxigraph (pip install 'pyoxigraph>=0.4')",
                               EXIT_ENVIRONMENT) from None
        return OxigraphEngine.from_graph(graph) if graph is not None else OxigraphEngine()
    raise SpinekgError(f"unknown engine {kind!r} (choose {' or '.join(ENGINES)})")


def run_question(question: CompetencyQuestion, engine, params: dict[str, str] | None = None) -> QueryResult:  # type: ignore[no-untyped-def]
    return engine.query(question.text, bind_params(question, params or {}))


def open_engine(kind: str, files: list[Path]):  # type: ignore[no-untyped-def]
    engine = make_engine(kind)
    for path in files:
        engine.add_file(Path(path))
    return engine
