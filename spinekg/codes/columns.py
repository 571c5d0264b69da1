"""Classify Arrow columns of codes: each distinct value answered once (code table, then the composer),
then taken back to every row; pandas and Spark helpers build on this."""
from __future__ import annotations

from array import array
from collections.abc import Iterable
from itertools import accumulate
from pathlib import Path
from typing import Any

from ..collector import collector_paused
from ..errors import EXIT_ENVIRONMENT, SpinekgError


PCS_COLUMNS = ("spine_surgery", "back_surgery", "regions", "procedure", "error")
CM_COLUMNS = ("disorder", "lower_back_condition", "regions", "treated_by", "error")
TEXT_COLUMNS = ("spine_surgery", "back_surgery", "regions", "procedure", "readings", "error")
# The cache forgets what it learnt beyond these (a wrong column of millions of distinct values stays bounded)
CACHE_KEYS = 2_000_000  # distinct values (real code lists have < 100,000)
CACHE_ROWS = 200_000  # distinct answers beyond the code table's (each bad value has its own error message)
PCS_SHAPE = "^0[0-9A-HJ-NP-Z]{6}$"  # a section-0 code (codes.PCS_RE, section 0)
TRI = {"y": "yes", "n": "no", "d": "depends"}
TRI_ORDER = ("yes", "no", "depends")  # code_table.TRI_ORDER: y, n, d → 0, 1, 2


def _pyarrow():
    try:
        import pyarrow
    except ImportError:
        raise SpinekgError("bulk classification needs pyarrow: pip install 'spinekg[bulk]'", EXIT_ENVIRONMENT) from None
    return pyarrow


_COMPUTE: Any = None


def _compute() -> Any:
    """pyarrow's compute kernels, without importing pyarrow.compute (it spends ≈40 ms writing a Python wrapper
    and docstring for each of its 300 functions; ``call_function`` and the option classes are all we use)."""
    global _COMPUTE
    if _COMPUTE is None:
        _pyarrow()
        try:
            from pyarrow import _compute as compute
        except ImportError:  # pragma: no cover - a pyarrow without the private module
            import pyarrow.compute as compute  # type: ignore[no-redef]
        _COMPUTE = compute
    return _COMPUTE


def _f(name: str, *args: Any, options: Any = None) -> Any:
    """Call an Arrow compute function by name (Arrow arrays and scalars only: Python values cost a pandas import)."""
    return _compute().call_function(name, list(args), options)


def _index_in(values: Any, value_set: Any) -> Any:
    return _f("index_in", values, options=_compute().SetLookupOptions(value_set))


def _take(values: Any, indices: Any) -> Any:
    return _f("take", values, indices)


def output_columns(system: str) -> tuple[str, ...]:
    # ICD-9-CM procedures answer as ICD-10-PCS codes do
    return CM_COLUMNS if system == "icd10cm" else TEXT_COLUMNS if system == "text" else PCS_COLUMNS


# pa.array() and Python scalars in compute calls make pyarrow import pandas (≈0.15 s) just to rule out pandas
# objects; the small arrays of the code table are built from buffers instead.
def _strings(values: list[str | None]) -> Any:
    pa = _pyarrow()
    valid = None
    nulls = values.count(None)
    if nulls:
        bits = bytearray((len(values) + 7) // 8)
        for number, value in enumerate(values):
            if value is not None:
                bits[number >> 3] |= 1 << (number & 7)
        valid = pa.py_buffer(bytes(bits))
    encoded = [b"" if value is None else value.encode("utf-8") for value in values]
    offsets = array("i", accumulate(map(len, encoded), initial=0))
    return pa.StringArray.from_buffers(len(values), pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded)), valid, nulls)


def _lines(text: str) -> Any:
    """A string array of the lines of ``text`` ("\\n"-separated), split by one Arrow kernel."""
    pa = _pyarrow()
    if not text:
        return _strings([])
    data = text.encode("utf-8")
    whole = pa.StringArray.from_buffers(1, pa.py_buffer(array("i", [0, len(data)])), pa.py_buffer(data))
    return _f("split_pattern", whole, options=_compute().SplitPatternOptions("\n")).values


def _tri_codes(text: str) -> Any:
    """An int8 array of 0, 1, 2 for the y, n, d characters of ``text``."""
    pa = _pyarrow()
    data = text.translate(str.maketrans("ynd", "\x00\x01\x02")).encode("ascii")
    return pa.Array.from_buffers(pa.int8(), len(data), [None, pa.py_buffer(data)])


