"""Classify a column of ICD codes in CSV or Parquet files, streamed in chunks with bounded memory.

Each chunk's code column is looked up with one C++ hash look-up per row (Arrow ``index_in``) in a
code → result cache that starts as the crosswalk of every shipped code and grows by the codes it meets
(classified once, in Python); the result columns are then gathered with one ``take`` per column. A row
therefore costs a hash and a gather, not a classification. Bad codes fill the ``error`` column and never
abort the file. Output goes to a temporary file beside the target and is renamed into place only when complete.
"""
from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .errors import EXIT_ENVIRONMENT, SpinekgError

PCS_COLUMNS = ("spine_surgery", "back_surgery", "regions", "procedure", "error")
CM_COLUMNS = ("disorder", "lower_back_condition", "regions", "treated_by", "error")
CHUNK_BYTES = 16 << 20  # CSV block size: ~0.5M rows of a short record; memory stays a few blocks deep
PARQUET_BATCH_ROWS = 500_000


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.compute  # noqa: F401
    except ImportError:
        raise SpinekgError("bulk classification needs pyarrow: pip install 'spinekg[bulk]'", EXIT_ENVIRONMENT) from None
    return pyarrow


def output_columns(system: str) -> tuple[str, ...]:
    return PCS_COLUMNS if system == "icd10pcs" else CM_COLUMNS


class ResultCache:
    """code → tuple of output cells, for one code system; computed once per distinct code."""

    def __init__(self, system: str, index: dict | None = None):
        from .codes import SYSTEMS, tables

        if system not in SYSTEMS:
            raise SpinekgError(f"unknown code system {system!r} (expected {' or '.join(SYSTEMS)})")
        self.system = system
        self.tables = tables(index)
        self.cache: dict[str, tuple[str | None, ...]] = {}
        self.outside: dict[str, tuple[str | None, ...]] = {}
        self._arrow: tuple[Any, list[Any]] | None = None
        known = self.tables.pcs_codes if system == "icd10pcs" else self.tables.cm_codes
        for code in known:  # the crosswalk, precomputed
            self.lookup(code)
        self.lookup("")

    def compute(self, value: str) -> tuple[str | None, ...]:
        if not value or not value.strip():
            return (None,) * (len(output_columns(self.system)) - 1) + ("empty code",)
        try:
            if self.system == "icd10pcs":
                code = value.strip().upper()
                # outside the spine and back body parts the answer depends only on the root operation, the
                # approach and the qualifier (characters 3, 5, 7): whether it is an operation
                outside = len(code) == 7 and code[0] == "0" and code[1] + code[3] not in self.tables.body_parts
                key = code[2] + code[4] + code[6] if outside else ""
                if outside and key in self.outside:
                    self.tables.validate_pcs(code)
                    return self.outside[key]
                d = self.tables.decide_pcs(value)
                if outside:
                    self.outside[key] = (d.spine, d.back, ";".join(d.regions), f"spinekg:{d.procedure}", None)
                return (d.spine, d.back, ";".join(d.regions), f"spinekg:{d.procedure}", None)
            c = self.tables.decide_cm(value)
            return (f"spinekg:{c['disorder']}", c["lower_back"], ";".join(c["regions"]),
                    ";".join(f"spinekg:{p}" for p in c["treated_by"]), None)
        except SpinekgError as exc:
            return (None,) * (len(output_columns(self.system)) - 1) + (str(exc),)

    def lookup(self, value: str) -> tuple[str | None, ...]:
        found = self.cache.get(value)
        if found is None:
            found = self.cache[value] = self.compute(value)
            self._arrow = None
        return found

    def arrow(self) -> tuple[Any, list[Any]]:
        """The cache as Arrow arrays: the known codes, and one result array per output column."""
        if self._arrow is None:
            pa = _pyarrow()
            values = list(self.cache.values())
            self._arrow = (pa.array(list(self.cache), pa.string()),
                           [pa.array([v[i] for v in values], pa.string()) for i in range(len(output_columns(self.system)))])
        return self._arrow

    def classify(self, column: Any) -> dict[str, Any]:
        """Result arrays for a string array without nulls: a C++ hash look-up per row into the cache; only
        codes never seen before are classified in Python, once."""
        pc = _pyarrow().compute
        keys, results = self.arrow()
        positions = pc.index_in(column, value_set=keys)
        if positions.null_count:
            for value in pc.unique(pc.filter(column, pc.is_null(positions))).to_pylist():
                self.lookup(value)
            keys, results = self.arrow()
            positions = pc.index_in(column, value_set=keys)
        return {name: values.take(positions) for name, values in zip(output_columns(self.system), results)}


