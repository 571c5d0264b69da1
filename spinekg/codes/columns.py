"""Classify Arrow columns of codes: each distinct value answered once (code table, then the composer),
then taken back to every row; pandas and Spark helpers build on this."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import SpinekgError
# the Arrow calls and the result table's names, where the other modules of codes/ and the tests took them from
from .arrow_calls import _compute, _f, _index_in, _int32s, _pyarrow, _strings, _take  # noqa: F401
from .results import CM_COLUMNS, PCS_COLUMNS, TEXT_COLUMNS, ResultCache, output_columns  # noqa: F401
from .text_results import TextResultCache


_CACHES: dict[tuple[str, str, int, bool], ResultCache] = {}


def result_cache(system: str, index: dict | None = None, profile: str | Path | None = None,
                 needle: bool = False) -> ResultCache:
    """The cache for a system, profile and needle option (one per process: codes seen in one file are resolved for
    the next)."""
    if system == "text" and needle:
        raise SpinekgError("--needle-procedures applies to procedure codes, not to text (the reader names the "
                           "operation itself)")
    key = (system, "seed" if profile is None else str(profile), id(index), needle)
    if key not in _CACHES:
        if system == "text":
            _CACHES[key] = TextResultCache(index, profile)
        else:
            _CACHES[key] = ResultCache(system, index, profile, needle)
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
    """One string array (Arrow ``string``) from any Arrow array or chunked array of codes; a dictionary array of
    strings stays one (its distinct values are what is answered: ``ResultCache.row_ids``)."""
    pa = _pyarrow()
    if isinstance(column, pa.ChunkedArray):
        if column.num_chunks != 1 and pa.types.is_dictionary(column.type):  # chunks with dictionaries of their own
            column = _f("cast", column, options=_compute().CastOptions(column.type.value_type))
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if pa.types.is_dictionary(column.type) and pa.types.is_string(column.type.value_type):
        return column
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