def _int32s(values: list[int]) -> Any:
    pa = _pyarrow()
    return pa.Array.from_buffers(pa.int32(), len(values), [None, pa.py_buffer(array("i", values))])


class ResultCache:
    """code → row of the result table, for one code system, profile and needle option; each distinct code is resolved
    once. A procedure column (``icd10pcs`` or ``icd9cm``) may mix both procedure systems: each value is answered in
    the system its shape says (ICD-9-CM: NN.N, NN.NN or 3-4 digits), as claims spanning October 2015 do."""

    def __init__(self, system: str, index: dict | None = None, profile: str | Path | None = None, needle: bool = False):
        from .icd10 import SYSTEMS, check_cm_profile
        from .code_table import code_table
        from ..answer.profiles import DEFAULT_PROFILE, is_default

        if system not in SYSTEMS:
            raise SpinekgError(f"unknown code system {system!r} (expected {', '.join(SYSTEMS)})")
        if system == "icd10cm":
            check_cm_profile(profile, needle)
        self.system, self.index, self.needle = system, index, needle
        self.profile = None if is_default(profile) else profile
        self.columns = output_columns(system)
        self.rows: list[tuple[str | None, ...]] = []
        self.generation = 0  # changes whenever the result table does
        self._row_ids: dict[tuple[str | None, ...], int] = {}
        self._arrays: list[Any] | None = None
        self._tables: Any = None
        table = code_table(index, self.profile, needle)
        if system != "icd10cm":
            self._pcs_rules(table["pcs"], DEFAULT_PROFILE if self.profile is None else str(self.profile))
        else:
            cm = table["cm"]
            keys, rids = [], []
            for code, result in zip(cm["codes"], cm["code_results"]):
                row = self.row(tuple(cm["results"][result]) + (None,))
                keys.append(code)
                rids.append(row)
                if "." in code:  # the undotted spelling (M48062) is the same code
                    keys.append(code.replace(".", ""))
                    rids.append(row)
            self.known, self.known_rids = _strings(keys), _int32s(rids)
        self.keys, self.key_rids = self.known, self.known_rids  # grows with every new distinct value
        self._base = len(self.rows)  # the code table's answers; later rows are learnt
        self._forget_next = False

    def _pcs_rules(self, pcs: dict, name: str) -> None:
        pa = _pyarrow()
        results = pcs["results"]
        self.known = _lines(pcs["codes"])
        # each code's row: its result (spine, regions, procedure) with its back-surgery answer under this profile,
        # numbered result * 3 + answer and mapped to result rows with one take (no Python loop over the codes)
        back = _tri_codes(pcs["back"][name])
        combined = _f("add", _f("multiply", _int32s(pcs["code_results"]), _int32s([3])[0]),
                      _f("cast", back, options=_compute().CastOptions(pa.int32())))
        row_of = [0] * (3 * len(results))
        for key in _f("unique", combined).to_pylist():
            r = results[key // 3]
            row_of[key] = self.row((r[0], TRI_ORDER[key % 3], r[1], r[2], None))
        self.known_rids = _take(_int32s(row_of), combined)
        flat = []
        for slot, answers in enumerate(pcs["part_results"]):
            for op, result in enumerate(answers):
                r = results[result]
                flat.append(self.row((r[0], TRI[pcs["part_back"][name][slot][op]], r[1], r[2], None)))
        self.part_rids = _int32s(flat)
        self.parts = _strings(pcs["parts"])  # any other body part: null, answered (or refused) in Python
        self.strict = _strings(pcs["strict_parts"])
        ops = pcs["operations"]
        self.op_keys = _strings([r + a + q for r in ops["root_operations"] for a in ops["approaches"]
                                 for q in ops["qualifiers"]])
        self.op_index = _tri_codes(ops["operative"])
        self.three, self.empty = _int32s([3])[0], _strings([""])[0]

    def row(self, values: tuple[str | None, ...]) -> int:
        """The id of a result row (added if new)."""
        found = self._row_ids.get(values)
        if found is None:
            found = self._row_ids[values] = len(self.rows)
            self.rows.append(values)
            self._arrays = None
            self.generation += 1
        return found

    def arrays(self) -> list[Any]:
        """The result table as one string array per output column."""
        if self._arrays is None:
            self._arrays = [_strings([r[i] for r in self.rows]) for i in range(len(self.columns))]
        return self._arrays

    @property
    def tables(self) -> Any:
        if self._tables is None:
            from .icd10 import tables

            self._tables = tables(self.index)
        return self._tables

    def compute(self, value: str | None) -> tuple[str | None, ...]:
        """The answer for one value, in Python (what the code table does not cover: bad codes, mostly)."""
        from .icd9 import decide_icd9
        from .shapes import ICD9_DOTTED, ICD9_UNDOTTED, cm_shape, pcs_shape

        if value is None or not value.strip():
            return (None,) * len(self.columns)  # a blank cell has no answer, and is not an error either
        try:
            if self.system != "icd10cm":
                stripped = value.strip()
                if self.system == "icd9cm" or ICD9_DOTTED.match(stripped) or ICD9_UNDOTTED.match(stripped):
                    d, _, _ = decide_icd9(self.tables, value, self.profile, self.needle)
                else:
                    pcs_shape(value)  # wrong shapes and sections fail without loading the tables
                    d = self.tables.decide_pcs(value, self.profile, self.needle)
                return (d.spine, d.back, ";".join(d.regions), f"spinekg:{d.procedure}", None)
            cm_shape(value)
            c = self.tables.decide_cm(value)
            return (f"spinekg:{c['disorder']}", c["lower_back"], ";".join(c["regions"]),
                    ";".join(f"spinekg:{p}" for p in c["treated_by"]), None)
        except SpinekgError as exc:
            return (None,) * (len(self.columns) - 1) + (str(exc),)

    def lookup(self, value: str | None) -> tuple[str | None, ...]:
        """The output cells for one value (the same answer as a file row holding it)."""
        return self.rows[self.resolve(_strings([value])).to_pylist()[0]]

    def resolve(self, values: Any) -> Any:
        """Result row ids for distinct values not seen before (a string array; nulls allowed)."""
        norm = _f("utf8_upper", _f("utf8_trim_whitespace", values))
        rids = _take(self.known_rids, _index_in(norm, self.known))
        if self.system != "icd10cm" and rids.null_count:
            rids = _f("coalesce", rids, self._by_rule(norm))
        if rids.null_count:
            missing = _f("is_null", rids)
            computed = [self.row(self.compute(v)) for v in _f("filter", values, missing).to_pylist()]
            rids = _f("replace_with_mask", rids, missing, _int32s(computed))
        return rids

    def _by_rule(self, norm: Any) -> Any:
        """Row ids of section-0 codes on a body part that is not strictly validated (null elsewhere)."""
        pa, k = _pyarrow(), _compute()

        def chars(*at: int) -> Any:
            return _f("binary_join_element_wise", *(_f("utf8_slice_codeunits", norm, options=k.SliceOptions(i, i + 1))
                                                    for i in at), self.empty)

        part = chars(1, 3)
        slot = _index_in(part, self.parts)
        op = _take(self.op_index, _index_in(chars(2, 4, 6), self.op_keys))
        rids = _take(self.part_rids, _f("add", _f("multiply", slot, self.three), op))
        shaped = _f("match_substring_regex", norm, options=k.MatchSubstringOptions(PCS_SHAPE))
        strict = _f("is_in", part, options=k.SetLookupOptions(self.strict))
        return _f("if_else", _f("and_kleene", shaped, _f("invert", strict)), rids, pa.nulls(len(rids), pa.int32()))

    def classify(self, column: Any, dictionary: bool = False) -> dict[str, Any]:
        """Result arrays for a string array: a hash look-up per row in the cache of values seen so far; the
        values never seen before are resolved once, together. ``dictionary``: each as a DictionaryArray
        (see :meth:`dictionaries`) instead of a copy of its answer per row."""
        rids = self.row_ids(column)
        if dictionary:
            return self.dictionaries(rids)
        return {name: _take(values, rids) for name, values in zip(self.columns, self.arrays())}

    def dictionaries(self, rids: Any) -> dict[str, Any]:
        """Result columns for these result rows as dictionary arrays: each column's distinct non-null answers among
        them, once, in order of first appearance, and an index per row (null where the answer is). A million rows of
        free text carry 20,000 readings instead of a million copies (800 MB), and a Parquet writer stores the
        dictionary as its dictionary page instead of hashing every row's text to find it again."""
        pa = _pyarrow()
        used = _f("unique", rids)
        out = {}
        for name, values in zip(self.columns, self.arrays()):
            distinct = _f("unique", _f("drop_null", _take(values, used)))
            out[name] = pa.DictionaryArray.from_arrays(_take(_index_in(values, distinct), rids), distinct)
        return out

    def row_ids(self, column: Any) -> Any:
        """The result row of every value of a string array (rows learnt here stay valid until the next call)."""
        pa = _pyarrow()
        if self._forget_next:
            self.forget()
        rids = _take(self.key_rids, _index_in(column, self.keys))
        if rids.null_count:  # values not seen before (and nulls, the first time)
            missing = _f("is_null", rids)
            values = _f("filter", column, missing)
            new = _f("unique", values)
            new_rids = self.resolve(new)
            self.keys = pa.concat_arrays([self.keys, new])
            self.key_rids = pa.concat_arrays([self.key_rids, new_rids])
            rids = _f("replace_with_mask", rids, missing, _take(new_rids, _index_in(values, new)))
        if len(self.keys) - len(self.known) > CACHE_KEYS or len(self.rows) - self._base > CACHE_ROWS:
            self._forget_next = True  # at the next call: this call's row ids stay valid until then
        return rids

    def forget(self) -> None:
        """Back to the code table alone: drop every value and answer learnt since."""
        for values in self.rows[self._base:]:
            del self._row_ids[values]
        del self.rows[self._base:]
        self._arrays = None
        self._forget_next = False
        self.generation += 1
        self.keys, self.key_rids = self.known, self.known_rids


_CACHES: dict[tuple[str, str, int, bool], ResultCache] = {}


_JSON: Any = None


def _readings_json(readings: list[dict] | None) -> str:
    """``readings`` as compact JSON with sorted keys (one encoder for every row: json.dumps makes one per call; readings
    hold no cycles, so the encoder does not look for them: a tenth faster, the same bytes)."""
    global _JSON
    if _JSON is None:
        import json

        _JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True, check_circular=False)
    return _JSON.encode(readings)


