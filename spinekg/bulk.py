"""Classify a column of ICD codes in CSV or Parquet files, streamed in chunks with bounded memory.

A row costs one C++ hash look-up and a few gathers, never a classification: each chunk's code column is looked
up (Arrow ``index_in``) in a cache of codes already seen, which starts as the shipped codes of the code table
(``spinekg.codes.build_code_table``, shipped as spinekg/data/code-table.json). Codes not seen before are
resolved together with Arrow kernels: a shipped code after upper-casing and trimming, or any other section-0
code by the table's rule (its answer depends only on its body part and on whether its root operation, approach
and qualifier make it an operation). Only what neither covers (bad codes, mostly) is classified in Python,
once per distinct value, and loads the mapping tables. Every distinct answer is a row of a small result table;
the output columns are gathered from it with one ``take`` each. Bad codes fill the ``error`` column and never
abort the file. Output goes to a temporary file beside the target and is renamed into place only when complete.
"""
from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import IO, Any

from .errors import EXIT_ENVIRONMENT, SpinekgError

PCS_COLUMNS = ("spine_surgery", "back_surgery", "regions", "procedure", "error")
CM_COLUMNS = ("disorder", "lower_back_condition", "regions", "treated_by", "error")
CHUNK_BYTES = 8 << 20  # CSV block size: ~270k rows of a claims record; peak memory ≈ 0.5 GB whatever the file size
PARQUET_BATCH_ROWS = 500_000
WRITE_BEHIND = True  # write batch i while batch i+1 is read and classified
# The cache forgets what it learnt beyond these (a wrong column of millions of distinct values stays bounded)
CACHE_KEYS = 2_000_000  # distinct values (real code lists have < 100,000)
CACHE_ROWS = 200_000  # distinct answers beyond the code table's (each bad value has its own error message)
PCS_SHAPE = "^0[0-9A-HJ-NP-Z]{6}$"  # a section-0 code (codes.PCS_RE, section 0)
TRI = {"y": "yes", "n": "no", "d": "depends"}


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
    return PCS_COLUMNS if system == "icd10pcs" else CM_COLUMNS


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


def _int32s(values: list[int]) -> Any:
    pa = _pyarrow()
    return pa.Array.from_buffers(pa.int32(), len(values), [None, pa.py_buffer(array("i", values))])