_CACHES: dict[tuple[str, int], ResultCache] = {}


def result_cache(system: str, index: dict | None = None) -> ResultCache:
    key = (system, id(index))
    if key not in _CACHES:
        _CACHES[key] = ResultCache(system, index)
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


def classify_arrow(column: Any, system: str | None = None, index: dict | None = None) -> dict[str, Any]:
    """Result arrays (name → pyarrow.Array) for one pyarrow Array/ChunkedArray of codes."""
    pa = _pyarrow()
    pc = pa.compute
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
        if pa.types.is_dictionary(column.type):
            column = column.cast(pa.string())
        else:
            column = pc.cast(column, pa.string())
    column = pc.fill_null(column, "")
    if system is None:
        system = detect_column_system(pc.unique(column.slice(0, 20000)).to_pylist()[:2000])
    return result_cache(system, index).classify(column)


def classify_column(column: Any, system: str | None = None, index: dict | None = None) -> Any:
    """Classify a pandas Series (→ DataFrame on the same index) or a pyarrow Array (→ pyarrow Table)."""
    pa = _pyarrow()
    if isinstance(column, (pa.Array, pa.ChunkedArray)):
        return pa.table(classify_arrow(column, system, index))
    try:
        import pandas as pd
    except ImportError:
        pd = None
    if pd is not None and isinstance(column, pd.Series):
        arrays = classify_arrow(pa.array(column.astype("string"), type=pa.string(), from_pandas=True), system, index)
        return pd.DataFrame({name: arr.to_pandas() for name, arr in arrays.items()}).set_index(column.index)
    if isinstance(column, (list, tuple)):
        return pa.table(classify_arrow(pa.array(list(column), pa.string()), system, index))
    raise SpinekgError(f"expected a pandas Series, a pyarrow Array or a list of codes, got {type(column).__name__}")


def classify_table(table: Any, column: str, system: str | None = None, index: dict | None = None) -> Any:
    """Append the result columns to a pyarrow Table (used for every chunk of a file)."""
    if column not in table.column_names:
        raise SpinekgError(f"no column {column!r} (columns: {', '.join(table.column_names)})")
    results = classify_arrow(table.column(column), system, index)
    clash = [name for name in results if name in table.column_names]
    if clash:
        raise SpinekgError(f"the input already has column(s) {', '.join(clash)}; rename them first")
    for name, values in results.items():
        table = table.append_column(name, values)
    return table


# -- files -------------------------------------------------------------------------------------------
@dataclass
class Summary:
    rows: int
    errors: int
    system: str


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


def _csv_batches(stream: IO[bytes], name: str, header: list[str]) -> Iterator[Any]:
    pa = _pyarrow()
    import pyarrow.csv as pacsv

    read = pacsv.ReadOptions(block_size=CHUNK_BYTES, use_threads=True)
    convert = pacsv.ConvertOptions(column_types={h: pa.string() for h in header}, strings_can_be_null=False,
                                   quoted_strings_can_be_null=False)
    try:
        reader = pacsv.open_csv(stream, read_options=read, convert_options=convert)
        for batch in reader:
            yield batch
    except pa.ArrowInvalid as exc:
        raise SpinekgError(f"{name}: {' '.join(str(exc).split())[:300]}") from None