class TextResultCache(ResultCache):
    """Free-text procedure descriptions: each distinct text is read once by the text reader; the output adds
    ``readings`` (JSON) to the code columns."""

    def __init__(self, index: dict | None = None, profile: str | Path | None = None):
        from ..answer.profiles import is_default

        self.system, self.index, self.needle = "text", index, False
        self.profile = None if is_default(profile) else profile
        self.columns = TEXT_COLUMNS
        self.rows, self._row_ids, self._arrays, self._tables = [], {}, None, None
        self.known, self.known_rids = _strings([]), _int32s([])
        self.keys, self.key_rids = self.known, self.known_rids
        self.generation, self._base, self._forget_next = 0, 0, False

    def compute(self, value: str | None) -> tuple[str | None, ...]:
        from ..answer.composers import composer
        from ..answer.reader import classify_any_text

        if value is None or not value.strip():
            return (None,) * len(self.columns)  # a blank cell has no answer, and is not an error either
        try:
            v = classify_any_text(value, composer(self.index, self.profile))
        except SpinekgError as exc:
            return (None,) * (len(self.columns) - 1) + (str(exc),)
        readings = _readings_json(v.readings)
        return (v.spine_surgery, v.back_surgery, ";".join(v.regions), "spinekg:" + v.procedure["iri"].rsplit("/", 1)[1], readings, None)

    def resolve(self, values: Any) -> Any:
        """Row ids, reading each distinct text once (exact text: no upper-casing, unlike codes)."""
        from ..answer.reader.reuse import wording
        from .forked import map_forked

        rids = _take(self.known_rids, _index_in(values, self.known))
        if rids.null_count:
            missing = _f("is_null", rids)
            texts = _f("filter", values, missing).to_pylist()
            # texts that differ only in their levels, sides or case are read by the same process (it reuses their wording)
            with collector_paused():  # reading makes no cycles: collecting while the memos grow re-walks them
                answers = map_forked(self.compute, texts, lambda text: wording(text) if text else "")
            computed = [self.row(answer) for answer in answers]
            rids = _f("replace_with_mask", rids, missing, _int32s(computed))
        return rids


