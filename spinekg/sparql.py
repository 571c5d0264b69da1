"""Named competency questions (``queries/cq/NN-name.rq`` + ``.yaml``) run on rdflib or Oxigraph.

Both engines answer the same plain SPARQL 1.1 text; results are normalised to engine-independent terms
so tests can compare them row by row. Parameters are bound by the engines themselves (rdflib
``initBindings``, Oxigraph ``substitutions``, SEP-0007): a value is an RDF term, never query text, so an
injection string is just a literal that matches nothing.

Graphs: ``ontology`` questions run over the query-ready graph (asserted + HermiT-inferred + direct
edges, see :mod:`spinekg.edges`); ``cases`` questions over that graph plus the query-ready case graph: case
records (the shipped example set unless other data files are given) plus their derived verdicts
(``spinekg:backSurgeryVerdict`` ..., exactly what the SHACL-AF rules derive; :mod:`spinekg.case_verdicts`
adds them wherever case data is loaded here, unless the data already carries them). Under a profile
(``--profile``) the ontology's per-procedure and per-site back-surgery answers and the case verdicts follow
that definition of back surgery. ``store_engine`` runs questions over an on-disk store made by ``spinekg load``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any, Union

from .errors import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, SpinekgError
from .namespaces import BACK_SURGERY_SITE, OBO, OBOINOWL, SKOS, SPINEKG

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
    """Embedded Oxigraph store (in memory); parameters go through ``substitutions`` (SEP-0007).

    Large answers dominate the cost at 100k cases, so two steps run outside Oxigraph's evaluator, each
    proven equal to it by tests/test_sparql.py: solutions are read from TSV written in Rust (see
    :func:`tsv_rows`), and a final ``ORDER BY ?a DESC(?b)`` over projected variables whose values
    Python orders exactly as Oxigraph does (IRIs, plain strings, integers) is done by a stable Python sort
    (Oxigraph's comparator fetches both IRI strings from its dictionary at every comparison: 45 ms of a
    66 ms answer of 8.7k rows). ``python_order=False`` leaves every ORDER BY to Oxigraph.
    """

    name = "oxigraph"

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


# ---- Oxigraph results to terms ---------------------------------------------------------------------
# Creating a Python object per solution and per value costs more than the query itself on large answers
# (66k rows: ~200 ms of 300). So Oxigraph writes the solutions as SPARQL TSV in Rust, and each distinct
# cell is read into a term once. tests/test_sparql.py proves this equal to reading the solution objects.
class _NotPlain(ValueError):
    """A TSV cell that is not an IRI, blank node or literal."""


_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_BARE = [(re.compile(r"[+-]?\d+"), XSD + "integer"), (re.compile(r"[+-]?\d*\.\d+"), XSD + "decimal"),
         (re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+"), XSD + "double"),
         (re.compile(r"true|false"), XSD + "boolean")]


def _unescape(text: str) -> str:
    def one(match: re.Match) -> str:  # type: ignore[type-arg]
        if match.group(3) is not None:
            if match.group(3) not in _ESCAPES:
                raise _NotPlain(text)
            return _ESCAPES[match.group(3)]
        return chr(int(match.group(1) or match.group(2), 16))

    return _ESCAPE.sub(one, text)


def tsv_term(cell: str) -> Term | None:
    """One cell of SPARQL TSV results (Turtle syntax) as a term; empty means unbound."""
    if not cell:
        return None
    first = cell[0]
    if first == "<":
        if cell.startswith("<<") or not cell.endswith(">"):
            raise _NotPlain(cell)
        iri = cell[1:-1]
        return ("iri", _unescape(iri) if "\\" in iri else iri)
    if first == '"':
        end = cell.rindex('"')
        lexical, rest = cell[1:end], cell[end + 1:]
        if "\\" in lexical:
            lexical = _unescape(lexical)
        if not rest:
            return ("literal", lexical, XSD_STRING, "")
        if rest[0] == "@" and "--" not in rest:
            return ("literal", lexical, LANG_STRING, rest[1:].lower())
        if rest.startswith("^^<") and rest.endswith(">"):
            return ("literal", lexical, rest[3:-1], "")
        raise _NotPlain(cell)
    if cell.startswith("_:"):
        return ("bnode", "")
    for pattern, datatype in _BARE:
        if pattern.fullmatch(cell):
            return ("literal", cell, datatype, "")
    raise _NotPlain(cell)


class _Cells(dict):
    """Cell text -> term, read once per distinct cell."""

    def __missing__(self, cell: str) -> Term | None:
        if cell[:1] == "<" and cell[1:2] != "<" and "\\" not in cell:
            term: Term | None = ("iri", cell[1:-1])
        else:
            term = tsv_term(cell)
        self[cell] = term
        return term


def tsv_rows(data: bytes, width: int, iri_columns: set[int] | None = None) -> list[tuple[Term | None, ...]]:
    """Rows of a SPARQL TSV result document (header line first), built column by column in C loops:
    a column of plain IRIs (the bulk of a large answer) becomes terms without a Python call per cell;
    the numbers of such columns go into ``iri_columns``."""
    text = data.decode("utf-8")
    body = text[text.index("\n") + 1:] if "\n" in text else ""
    if body.endswith("\n"):
        body = body[:-1]
    if not body and width:
        return [] if text.count("\n") <= 1 else [(None,) * width]
    lines = body.split("\n")
    if width == 0:
        return [()] * len(lines)
    cells = _Cells()
    iri_columns = set() if iri_columns is None else iri_columns
    if width == 1:
        return list(zip(_column(lines, body, cells, 0, iri_columns)))
    flat = "\t".join(lines).split("\t")
    if len(flat) != width * len(lines):
        raise _NotPlain("ragged TSV")
    columns = [flat[i::width] for i in range(width)]
    return list(zip(*(_column(column, None, cells, i, iri_columns) for i, column in enumerate(columns))))


_SLICE = itemgetter(slice(1, -1))


def _column(cells: list[str], joined: str | None, cache: "_Cells", number: int,  # type: ignore[no-untyped-def]
            iri_columns: set[int]):
    """Terms for one column: a map over C code when every cell is a plain IRI, else one read per distinct cell."""
    joined = "\n".join(cells) if joined is None else joined
    if joined[:1] == "<" and joined.count("\n<") == len(cells) - 1 and "<<" not in joined and "\\" not in joined:
        iri_columns.add(number)
        return zip(repeat("iri"), map(_SLICE, cells))
    return map(cache.__getitem__, cells)


# ---- a final ORDER BY, done in Python ------------------------------------------------------------
_KEY = r"(?:(?:ASC|DESC)\s*\(\s*\?\w+\s*\)|\?\w+)"
_ORDER_BY = re.compile(rf"(?is)^(.*?\S)\s+ORDER\s+BY((?:\s*{_KEY})+)\s*$")
_ORDER_KEY = re.compile(r"(?i)(ASC|DESC)?\s*\(?\s*\?(\w+)")
_SPLITS: dict[str, tuple[str, list[tuple[str, bool]]] | None] = {}
_IRI_OR_STRING = re.compile(r"""<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'""")  # where '#' is no comment