def _parquet_batches(path: str) -> Iterator[Any]:
    pa = _pyarrow()
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise SpinekgError(f"{path}: cannot read as Parquet ({' '.join(str(exc).split())[:200]})") from None
    yield from source.iter_batches(batch_size=PARQUET_BATCH_ROWS)


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


def classify_file(source: str, out: str, column: str, system: str | None = None, in_format: str | None = None,
                  out_format: str | None = None, progress: bool | None = None, index: dict | None = None) -> Summary:
    """Stream ``source`` (CSV, Parquet, or '-' for CSV on stdin) to ``out`` (or '-' for CSV on stdout)."""
    pa = _pyarrow()
    fmt_in, fmt_out = file_format(source, in_format), file_format(out, out_format)
    if source == "-" and fmt_in != "csv" or out == "-" and fmt_out != "csv":
        raise SpinekgError("stdin and stdout carry CSV only")
    if source != "-" and not os.path.isfile(source):
        raise SpinekgError(f"{source}: no such file")
    opened: IO[bytes] | None = None
    if fmt_in == "csv":
        opened = sys.stdin.buffer if source == "-" else open(source, "rb", buffering=1 << 20)  # noqa: SIM115
        if not hasattr(opened, "peek"):
            opened = io.BufferedReader(opened, 1 << 20)  # type: ignore[arg-type]
        header = _csv_header(opened, "<stdin>" if source == "-" else source)
        batches = _csv_batches(opened, "<stdin>" if source == "-" else source, header)
    else:
        batches = _parquet_batches(source)
        header = None
    temp_path: str | None = None
    bar = _Progress(progress)
    rows = errors = 0
    writer = None
    chosen = system
    try:
        if out == "-":
            sink: Any = sys.stdout.buffer
        else:
            directory = os.path.dirname(os.path.abspath(out))
            handle, temp_path = tempfile.mkstemp(prefix=".spinekg-", suffix=".part", dir=directory)
            os.close(handle)
            sink = temp_path
        for batch in batches:
            table = pa.Table.from_batches([batch])
            if chosen is None and table.num_rows:
                if column not in table.column_names:
                    raise SpinekgError(f"{source}: no column {column!r} (columns: {', '.join(table.column_names)})")
                sample = pa.compute.unique(table.column(column).slice(0, 20000)).to_pylist()
                chosen = detect_column_system([v for v in sample if isinstance(v, str)][:2000])
            try:
                table = classify_table(table, column, chosen or "icd10pcs", index)
            except SpinekgError as exc:
                raise SpinekgError(f"{source}: {exc.message}") from None
            if writer is None:
                writer = _open_writer(sink, table.schema, fmt_out)
            writer.write_table(table)
            rows += table.num_rows
            errors += table.num_rows - table.column("error").null_count
            bar.update(table.num_rows)
        if writer is None:  # no data rows: still write the header
            writer = _empty_output(sink, header, source, column, chosen or system or "icd10pcs", fmt_in, fmt_out)
        writer.close()
        writer = None
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
        if temp_path and os.path.exists(temp_path):
            os.unlink(temp_path)
        if opened is not None and source != "-":
            opened.close()
    if out == "-":
        sys.stdout.flush()
    return Summary(rows, errors, chosen or system or "icd10pcs")


def _open_writer(sink: Any, schema: Any, fmt: str) -> Any:
    if fmt == "csv":
        import pyarrow.csv as pacsv

        return pacsv.CSVWriter(sink, schema)
    import pyarrow.parquet as pq

    return pq.ParquetWriter(sink, schema, compression="zstd")


def _empty_output(sink: Any, header: list[str] | None, source: str, column: str, system: str, fmt_in: str,
                  fmt_out: str) -> Any:
    pa = _pyarrow()
    if fmt_in == "parquet":
        import pyarrow.parquet as pq

        names = pq.ParquetFile(source).schema_arrow.names
    else:
        names = header or []
    if column not in names:
        raise SpinekgError(f"{source}: no column {column!r} (columns: {', '.join(names)})")
    schema = pa.schema([(n, pa.string()) for n in list(names) + list(output_columns(system))])
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