def result_cache(system: str, index: dict | None = None, profile: str | Path | None = None,
                 needle: bool = False) -> ResultCache:
    """The cache for a system, profile and needle option (one per process: codes seen in one file are resolved for
    the next)."""
    if system == "text" and needle:
        raise SpinekgError("--needle-procedures applies to procedure codes, not to text (the reader names the "
                           "operation itself)")
    key = (system, "seed" if profile is None else str(profile), id(index), needle)
    if key not in _CACHES:
        _CACHES[key] = TextResultCache(index, profile) if system == "text" else ResultCache(system, index, profile, needle)
    return _CACHES[key]


def detect_column_system(values: Iterable[str]) -> str:
    """The system most sampled values have the shape of (a column holds one system)."""
    from .icd10 import detect_system

    counts = {"icd10pcs": 0, "icd10cm": 0, "icd9cm": 0}
    for value in values:
        found = detect_system(value) if value else None
        if found:
            counts[found] += 1
    if not any(counts.values()):
        raise SpinekgError("cannot tell whether the column holds ICD-10-PCS, ICD-9-CM or ICD-10-CM codes (use --system)")
    return max(counts, key=lambda k: (counts[k], k == "icd10pcs"))


def _string_column(column: Any) -> Any:
    """One string array (Arrow ``string``) from any Arrow array or chunked array of codes."""
    pa = _pyarrow()
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if not pa.types.is_string(column.type):
        column = _f("cast", column, options=_compute().CastOptions(pa.string()))
    return column