def split_order_by(text: str) -> tuple[str, list[tuple[str, bool]]] | None:
    """(the query without its final ORDER BY, [(variable, descending), ...]) when the query ends with an
    ORDER BY of plain variables (a comment, LIMIT or expression after it: None, Oxigraph orders)."""
    if text not in _SPLITS:
        match = _ORDER_BY.match(text)
        line = _IRI_OR_STRING.sub("", text[: match.end(1)].rsplit("\n", 1)[-1]) if match else ""
        _SPLITS[text] = None if match is None or "#" in line else (
            match.group(1), [(name, (kind or "").upper() == "DESC") for kind, name in _ORDER_KEY.findall(match.group(2))])
    return _SPLITS[text]


def _order_key(rows: list[tuple[Term | None, ...]], column: int, only_iris: bool = False):  # type: ignore[no-untyped-def]
    """A Python sort key that orders this column's values exactly as Oxigraph's ORDER BY does: unbound,
    then blank nodes (all equal), then IRIs by code point, then literals, when the literals are all
    plain strings (code point) or all xsd:integer (value); None for anything else (Oxigraph orders)."""
    if only_iris:
        return lambda row: row[column][1]
    values = [row[column] for row in rows]
    kinds = {None if v is None else v[0] if v[0] != "literal" else v[2] for v in values}
    if kinds == {"iri"} or kinds == {XSD_STRING}:
        return lambda row: row[column][1]
    literals = kinds - {None, "iri", "bnode"}
    if not literals:
        literal = None
    elif literals == {XSD_STRING}:
        literal = lambda term: term[1]  # noqa: E731
    elif literals == {XSD + "integer"} and all(v is None or v[0] != "literal" or _LEXICAL["integer"].fullmatch(v[1])
                                                for v in values):
        literal = lambda term: int(term[1])  # noqa: E731
    else:
        return None

    def key(row):  # type: ignore[no-untyped-def]
        term = row[column]
        if term is None:
            return (0, "")
        if term[0] == "literal":
            return (3, literal(term))  # type: ignore[misc]
        return (1, "") if term[0] == "bnode" else (2, term[1])

    return key