class ResultCache:
    """code → row of the result table, for one code system and profile; each distinct code is resolved once."""

    def __init__(self, system: str, index: dict | None = None, profile: str | Path | None = None):
        from .codes import SYSTEMS, check_cm_profile, code_table
        from .profiles import DEFAULT_PROFILE, is_default

        if system not in SYSTEMS:
            raise SpinekgError(f"unknown code system {system!r} (expected {' or '.join(SYSTEMS)})")
        if system == "icd10cm":
            check_cm_profile(profile)
        self.system, self.index = system, index
        self.profile = None if is_default(profile) else profile
        self.columns = output_columns(system)
        self.rows: list[tuple[str | None, ...]] = []
        self._row_ids: dict[tuple[str | None, ...], int] = {}
        self._arrays: list[Any] | None = None
        self._tables: Any = None
        table = code_table(index, self.profile)
        if system == "icd10pcs":
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

    def _pcs_rules(self, pcs: dict, name: str) -> None:
        pa = _pyarrow()
        results, back = pcs["results"], pcs["back"][name]
        self.known = _strings(pcs["codes"])
        self.known_rids = _int32s([self.row((results[r][0], TRI[back[i]], results[r][1], results[r][2], None))
                                   for i, r in enumerate(pcs["code_results"])])
        flat = []
        for slot, answers in enumerate(pcs["part_results"]):
            for op, result in enumerate(answers):
                r = results[result]
                flat.append(self.row((r[0], TRI[pcs["part_back"][name][slot][op]], r[1], r[2], None)))
        self.part_rids = _int32s(flat)
        self.parts = _strings(pcs["parts"][:-1])  # the last slot ("") is every other body part
        self.outside = _int32s([len(pcs["parts"]) - 1])[0]
        self.strict = _strings(pcs["strict_parts"])
        ops = pcs["operations"]
        self.op_keys = _strings([r + a + q for r in ops["root_operations"] for a in ops["approaches"]
                                 for q in ops["qualifiers"]])
        self.op_index = pa.Array.from_buffers(pa.int8(), len(ops["operative"]), [None, pa.py_buffer(
            ops["operative"].translate(str.maketrans("ynd", "\x00\x01\x02")).encode("ascii"))])
        self.three, self.empty = _int32s([3])[0], _strings([""])[0]

    def row(self, values: tuple[str | None, ...]) -> int:
        """The id of a result row (added if new)."""
        found = self._row_ids.get(values)
        if found is None:
            found = self._row_ids[values] = len(self.rows)
            self.rows.append(values)
            self._arrays = None
        return found

    def arrays(self) -> list[Any]:
        """The result table as one string array per output column."""
        if self._arrays is None:
            self._arrays = [_strings([r[i] for r in self.rows]) for i in range(len(self.columns))]
        return self._arrays

    @property
    def tables(self) -> Any:
        if self._tables is None:
            from .codes import tables

            self._tables = tables(self.index)
        return self._tables

    def compute(self, value: str | None) -> tuple[str | None, ...]:
        """The answer for one value, in Python (what the code table does not cover: bad codes, mostly)."""
        from .codes import cm_shape, pcs_shape

        if value is None or not value.strip():
            return (None,) * (len(self.columns) - 1) + ("empty code",)
        try:
            if self.system == "icd10pcs":
                pcs_shape(value)  # wrong shapes and sections fail without loading the tables
                d = self.tables.decide_pcs(value, self.profile)
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
        if self.system == "icd10pcs" and rids.null_count:
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
        slot = _f("coalesce", _index_in(part, self.parts), self.outside)
        op = _take(self.op_index, _index_in(chars(2, 4, 6), self.op_keys))
        rids = _take(self.part_rids, _f("add", _f("multiply", slot, self.three), op))
        shaped = _f("match_substring_regex", norm, options=k.MatchSubstringOptions(PCS_SHAPE))
        strict = _f("is_in", part, options=k.SetLookupOptions(self.strict))
        return _f("if_else", _f("and_kleene", shaped, _f("invert", strict)), rids, pa.nulls(len(rids), pa.int32()))

    def classify(self, column: Any) -> dict[str, Any]:
        """Result arrays for a string array: a hash look-up per row in the cache of values seen so far; the
        values never seen before are resolved once, together."""
        pa = _pyarrow()
        rids = _take(self.key_rids, _index_in(column, self.keys))
        if rids.null_count:  # values not seen before (and nulls, the first time)
            missing = _f("is_null", rids)
            values = _f("filter", column, missing)
            new = _f("unique", values)
            new_rids = self.resolve(new)
            self.keys = pa.concat_arrays([self.keys, new])
            self.key_rids = pa.concat_arrays([self.key_rids, new_rids])
            rids = _f("replace_with_mask", rids, missing, _take(new_rids, _index_in(values, new)))
        results = {name: _take(values, rids) for name, values in zip(self.columns, self.arrays())}
        if len(self.keys) > CACHE_KEYS or len(self.rows) - self._base > CACHE_ROWS:
            self.forget()
        return results

    def forget(self) -> None:
        """Back to the code table alone: drop every value and answer learnt since."""
        for values in self.rows[self._base:]:
            del self._row_ids[values]
        del self.rows[self._base:]
        self._arrays = None
        self.keys, self.key_rids = self.known, self.known_rids


_CACHES: dict[tuple[str, str, int], ResultCache] = {}


def result_cache(system: str, index: dict | None = None, profile: str | Path | None = None) -> ResultCache:
    """The cache for a system and profile (one per process: codes seen in one file are resolved for the next)."""
    key = (system, "seed" if profile is None else str(profile), id(index))
    if key not in _CACHES:
        _CACHES[key] = ResultCache(system, index, profile)
    return _CACHES[key]