def _sample_system(column: Any) -> str:
    sample = _f("unique", column.slice(0, 20000)).to_pylist()
    return detect_column_system([v for v in sample if isinstance(v, str)][:2000])


def classify_arrow(column: Any, system: str | None = None, index: dict | None = None,
                   profile: str | Path | None = None, needle: bool = False, processes: int | str | None = None,
                   dictionary: bool = False) -> dict[str, Any]:
    """Result arrays (name → pyarrow.Array) for one pyarrow Array/ChunkedArray of codes. ``profile``: a built-in
    profile name or a profile .ttl file (see ``spinekg profiles``); it redefines back surgery. ``processes``: how
    many processes read free text (1-8, or 'auto': two when a second core is free; forks on Linux only, from
    2,000 new texts; same answers); None: one, unless an enclosing ``classify_file`` asked for more.
    ``dictionary``: each result as a pyarrow DictionaryArray of string (the same values; each distinct answer held
    once, as pandas categories are: 1 M rows of free text keep 20,000 readings, not 800 MB of copies)."""
    from .forked import processes as reading_processes

    column = _string_column(column)
    if system is None:
        system = _sample_system(column)
    with reading_processes(processes):
        return result_cache(system, index, profile, needle).classify(column, dictionary)


def classify_column(column: Any, system: str | None = None, index: dict | None = None,
                    profile: str | Path | None = None, needle: bool = False, processes: int | str | None = None) -> Any:
    """Classify a pandas Series (→ DataFrame on the same index) or a pyarrow Array (→ pyarrow Table)."""
    pa = _pyarrow()

    def table(arrays: dict[str, Any]) -> Any:
        return pa.Table.from_arrays(list(arrays.values()), names=list(arrays))

    if isinstance(column, (pa.Array, pa.ChunkedArray)):
        return table(classify_arrow(column, system, index, profile, needle, processes))
    try:
        import pandas as pd
    except ImportError:
        pd = None
    if pd is not None and isinstance(column, pd.Series):
        arrays = classify_arrow(pa.array(column.astype("string"), type=pa.string(), from_pandas=True), system, index,
                                profile, needle, processes)
        return pd.DataFrame({name: arr.to_pandas() for name, arr in arrays.items()}).set_index(column.index)
    if isinstance(column, (list, tuple)):
        return table(classify_arrow(pa.array(list(column), pa.string()), system, index, profile, needle, processes))
    raise SpinekgError(f"expected a pandas Series, a pyarrow Array or a list of codes, got {type(column).__name__}")


def spark_schema(schema: Any, system: str) -> Any:
    """The Spark schema of what :func:`classify_table` returns for a DataFrame of ``schema``: its own
    columns, then the result columns of ``system`` (all nullable strings), in that order. ``mapInArrow``
    matches columns by position, so a schema written by hand in another order mislabels them silently."""
    from pyspark.sql.types import StringType, StructField, StructType

    from .icd10 import SYSTEMS

    if system not in SYSTEMS:
        raise SpinekgError(f"unknown code system {system!r} (expected {' or '.join(SYSTEMS)})")
    clash = [name for name in output_columns(system) if name in schema.fieldNames()]
    if clash:
        raise SpinekgError(f"the input already has column(s) {', '.join(clash)}; rename them first")
    return StructType(list(schema.fields) + [StructField(name, StringType(), True) for name in output_columns(system)])


def classify_table(table: Any, column: str, system: str | None = None, index: dict | None = None,
                   profile: str | Path | None = None, needle: bool = False, processes: int | str | None = None) -> Any:
    """Append the result columns to a pyarrow Table or RecordBatch (used for every chunk of a file)."""
    if column not in table.column_names:
        raise SpinekgError(f"no column {column!r} (columns: {', '.join(table.column_names)})")
    results = classify_arrow(table.column(column), system, index, profile, needle, processes)
    clash = [name for name in results if name in table.column_names]
    if clash:
        raise SpinekgError(f"the input already has column(s) {', '.join(clash)}; rename them first")
    return type(table).from_arrays(list(table.columns) + list(results.values()),
                                   names=list(table.column_names) + list(results))