def order_rows(answer: QueryResult, keys: list[tuple[str, bool]], iri_columns: set[int] | frozenset = frozenset()) -> bool:
    """Sort ``answer.rows`` by ``keys`` as ORDER BY would (stable, like Oxigraph's); False, and rows
    untouched, when a key is not projected or its values are not ones Python orders like Oxigraph.
    ``iri_columns``: columns known to hold only IRIs (no need to look at their values first)."""
    if answer.form != "SELECT" or any(name not in answer.variables for name, _ in keys):
        return False
    functions = []
    for name, descending in keys:
        column = answer.variables.index(name)
        key = _order_key(answer.rows, column, column in iri_columns)
        if key is None:
            return False
        functions.append((key, descending))
    for key, descending in reversed(functions):  # stable sorts, last key first
        answer.rows.sort(key=key, reverse=descending)
    return True


def solution_rows(result, variables: list[str]) -> list[tuple[Term | None, ...]]:  # type: ignore[no-untyped-def]
    """Rows read from Oxigraph's solution objects (the general, slower way)."""
    import pyoxigraph as ox

    def norm(value) -> Term | None:  # type: ignore[no-untyped-def]
        if value is None:
            return None
        if isinstance(value, ox.NamedNode):
            return ("iri", value.value)
        if isinstance(value, ox.Literal):
            lang = value.language or ""
            return ("literal", value.value, value.datatype.value, lang.lower())
        return ("bnode", "")

    return [tuple(norm(s[v]) for v in variables) for s in result]


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


def runtime_engine(kind: str, graph: str, data: list[Path] | None = None, profile: str | None = None):  # type: ignore[no-untyped-def]
    """An engine over what a question needs, without Java: case data (the given files, else the example
    cases for a ``cases`` question) made query-ready with its derived verdicts, and the released
    query-ready graph. Data files load first, so a malformed one is reported (exit 2) before anything
    else is needed. ``profile``: a non-default definition of back surgery (``spinekg profiles``) that the
    ontology's per-procedure and per-site answers and the case verdicts follow."""
    from .case_verdicts import add_verdicts
    from .cases import example_cases_path

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
    from .profiles import is_default

    edges = require_release_edges()
    if is_default(profile):
        engine.add_file(edges)
    else:
        engine.add_ntriples(profile_ontology_ntriples(str(profile), edges))


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
    from .profiles import load_overlay

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
    from rdflib import Graph

    return [line for line in Graph().parse(path).serialize(format="nt").splitlines() if line.strip()]


def store_engine(directory: Path, graph: str = "ontology"):  # type: ignore[no-untyped-def]
    """An engine over an on-disk store made by ``spinekg load --store DIR`` (read-only), checked to hold
    what a ``graph`` question needs: the query-ready ontology, and for ``cases`` query-ready case records."""
    from . import stores

    directory = Path(directory)
    engine = stores.store_engine(directory)
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
