"""Named competency questions (``queries/cq/NN-name.rq`` + ``.yaml``) run on rdflib or Oxigraph.

Both engines answer the same plain SPARQL 1.1 text; results are normalised to engine-independent terms
so tests can compare them row by row. Parameters are bound by the engines themselves (rdflib
``initBindings``, Oxigraph ``substitutions``, SEP-0007): a value is an RDF term, never query text, so an
injection string is just a literal that matches nothing.

Graphs: ``ontology`` questions run over the query-ready graph (asserted + HermiT-inferred + direct
edges, see :mod:`spinekg.edges`); ``cases`` questions over that graph plus case records (the shipped
example set unless other data files are given).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from .errors import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, SpinekgError
from .namespaces import OBO, OBOINOWL, SKOS, SPINEKG

EX = SPINEKG + "example/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_STRING = XSD + "string"
LANG_STRING = RDF_NS + "langString"
# Prefixes used to show IRIs compactly (display and expected answers); queries declare their own.
PREFIXES = {
    "spinekg": SPINEKG, "ex": EX, "obo": OBO, "oboInOwl": OBOINOWL, "skos": SKOS, "rdf": RDF_NS,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "owl": "http://www.w3.org/2002/07/owl#", "xsd": XSD,
    "dcterms": "http://purl.org/dc/terms/",
}
GRAPHS = ("ontology", "cases")
ENGINES = ("rdflib", "oxigraph")
PARAM_TYPES = {"iri": None, "string": XSD_STRING, "integer": XSD + "integer", "date": XSD + "date"}
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LEXICAL = {"integer": re.compile(r"[+-]?\d+"), "date": re.compile(r"\d{4}-\d{2}-\d{2}")}

# An engine-independent RDF term: ("iri", iri) | ("literal", lexical, datatype, language) | ("bnode", "").
Term = tuple


_FORMS: dict[str, str] = {}


# ---- competency questions ----------------------------------------------------------------------
@dataclass(frozen=True)
class Param:
    name: str
    type: str  # one of PARAM_TYPES
    default: str | None = None
    description: str = ""


@dataclass(frozen=True)
class CompetencyQuestion:
    """One question: its query text and what the tests expect it to answer."""

    name: str
    path: Path
    text: str
    question: str = ""
    seed_section: tuple[int, ...] = ()
    graph: str = "ontology"
    expected: Any = None  # list of row dicts (SELECT) or bool (ASK); None for ad-hoc query files
    params: tuple[Param, ...] = ()
    notes: str = ""
    source_check: str = ""  # how the answer is re-derived from the asserted source + reasoning (tests)

    @property
    def form(self) -> str:
        if self.text not in _FORMS:
            _FORMS[self.text] = query_form(self.text)
        return _FORMS[self.text]

    @property
    def number(self) -> str:
        return self.name.split("-", 1)[0]


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, from the parsed query (comments and IRIs cannot fool it)."""
    from rdflib.plugins.sparql import prepareQuery

    name = prepareQuery(text).algebra.name  # SelectQuery, AskQuery, ConstructQuery, DescribeQuery
    return name[: -len("Query")].upper()


def cq_dir() -> Path:
    from .paths import queries_dir

    return queries_dir() / "cq"


