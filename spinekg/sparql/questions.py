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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import EXIT_BAD_INPUT, SpinekgError
from .results import PREFIXES, Term, XSD, XSD_STRING, _LEXICAL
GRAPHS = ("ontology", "cases")
PARAM_TYPES = {"iri": None, "string": XSD_STRING, "integer": XSD + "integer", "date": XSD + "date"}
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


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
    from ..paths import queries_dir

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
    from ..rdf import limits
    from ..rdf.guard import check_regular_file

    if check_regular_file(path) > limits.get("query-bytes"):  # never a FIFO or /dev/zero
        raise limits.exceeded(str(path), "query-bytes", "the file size")
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
