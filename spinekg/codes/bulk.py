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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import SpinekgError
from .columns import _pyarrow, _sample_system, _string_column, _take, output_columns, result_cache
from .outputs import Output, WriteBehind, _writing
CHUNK_BYTES = 8 << 20  # CSV block size: ~270k rows of a claims record; peak memory ≈ 0.5 GB whatever the file size
PARQUET_BATCH_ROWS = 500_000
WRITE_BEHIND = True  # write batch i while batch i+1 is read and classified
DICTIONARY_PAGE_BYTES = 1 << 20  # Parquet: Arrow's dictionary page limit, raised for the readings JSON (_dictionary_page)
DICTIONARY_PAGE_MAX = 64 << 20  # … up to this (a cache of 200,000 distinct answers would ask for more)
KEEP_LINES = True  # CSV to CSV: keep every input record byte for byte (csv_lines), not re-rendered by Arrow


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
    raise SpinekgError(f"{name}: cannot tell the format from the name (use .csv, .csv.gz or .parquet, or --in-format / --out-format)")


def _csv_header(stream: IO[bytes], name: str) -> list[str]:
    from ..rdf import limits

    head = stream.peek(1 << 20)[: 1 << 20]  # type: ignore[attr-defined]
    line = head.split(b"\n", 1)[0].rstrip(b"\r")
    if not line:
        raise SpinekgError(f"{name}:1: empty file, expected a header row")
    if len(head) == 1 << 20 and b"\n" not in head:
        raise limits.exceeded(f"{name}:1", "columns", "a header row longer than 1 MB")
    try:
        header = next(csv.reader([line.decode("utf-8-sig")]))
    except UnicodeDecodeError as exc:
        raise SpinekgError(f"{name}:1: not UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        raise SpinekgError(f"{name}:1: bad header row ({exc})") from None
    if len(header) > limits.get("columns"):
        raise limits.exceeded(f"{name}:1", "columns", f"the number of columns ({len(header)})")
    return header


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


def _parquet_batches(path: str, column: str) -> Iterator[tuple[Any, Any]]:
    """The file's record batches, each with its ``column`` (which the caller made sure it has). A string column is
    read as its dictionary (Parquet keeps one for a column of repeated values: its distinct values and each row's
    number among them, not a string a row): the answers need only its distinct values, and the batch has it as the
    plain strings the file holds, rebuilt from the dictionary (a quarter of the time of reading them as strings and
    hashing them again)."""
    pa = _pyarrow()
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(path)
        names = source.schema_arrow.names
        field = source.schema_arrow.field(names.index(column))
        by_dictionary = pa.types.is_string(field.type) and names.count(column) == 1
        if by_dictionary:
            source = pq.ParquetFile(path, read_dictionary=[column])
    except (pa.ArrowInvalid, OSError) as exc:
        raise SpinekgError(f"{path}: cannot read as Parquet ({' '.join(str(exc).split())[:200]})") from None
    try:
        for batch in source.iter_batches(batch_size=PARQUET_BATCH_ROWS):
            position = batch.schema.names.index(column)
            values = batch.column(position)
            if by_dictionary and pa.types.is_dictionary(values.type):
                arrays = batch.columns
                arrays[position] = _take(values.dictionary, values.indices)
                batch = pa.RecordBatch.from_arrays(arrays, schema=batch.schema.set(position, field))
            yield batch, values
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


def _open_source(source: str, fmt: str, column: str) -> tuple[IO[bytes] | None, list[str], Iterator[tuple[Any, Any]]]:
    """(the opened stream to close, the column names, the record batches of the input each with its ``column``)."""
    if fmt == "parquet":
        names = _parquet_names(source)
        return None, names, _parquet_batches(source, column)
    name = "<stdin>" if source == "-" else source
    opened = _raw_stream(source)
    try:
        header = _csv_header(opened, name)
    except Exception:
        if source != "-":
            opened.close()
        raise
    batches = _csv_batches(opened, name, header, None if source == "-" else source)
    at = header.index(column) if column in header else None
    return (opened if source != "-" else None), header, ((batch, batch.column(at)) for batch in batches)


def _parquet_names(path: str) -> list[str]:
    pa = _pyarrow()
    import pyarrow.parquet as pq

    from ..rdf import limits

    try:
        names = list(pq.ParquetFile(path).schema_arrow.names)
    except (pa.ArrowInvalid, OSError) as exc:
        raise SpinekgError(f"{path}: cannot read as Parquet ({' '.join(str(exc).split())[:200]})") from None
    if len(names) > limits.get("columns"):
        raise limits.exceeded(path, "columns", f"the number of columns ({len(names)})")
    return names


def classify_file(source: str, out: str, column: str, system: str | None = None, in_format: str | None = None,
                  out_format: str | None = None, progress: bool | None = None, index: dict | None = None,
                  profile: str | Path | None = None, needle: bool = False, processes: int | str | None = None) -> Summary:
    """Stream ``source`` (CSV, Parquet, or '-' for CSV on stdin) to ``out`` (or '-' for CSV on stdout).

    ``profile`` (a built-in profile name or a profile .ttl file) redefines back surgery; ``needle`` counts needle
    procedures as operations. ``processes``: how many processes read free text (1-8 or 'auto'; None: one; see
    ``columns.classify_arrow``). A ``.gz`` CSV name is
    read or written gzip-compressed. Nothing is written unless the whole input is read: the output appears
    complete, by a rename, or not at all."""
    from .forked import processes as reading_processes

    from ..collector import collector_paused

    # the rows, answers and what the reader remembers make no cycles: a pass of the collector once the texts are read
    # scans them all for nothing (a fortieth of a million-row run, between reading and writing)
    with reading_processes(processes), collector_paused():
        return _classify_file(source, out, column, system, in_format, out_format, progress, index, profile, needle)


def _classify_file(source: str, out: str, column: str, system: str | None, in_format: str | None, out_format: str | None,
                   progress: bool | None, index: dict | None, profile: str | Path | None, needle: bool) -> Summary:
    pa = _pyarrow()
    fmt_in, fmt_out = file_format(source, in_format), file_format(out, out_format)
    if source == "-" and fmt_in != "csv" or out == "-" and fmt_out != "csv":
        raise SpinekgError("stdin and stdout carry CSV only")
    if source != "-" and not os.path.isfile(source):
        raise SpinekgError(f"{source}: no such file")
    if source != "-":
        from ..files import refuse_overwriting_input
        from ..rdf.guard import check_regular_file

        check_regular_file(Path(source))  # within the file-bytes limit
        refuse_overwriting_input(out, [source])
    if system:
        cache = result_cache(system, index, profile, needle)  # a bad profile fails before any I/O
    else:
        from .code_table import code_table

        code_table(index, profile, needle)  # likewise (and loads what the cache will need)
        cache = None
    if fmt_in == fmt_out == "csv" and KEEP_LINES:
        from ..answer.profiles import is_default
        from .csv_lines import csv_to_csv

        stream = _raw_stream(source)
        try:
            header = _csv_header(stream, "<stdin>" if source == "-" else source)
            rows, errors, chosen = csv_to_csv(stream, source, out, header, column, system, index, profile, needle,
                                              _Progress(progress), CHUNK_BYTES)
        finally:
            if source != "-":
                stream.close()
        return Summary(rows, errors, chosen, "seed" if is_default(profile) else str(profile))
    opened, names, batches = _open_source(source, fmt_in, column)
    output = Output(out)
    bar = _Progress(progress)
    rows = errors = 0
    writer = None
    try:
        if column not in names:
            raise SpinekgError(f"{source}: no column {column!r} (columns: {', '.join(names)})")
        schema = None
        for batch, values in batches:  # values: the column's (as its Parquet dictionary where it has one)
            if not batch.num_rows:
                continue
            if cache is None:
                try:
                    cache = result_cache(_sample_system(_string_column(values)), index, profile, needle)
                except SpinekgError as exc:
                    raise SpinekgError(f"{source}: {exc.message}", exc.exit_code) from None
            # Parquet: the result columns are dictionary-encoded (each distinct answer written once, without hashing
            # every row's answer again); CSV renders every row's text anyway
            results = cache.classify(_string_column(values), dictionary=fmt_out == "parquet")
            if schema is None:
                clash = [name for name in results if name in names]
                if clash:
                    raise SpinekgError(f"{source}: the input already has column(s) {', '.join(clash)}; rename them first")
                schema = pa.schema(list(batch.schema) + [pa.field(name, values.type) for name, values in results.items()])
                sink = output.open()
                with _writing(out):
                    writer = _open_writer(sink, schema, fmt_out, _dictionary_page(cache), list(results))
                if WRITE_BEHIND:
                    writer = _WriteBehind(writer, out)
                output.close = writer.close
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
            sink = output.open()
            with _writing(out):
                writer = _empty_output(sink, names, source, chosen, fmt_in, fmt_out)
            output.close = writer.close
        output.finish()
    finally:
        bar.close()
        output.discard()
        if opened is not None:
            opened.close()
    if out == "-":
        sys.stdout.flush()
    from ..answer.profiles import is_default

    return Summary(rows, errors, cache.system if cache else system or "icd10pcs",
                   "seed" if is_default(profile) else str(profile))


def use_jemalloc() -> None:
    """Arrow's jemalloc pool, for a process that bulk classification owns (the CLI's): with the default (mimalloc)
    the kernel spends a fifth of a bulk run's CPU faulting in and zeroing the pages that each block's buffers take
    and give back; jemalloc keeps them. Never called by the API: a library must not change its host's allocator.
    A pyarrow built without jemalloc (or no pyarrow) keeps its default."""
    try:
        import pyarrow

        pyarrow.set_memory_pool(pyarrow.jemalloc_memory_pool())
    except (ImportError, NotImplementedError, AttributeError):
        pass


def _raw_stream(source: str) -> IO[bytes]:
    if source == "-":
        opened: IO[bytes] = sys.stdin.buffer
    elif source.lower().endswith(".gz"):
        import gzip

        opened = gzip.open(source, "rb")  # type: ignore[assignment]
    else:
        opened = open(source, "rb", buffering=1 << 20)  # noqa: SIM115
    return opened if hasattr(opened, "peek") else io.BufferedReader(opened, 1 << 20)  # type: ignore[arg-type]


class _WriteBehind:
    """An Arrow writer whose batches are written on a second thread (outputs.WriteBehind)."""

    def __init__(self, writer: Any, out: str):
        self.writer, self.out = writer, out  # out: named in errors by the caller
        self.behind = WriteBehind(writer.write_batch)

    def write_batch(self, batch: Any) -> None:
        self.behind.put(batch)

    def close(self) -> None:
        try:
            self.behind.wait()
        finally:
            self.writer.close()


def _dictionary_page(cache: Any) -> int:
    """The Parquet dictionary page limit for a file: twice the readings JSON of the distinct texts answered so far (the
    first batch's), so that each distinct answer is written once, in its column chunk's dictionary page. Arrow's default
    (1 MB) is far below the readings of a few thousand texts, and past it the writer falls back to writing every row's
    JSON: 10 times the file, 3 times the time. The limit is Arrow's for every column, and an input column of unique
    values (a claim id) stays dictionary-encoded up to it, which costs time and size: so it is raised only for text,
    only as far as its readings need. Codes keep the default."""
    if "readings" not in cache.columns:
        return DICTIONARY_PAGE_BYTES
    at = cache.columns.index("readings")
    return min(DICTIONARY_PAGE_MAX, max(DICTIONARY_PAGE_BYTES, 2 * sum(len(row[at] or "") for row in cache.rows)))


def _open_writer(sink: Any, schema: Any, fmt: str, dictionary_page: int = DICTIONARY_PAGE_BYTES,
                 answers: Sequence[str] = ()) -> Any:
    if fmt == "csv":
        import pyarrow.csv as pacsv

        return pacsv.CSVWriter(sink, schema)
    import pyarrow.parquet as pq

    # Statistics for the input's columns, as any writer keeps them, not for the answers (``answers``): every row group
    # holds yes, no and depends, regions and procedures of every kind, so their min/max skip no row group in a query,
    # and they cost a pass over every row (a sixth of writing a million rows of text's answers).
    return pq.ParquetWriter(sink, schema, compression="zstd", dictionary_pagesize_limit=dictionary_page,
                            write_statistics=[name for name in schema.names if name not in answers])


def _empty_output(sink: Any, names: list[str], source: str, system: str, fmt_in: str, fmt_out: str) -> Any:
    pa = _pyarrow()
    if fmt_in == "parquet":
        import pyarrow.parquet as pq

        fields = list(pq.ParquetFile(source).schema_arrow)
    else:
        fields = [pa.field(n, pa.string()) for n in names]
    answer = pa.dictionary(pa.int32(), pa.string()) if fmt_out == "parquet" else pa.string()  # as _classify_file writes
    schema = pa.schema(fields + [pa.field(n, answer) for n in output_columns(system)])
    writer = _open_writer(sink, schema, fmt_out, answers=output_columns(system))
    writer.write_table(schema.empty_table())
    return writer


def iter_codes_file(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, code) for a plain list of codes, one a line ('#' comments and blank lines skipped)."""
    from ..rdf import limits
    from ..rdf.guard import check_regular_file

    check_regular_file(Path(path))  # never /dev/zero or a FIFO
    most = limits.get("line-bytes")
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(iter(lambda: handle.readline(most + 1), ""), start=1):
            if len(line) > most:
                raise limits.exceeded(f"{path}:{number}", "line-bytes", "the line length")
            text = line.strip()
            if text and not text.startswith("#"):
                yield number, text