def check_syntax(text: str, origin: str) -> None:
    """Parse with rdflib's SPARQL parser; a syntax error becomes one line naming file, line and column."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepareQuery(text)
    except ParseException as exc:
        line = text.splitlines()[exc.lineno - 1].strip() if 0 < exc.lineno <= len(text.splitlines()) else ""
        raise SpinekgError(f"{origin}:{exc.lineno}:{exc.col}: SPARQL syntax error near {line[:60]!r}") from None
    except Exception as exc:  # rdflib raises plain exceptions for unknown prefixes and the like
        raise SpinekgError(f"{origin}: invalid SPARQL: {' '.join(str(exc).split())[:200]}") from None


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpinekgError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise SpinekgError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def _params(raw: Any, origin: str) -> tuple[Param, ...]:
    if raw in (None, {}):
        return ()
    if not isinstance(raw, dict):
        raise SpinekgError(f"{origin}: 'params' must be a mapping of name to {{type, default}}")
    out = []
    for name, spec in raw.items():
        spec = spec if isinstance(spec, dict) else {"type": "string", "default": spec}
        kind = spec.get("type", "string")
        if kind not in PARAM_TYPES or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(name)):
            raise SpinekgError(f"{origin}: parameter {name!r}: type must be one of {', '.join(PARAM_TYPES)}")
        default = spec.get("default")
        out.append(Param(str(name), kind, None if default is None else str(default), str(spec.get("description", ""))))
    return tuple(out)


def load_question(rq: Path) -> CompetencyQuestion:
    """A question from its ``.rq`` file and the ``.yaml`` beside it (optional for ad-hoc queries)."""
    import yaml

    rq = Path(rq)
    text = _read_text(rq)
    check_syntax(text, str(rq))
    meta_path = rq.with_suffix(".yaml")
    if not meta_path.is_file():
        return CompetencyQuestion(rq.stem, rq, text)
    try:
        meta = yaml.safe_load(_read_text(meta_path)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise SpinekgError(f"{meta_path}{where}: malformed YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(meta, dict):
        raise SpinekgError(f"{meta_path}: expected a mapping with question, seed_section, graph, expected")
    graph = meta.get("graph", "ontology")
    if graph not in GRAPHS:
        raise SpinekgError(f"{meta_path}: graph must be one of {', '.join(GRAPHS)}, not {graph!r}")
    sections = meta.get("seed_section", [])
    sections = tuple(int(s) for s in (sections if isinstance(sections, list) else [sections]))
    return CompetencyQuestion(rq.stem, rq, text, str(meta.get("question", "")).strip(), sections, graph,
                              meta.get("expected"), _params(meta.get("params"), str(meta_path)),
                              str(meta.get("notes", "")).strip(), str(meta.get("source_check", "")).strip())


def list_questions(directory: Path | None = None) -> list[CompetencyQuestion]:
    directory = directory or cq_dir()
    return [load_question(p) for p in sorted(directory.glob("*.rq"))]


def find_question(name_or_file: str, directory: Path | None = None) -> CompetencyQuestion:
    """A named question (``07``, ``07-acdf-c5-c6-back-surgery``, ``acdf-c5-c6-back-surgery``) or a .rq path."""
    path = Path(name_or_file)
    if path.suffix == ".rq" or path.is_file():
        return load_question(path)
    directory = directory or cq_dir()
    stems = sorted(p.stem for p in directory.glob("*.rq"))
    hits = [s for s in stems if name_or_file in (s, s.split("-", 1)[0], s.split("-", 1)[-1])]
    if len(hits) == 1:
        return load_question(directory / f"{hits[0]}.rq")
    close = [s for s in stems if name_or_file.lower() in s.lower()][:5]
    raise SpinekgError(f"no competency question named {name_or_file!r} (see 'spinekg query --list')"
                       if not hits else f"{name_or_file!r} is ambiguous", EXIT_BAD_INPUT, close or hits)


# ---- parameters ----------------------------------------------------------------------------------
def expand_iri(value: str) -> str:
    """``spinekg:X``, ``<http://...>`` or ``http://...`` to a full IRI; anything else is an error."""
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    elif ":" in text and text.split(":", 1)[0] in PREFIXES:
        prefix, local = text.split(":", 1)
        text = PREFIXES[prefix] + local
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", text) or _IRI_FORBIDDEN.search(text):
        raise SpinekgError(f"not a valid IRI: {value!r}")
    return text