def detect_column_system(values: Iterable[str]) -> str:
    """The system most sampled values have the shape of (a column holds one system)."""
    from .codes import detect_system

    counts = {"icd10pcs": 0, "icd10cm": 0}
    for value in values:
        found = detect_system(value) if value else None
        if found:
            counts[found] += 1
    if not any(counts.values()):
        raise SpinekgError("cannot tell whether the column holds ICD-10-PCS or ICD-10-CM codes (use --system)")
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
                   profile: str | Path | None = None) -> dict[str, Any]:
    """Result arrays (name → pyarrow.Array) for one pyarrow Array/ChunkedArray of codes. ``profile``: a built-in
    profile name or a profile .ttl file (see ``spinekg profiles``); it redefines back surgery."""
    column = _string_column(column)
    if system is None:
        system = _sample_system(column)
    return result_cache(system, index, profile).classify(column)


def classify_column(column: Any, system: str | None = None, index: dict | None = None,
                    profile: str | Path | None = None) -> Any:
    """Classify a pandas Series (→ DataFrame on the same index) or a pyarrow Array (→ pyarrow Table)."""
    pa = _pyarrow()

    def table(arrays: dict[str, Any]) -> Any:
        return pa.Table.from_arrays(list(arrays.values()), names=list(arrays))

    if isinstance(column, (pa.Array, pa.ChunkedArray)):
        return table(classify_arrow(column, system, index, profile))
    try:
        import pandas as pd
    except ImportError:
        pd = None
    if pd is not None and isinstance(column, pd.Series):
        arrays = classify_arrow(pa.array(column.astype("string"), type=pa.string(), from_pandas=True), system, index, profile)
        return pd.DataFrame({name: arr.to_pandas() for name, arr in arrays.items()}).set_index(column.index)
    if isinstance(column, (list, tuple)):
        return table(classify_arrow(pa.array(list(column), pa.string()), system, index, profile))
    raise SpinekgError(f"expected a pandas Series, a pyarrow Array or a list of codes, got {type(column).__name__}")


def classify_table(table: Any, column: str, system: str | None = None, index: dict | None = None,
                   profile: str | Path | None = None) -> Any:
    """Append the result columns to a pyarrow Table or RecordBatch (used for every chunk of a file)."""
    if column not in table.column_names:
        raise SpinekgError(f"no column {column!r} (columns: {', '.join(table.column_names)})")
    results = classify_arrow(table.column(column), system, index, profile)
    clash = [name for name in results if name in table.column_names]
    if clash:
        raise SpinekgError(f"the input already has column(s) {', '.join(clash)}; rename them first")
    return type(table).from_arrays(list(table.columns) + list(results.values()),
                                   names=list(table.column_names) + list(results))


# -- files -------------------------------------------------------------------------------------------
@dataclass
class Summary:
    rows: int
    errors: int
    system: str
    profile: str = "seed"


def file_format(name: str, given: str | None = None) -> str:
    if given:
        return given
    lower = name.lower()
    if lower.endswith((".parquet", ".pq")):
        return "parquet"
    if lower.endswith((".csv", ".csv.gz", ".txt")) or name == "-":
        return "csv"
    raise SpinekgError(f"{name}: cannot tell the format from the name (use .csv or .parquet, or --format)")


def _csv_header(stream: IO[bytes], name: str) -> list[str]:
    head = stream.peek(1 << 20)[: 1 << 20]  # type: ignore[attr-defined]
    line = head.split(b"\n", 1)[0].rstrip(b"\r")
    if not line:
        raise SpinekgError(f"{name}:1: empty file, expected a header row")
    try:
        return next(csv.reader([line.decode("utf-8-sig")]))
    except UnicodeDecodeError as exc:
        raise SpinekgError(f"{name}:1: not UTF-8 text ({exc.reason})") from None


