"""Engine-independent query results: RDF terms as tuples, Oxigraph's TSV read back into them, and a
final ORDER BY re-applied in Python where Oxigraph's order and rdflib's differ."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from typing import Any, Union

from ..namespaces import OBO, OBOINOWL, SKOS, SPINEKG

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
_LEXICAL = {"integer": re.compile(r"[+-]?\d+"), "date": re.compile(r"\d{4}-\d{2}-\d{2}")}

# An engine-independent RDF term: ("iri", iri) | ("literal", lexical, datatype, language) | ("bnode", "").
Term = tuple


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


_SAMPLE = 256  # cells looked at to tell a column of few distinct values (a class, a code) from one of many


def _column(cells: list[str], joined: str | None, cache: "_Cells", number: int,  # type: ignore[no-untyped-def]
            iri_columns: set[int]):
    """Terms for one column: one shared term per distinct cell when the first cells repeat a lot (a
    dictionary lookup per cell, no new object: 8x faster on a column of two specialties), a map over C
    code when every cell is a plain IRI, else one read per distinct cell."""
    sample = cells[:_SAMPLE]
    if len(set(sample)) * 4 <= len(sample):
        column = _Cells()
        terms = list(map(column.__getitem__, cells))
        if all(term is not None and term[0] == "iri" for term in column.values()):
            iri_columns.add(number)
        return terms
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


# ---- SPARQL 1.1 Query Results JSON -----------------------------------------------------------------
def results_json(result: QueryResult) -> dict[str, Any]:
    """The result in the W3C SPARQL 1.1 Query Results JSON Format (what any SPARQL client reads): ASK as
    ``{"head": {}, "boolean": ...}``; unbound variables are left out of a binding; plain strings carry no
    datatype; blank nodes get labels unique within the result."""
    if result.form == "ASK":
        return {"head": {}, "boolean": bool(result.boolean)}
    bindings, blanks = [], 0
    for row in result.rows:
        binding: dict[str, dict[str, str]] = {}
        for variable, term in zip(result.variables, row):
            if term is None:
                continue
            if term[0] == "iri":
                binding[variable] = {"type": "uri", "value": term[1]}
            elif term[0] == "literal":
                cell = {"type": "literal", "value": term[1]}
                if term[3]:
                    cell["xml:lang"] = term[3]
                elif term[2] and term[2] != XSD_STRING:
                    cell["datatype"] = term[2]
                binding[variable] = cell
            else:
                blanks += 1
                binding[variable] = {"type": "bnode", "value": f"b{blanks}"}
        bindings.append(binding)
    return {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