def bind_params(question: CompetencyQuestion, given: dict[str, str]) -> dict[str, Term]:
    """Values for the question's declared parameters (given, else defaults), as engine-independent terms."""
    declared = {p.name: p for p in question.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        known = ", ".join(declared) or "none"
        raise SpinekgError(f"{question.name}: unknown parameter {unknown[0]!r} (parameters: {known})")
    terms: dict[str, Term] = {}
    for name, param in declared.items():
        value = given.get(name, param.default)
        if value is None:
            raise SpinekgError(f"{question.name}: parameter {name!r} needs a value (--param {name}=...)")
        if param.type == "iri":
            try:
                terms[name] = ("iri", expand_iri(value))
            except SpinekgError as exc:
                raise SpinekgError(f"{question.name}: parameter {name!r}: {exc}") from None
        else:
            pattern = _LEXICAL.get(param.type)
            if pattern and not pattern.fullmatch(value):
                raise SpinekgError(f"{question.name}: parameter {name!r}: {value!r} is not a valid {param.type}")
            terms[name] = ("literal", value, PARAM_TYPES[param.type], "")
    return terms


def parse_param_args(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise SpinekgError(f"--param expects name=value, got {item!r}")
        out[name.strip()] = value
    return out


# ---- results -------------------------------------------------------------------------------------
@dataclass
class QueryResult:
    """Engine-independent answer: ``boolean`` for ASK, else ``variables`` and ``rows`` of terms."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None

    def display(self) -> Union[bool, list[dict[str, Any]]]:
        """What the YAML ``expected`` holds: compact IRIs, literal values, ints for xsd:integer."""
        if self.form == "ASK":
            return bool(self.boolean)
        return [{v: display_term(t) for v, t in zip(self.variables, row)} for row in self.rows]


def compact(iri: str) -> str:
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is not None:
        local = iri[len(best):]
        if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", local) and not local.endswith("."):
            prefix = next(p for p, ns in PREFIXES.items() if ns == best)
            return f"{prefix}:{local}"
    return f"<{iri}>"


def display_term(term: Term | None) -> Any:
    if term is None:
        return None
    if term[0] == "iri":
        return compact(term[1])
    if term[0] == "literal":
        if term[2] in (XSD + "integer", XSD + "int", XSD + "long") and re.fullmatch(r"[+-]?\d+", term[1]):
            return int(term[1])
        if term[2] == XSD + "boolean":
            return term[1] in ("true", "1")
        return term[1]
    return "_:b"


def term_text(term: Term | None) -> str:
    """N-Triples-like text of a term (CSV/table output)."""
    value = display_term(term)
    return "" if value is None else str(value)


# ---- engines -------------------------------------------------------------------------------------
class RdflibEngine:
    """rdflib in-memory graph; parameters go through ``initBindings``."""

    name = "rdflib"

    def __init__(self, graph=None):  # type: ignore[no-untyped-def]
        from rdflib import Graph

        self.graph = graph if graph is not None else Graph()

    def add_file(self, path: Path) -> None:
        from .ontology import parse_file

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
        try:
            result = self.graph.query(text, initBindings=init)
        except Exception as exc:
            raise SpinekgError(f"rdflib could not run the query: {' '.join(str(exc).split())[:200]}") from None
        if result.type == "ASK":
            return QueryResult("ASK", boolean=bool(result.askAnswer))
        if result.type != "SELECT":
            raise SpinekgError("only SELECT and ASK competency questions are supported")
        variables = [str(v) for v in result.vars]
        return QueryResult("SELECT", variables, [tuple(norm(row[i]) for i in range(len(variables))) for row in result])


class OxigraphEngine:
    """Embedded Oxigraph store (in memory); parameters go through ``substitutions`` (SEP-0007)."""

    name = "oxigraph"

    def __init__(self, store=None):  # type: ignore[no-untyped-def]
        import pyoxigraph

        self.store = store if store is not None else pyoxigraph.Store()

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

        from .ontology import guess_format

        path = Path(path)
        formats = {"turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES,
                   "xml": pyoxigraph.RdfFormat.RDF_XML, "json-ld": pyoxigraph.RdfFormat.JSON_LD,
                   "n3": pyoxigraph.RdfFormat.N3, "trig": pyoxigraph.RdfFormat.TRIG}
        if not path.is_file():
            raise SpinekgError(f"{path}: no such file")
        try:
            self.store.load(path=str(path), format=formats.get(guess_format(path), pyoxigraph.RdfFormat.TURTLE))
        except SyntaxError as exc:
            raise SpinekgError(f"{path}: cannot parse as RDF: {' '.join(str(exc).split())[:300]}") from None
        except (OSError, ValueError) as exc:
            raise SpinekgError(f"{path}: cannot read: {' '.join(str(exc).split())[:300]}") from None

    def query(self, text: str, bindings: dict[str, Term] | None = None) -> QueryResult:
        import pyoxigraph as ox

        def to_ox(term: Term):  # type: ignore[no-untyped-def]
            if term[0] == "iri":
                return ox.NamedNode(term[1])
            return ox.Literal(term[1], datatype=ox.NamedNode(term[2] or XSD_STRING))

        def norm(value) -> Term | None:  # type: ignore[no-untyped-def]
            if value is None:
                return None
            if isinstance(value, ox.NamedNode):
                return ("iri", value.value)
            if isinstance(value, ox.Literal):
                lang = value.language or ""
                return ("literal", value.value, value.datatype.value, lang.lower())
            return ("bnode", "")

        subs = {ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()}
        try:
            result = self.store.query(text, substitutions=subs or None)
        except SyntaxError as exc:
            raise SpinekgError(f"Oxigraph could not parse the query: {' '.join(str(exc).split())[:200]}") from None
        except (RuntimeError, OSError) as exc:  # e.g. a bound variable missing from the SELECT projection
            raise SpinekgError(f"Oxigraph could not run the query: {' '.join(str(exc).split())[:200]}") from None
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ASK", boolean=bool(result))
        if not isinstance(result, ox.QuerySolutions):
            raise SpinekgError("only SELECT and ASK competency questions are supported")
        variables = [v.value for v in result.variables]
        return QueryResult("SELECT", variables, [tuple(norm(s[v]) for v in variables) for s in result])


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


# ---- where the graphs come from at run time ----------------------------------------------------
def release_edges_path() -> Path | None:
    """The released query-ready graph shipped in the package (written by ``spinekg build``), if present."""
    from .paths import DATA_DIR

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


def runtime_engine(kind: str, graph: str, data: list[Path] | None = None):  # type: ignore[no-untyped-def]
    """An engine over what a question needs, without Java: case data (the given files, else the example
    cases for a ``cases`` question) and the released query-ready graph. Data files load first, so a
    malformed one is reported (exit 2) before anything else is needed."""
    from .cases import example_cases_path

    files = list(data or []) or ([example_cases_path()] if graph == "cases" else [])
    engine = make_engine(kind)
    for path in files:
        engine.add_file(Path(path))
    engine.add_file(require_release_edges())
    return engine


def open_engine(kind: str, files: list[Path]):  # type: ignore[no-untyped-def]
    engine = make_engine(kind)
    for path in files:
        engine.add_file(Path(path))
    return engine


# ---- generated documentation ---------------------------------------------------------------------
SECTION_TITLES = {0: "introduction", 1: "scope and regions", 2: "surgical techniques", 3: "surgical objectives",
                  4: "specialization", 5: "post-operative care and recovery", 6: "institutional caveat"}


def _markdown_cell(value: Any) -> str:
    return "" if value is None else str(value).replace("|", "\\|")


def render_docs(questions: list[CompetencyQuestion], answers: dict[str, QueryResult]) -> str:
    """Markdown page: every question, its query and its current answer (deterministic)."""
    lines = ["# Competency questions", "",
             "Generated by `spinekg query --docs docs/competency-questions.md` from `queries/cq/`; do not edit.",
             "Each query runs in CI on rdflib and on Oxigraph, and its answer must equal the `expected` "
             "block of its YAML file.", "",
             "| # | question | seed section | graph |", "|---|---|---|---|"]
    for q in questions:
        sections = ", ".join(f"{s} ({SECTION_TITLES.get(s, '?')})" for s in q.seed_section)
        lines.append(f"| [{q.number}](#{q.name}) | {_markdown_cell(q.question)} | {sections} | {q.graph} |")
    lines.append("")
    for q in questions:
        lines += [f"## {q.name}", "", f"**{q.question}**", "",
                  f"Seed section: {', '.join(str(s) for s in q.seed_section)}. Graph: `{q.graph}`"
                  + (" (query-ready ontology + example case records)." if q.graph == "cases" else " (query-ready ontology).")]
        if q.params:
            lines.append("Parameters: " + ", ".join(f"`{p.name}` ({p.type}, default `{p.default}`)" for p in q.params) + ".")
        if q.notes:
            lines += ["", q.notes]
        lines += ["", "```sparql", q.text.rstrip(), "```", "", "Answer:", ""]
        answer = answers[q.name]
        if answer.form == "ASK":
            lines.append(f"`{'true' if answer.boolean else 'false'}`")
        elif not answer.rows:
            lines.append("(no rows)")
        else:
            lines += ["| " + " | ".join(answer.variables) + " |", "|" + "---|" * len(answer.variables)]
            for row in answer.display():
                lines.append("| " + " | ".join(_markdown_cell(row[v]) for v in answer.variables) + " |")
        lines.append("")
    return "\n".join(lines)


def answer_all(questions: list[CompetencyQuestion], ontology_engine, cases_engine) -> dict[str, QueryResult]:  # type: ignore[no-untyped-def]
    return {q.name: run_question(q, cases_engine if q.graph == "cases" else ontology_engine) for q in questions}