def _csv_options(header: list[str], threads: bool) -> dict[str, Any]:
    pa = _pyarrow()
    import pyarrow.csv as pacsv

    return {"read_options": pacsv.ReadOptions(block_size=CHUNK_BYTES, use_threads=threads),
            "convert_options": pacsv.ConvertOptions(column_types={h: pa.string() for h in header},  # codes stay text
                                                    strings_can_be_null=False, quoted_strings_can_be_null=False)}


def _csv_batches(stream: IO[bytes], name: str, header: list[str], path: str | None = None) -> Iterator[Any]:
    pa = _pyarrow()
    import pyarrow.csv as pacsv

    try:
        yield from pacsv.open_csv(stream, **_csv_options(header, True))
    except pa.ArrowInvalid as exc:
        message = " ".join(str(exc).split())
        raise SpinekgError(_locate_csv_error(path, header, message) if path else f"{name}: {message[:300]}") from None


def _locate_csv_error(path: str, header: list[str], message: str) -> str:
    """``path:LINE: message`` for a bad CSV: Arrow's parallel reader does not know the line, so the file is
    read again, serially (only when it failed)."""
    import re

    pa = _pyarrow()
    import pyarrow.csv as pacsv

    def reopen() -> IO[bytes]:
        if path.lower().endswith(".gz"):
            import gzip

            return gzip.open(path, "rb")  # type: ignore[return-value]
        return open(path, "rb")  # noqa: SIM115

    try:
        with reopen() as stream:
            for _ in pacsv.open_csv(stream, **_csv_options(header, False)):
                pass
    except pa.ArrowInvalid as exc:
        text = " ".join(str(exc).split())
        found = re.search(r"Row #(\d+): ", text)
        if found:
            return f"{path}:{found.group(1)}: {text.replace(found.group(0), '')[:300]}"
    except OSError:
        pass
    if "UTF8" in message:
        with reopen() as stream:
            for number, line in enumerate(stream, start=1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError as exc:
                    return f"{path}:{number}: not UTF-8 text ({exc.reason})"
    return f"{path}: {message[:300]}"


def _parquet_batches(path: str) -> Iterator[Any]:
    pa = _pyarrow()
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise SpinekgError(f"{path}: cannot read as Parquet ({' '.join(str(exc).split())[:200]})") from None
    try:
        yield from source.iter_batches(batch_size=PARQUET_BATCH_ROWS)
    except (pa.ArrowInvalid, OSError) as exc:
        raise SpinekgError(f"{path}: cannot read as Parquet ({' '.join(str(exc).split())[:200]})") from None


class _Progress:
    """Rows done on stderr, only when a person is watching (stderr is a terminal)."""

    def __init__(self, enabled: bool | None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.rows = 0

    def update(self, rows: int) -> None:
        self.rows += rows
        if self.enabled:
            sys.stderr.write(f"\rspinekg classify-file: {self.rows:,} rows")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def _open_source(source: str, fmt: str) -> tuple[IO[bytes] | None, list[str], Iterator[Any]]:
    """(the opened stream to close, the column names, the record batches) of the input."""
    if fmt == "parquet":
        names = _parquet_names(source)
        return None, names, _parquet_batches(source)
    name = "<stdin>" if source == "-" else source
    if source == "-":
        opened: IO[bytes] = sys.stdin.buffer
    elif source.lower().endswith(".gz"):
        import gzip

        opened = gzip.open(source, "rb")  # type: ignore[assignment]
    else:
        opened = open(source, "rb", buffering=1 << 20)  # noqa: SIM115
    if not hasattr(opened, "peek"):
        opened = io.BufferedReader(opened, 1 << 20)  # type: ignore[arg-type]
    try:
        header = _csv_header(opened, name)
    except Exception:
        if source != "-":
            opened.close()
        raise
    return (opened if source != "-" else None), header, _csv_batches(opened, name, header, None if source == "-" else source)


def _parquet_names(path: str) -> list[str]:
    pa = _pyarrow()
    import pyarrow.parquet as pq

    try:
        return list(pq.ParquetFile(path).schema_arrow.names)
    except (pa.ArrowInvalid, OSError) as exc:
        raise SpinekgError(f"{path}: cannot read as Parquet ({' '.join(str(exc).split())[:200]})") from None


def classify_file(source: str, out: str, column: str, system: str | None = None, in_format: str | None = None,
                  out_format: str | None = None, progress: bool | None = None, index: dict | None = None,
                  profile: str | Path | None = None) -> Summary:
    """Stream ``source`` (CSV, Parquet, or '-' for CSV on stdin) to ``out`` (or '-' for CSV on stdout).

    ``profile`` (a built-in profile name or a profile .ttl file) redefines back surgery. A ``.gz`` CSV name is
    read or written gzip-compressed. Nothing is written unless the whole input is read: the output appears
    complete, by a rename, or not at all."""
    pa = _pyarrow()
    fmt_in, fmt_out = file_format(source, in_format), file_format(out, out_format)
    if source == "-" and fmt_in != "csv" or out == "-" and fmt_out != "csv":
        raise SpinekgError("stdin and stdout carry CSV only")
    if source != "-" and not os.path.isfile(source):
        raise SpinekgError(f"{source}: no such file")
    if system:
        cache = result_cache(system, index, profile)  # a bad profile fails before any I/O
    else:
        from .codes import code_table

        code_table(index, profile)  # likewise (and loads what the cache will need)
        cache = None
    opened, names, batches = _open_source(source, fmt_in)
    temp_path: str | None = None
    bar = _Progress(progress)
    rows = errors = 0
    writer = sink = None
    try:
        if column not in names:
            raise SpinekgError(f"{source}: no column {column!r} (columns: {', '.join(names)})")
        position = names.index(column)
        schema = None
        for batch in batches:
            if not batch.num_rows:
                continue
            if cache is None:
                try:
                    cache = result_cache(_sample_system(_string_column(batch.column(position))), index, profile)
                except SpinekgError as exc:
                    raise SpinekgError(f"{source}: {exc.message}", exc.exit_code) from None
            results = cache.classify(_string_column(batch.column(position)))
            if schema is None:
                clash = [name for name in results if name in names]
                if clash:
                    raise SpinekgError(f"{source}: the input already has column(s) {', '.join(clash)}; rename them first")
                schema = pa.schema(list(batch.schema) + [pa.field(name, pa.string()) for name in results])
                sink, temp_path = _open_sink(out)
                with _writing(out):
                    writer = _open_writer(sink, schema, fmt_out)
                if WRITE_BEHIND:
                    writer = _WriteBehind(writer, out)
            with _writing(out):
                writer.write_batch(pa.RecordBatch.from_arrays(batch.columns + list(results.values()), schema=schema))
            rows += batch.num_rows
            errors += batch.num_rows - results["error"].null_count
            bar.update(batch.num_rows)
        if writer is None:  # no data rows: still write the header
            chosen = cache.system if cache else system or "icd10pcs"
            clash = [name for name in output_columns(chosen) if name in names]
            if clash:
                raise SpinekgError(f"{source}: the input already has column(s) {', '.join(clash)}; rename them first")
            sink, temp_path = _open_sink(out)
            with _writing(out):
                writer = _empty_output(sink, names, source, chosen, fmt_in, fmt_out)
        with _writing(out):
            writer.close()
            writer = None
            _close_sink(sink)
            sink = None
        if temp_path:
            os.replace(temp_path, out)
            temp_path = None
    finally:
        bar.close()
        if writer is not None:
            try:
                writer.close()
            except Exception:  # the run failed already; keep its error
                pass
        try:
            _close_sink(sink)
        except Exception:  # likewise
            pass
        if temp_path and os.path.exists(temp_path):
            os.unlink(temp_path)
        if opened is not None:
            opened.close()
    if out == "-":
        sys.stdout.flush()
    from .profiles import is_default

    return Summary(rows, errors, cache.system if cache else system or "icd10pcs",
                   "seed" if is_default(profile) else str(profile))


class _WriteBehind:
    """Writes each batch on a second thread while the next one is read and classified: Arrow's writers and
    kernels release the GIL, so on two cores writing (a third of the time) overlaps the rest. At most one batch
    is in flight, so memory stays bounded."""

    def __init__(self, writer: Any, out: str):
        self.writer, self.out = writer, out  # out: named in errors by the caller
        self.thread: Any = None
        self.error: BaseException | None = None

    def _write(self, batch: Any) -> None:
        try:
            self.writer.write_batch(batch)
        except BaseException as exc:  # handed to the main thread by wait()
            self.error = exc

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def write_batch(self, batch: Any) -> None:
        import threading

        self.wait()
        self.thread = threading.Thread(target=self._write, args=(batch,), name="spinekg-writer", daemon=True)
        self.thread.start()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            self.writer.close()


def _stdout() -> Any:
    return sys.stdout.buffer


def _close_sink(sink: Any) -> None:
    """Close a stream this module opened (a compressed one); paths are closed by their writer, stdout stays open."""
    if sink is not None and not isinstance(sink, str) and sink is not _stdout():
        sink.close()


class _writing:
    """Turns a failed write (disk full, a closed pipe's OSError aside) into one line naming the output."""

    def __init__(self, out: str):
        self.out = out

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: BaseException | None, _tb: Any) -> bool:
        if exc is None or isinstance(exc, (BrokenPipeError, SpinekgError)):
            return False
        pa = _pyarrow()
        if isinstance(exc, (OSError, pa.ArrowException)):
            raise SpinekgError(f"{self.out}: cannot write ({' '.join(str(exc).split())[:200]})") from None
        return False


def _open_sink(out: str) -> tuple[Any, str | None]:
    """(where the writer writes, the temporary file to rename to ``out`` at the end)."""
    if out == "-":
        return _stdout(), None
    if os.path.isdir(out):
        raise SpinekgError(f"{out}: is a directory")
    if os.path.exists(out) and not os.path.isfile(out):  # a pipe or a device (/dev/null): write into it, never rename over it
        return out, None
    directory = os.path.dirname(os.path.abspath(out))
    try:
        handle, temp_path = tempfile.mkstemp(prefix=".spinekg-", suffix=".part", dir=directory)
    except OSError as exc:
        raise SpinekgError(f"{out}: cannot write ({exc.strerror})") from None
    os.close(handle)
    os.chmod(temp_path, 0o666 & ~_umask())  # as a plainly created file would be, not mkstemp's 0600
    if out.lower().endswith(".gz"):
        pa = _pyarrow()
        return pa.CompressedOutputStream(temp_path, "gzip"), temp_path
    return temp_path, temp_path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _open_writer(sink: Any, schema: Any, fmt: str) -> Any:
    if fmt == "csv":
        import pyarrow.csv as pacsv

        return pacsv.CSVWriter(sink, schema)
    import pyarrow.parquet as pq

    return pq.ParquetWriter(sink, schema, compression="zstd")


def _empty_output(sink: Any, names: list[str], source: str, system: str, fmt_in: str, fmt_out: str) -> Any:
    pa = _pyarrow()
    if fmt_in == "parquet":
        import pyarrow.parquet as pq

        fields = list(pq.ParquetFile(source).schema_arrow)
    else:
        fields = [pa.field(n, pa.string()) for n in names]
    schema = pa.schema(fields + [pa.field(n, pa.string()) for n in output_columns(system)])
    writer = _open_writer(sink, schema, fmt_out)
    writer.write_table(schema.empty_table())
    return writer


def iter_codes_file(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, code) for a plain list of codes, one a line ('#' comments and blank lines skipped)."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            text = line.strip()
            if text and not text.startswith("#"):
                yield number, text
