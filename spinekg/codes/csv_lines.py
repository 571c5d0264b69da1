"""CSV in, CSV out, with every input line kept byte for byte: the result columns are appended to each record.

Reading a CSV into typed columns and writing it back changes it (Arrow quotes every string and would turn ids into
text); a warehouse wants its file back as it was plus the answers. So the input is read as raw blocks of whole
records; only the code column is parsed (Arrow, one column); each record is the bytes between its line breaks; the
output record is that record, a comma and the result cells, already CSV-encoded (quoted only where CSV needs it)
for each distinct answer and gathered with one ``take``. A record may hold a line break inside quotes: a block whose
parsed row count differs from its line count is split into records by quote parity instead (a line break ends a
record where the quotes before it are balanced), in Python, for that block only. Blank lines are dropped, as a
CSV reader drops them.
"""
from __future__ import annotations

import csv
import io
import sys
import threading
from array import array
from collections.abc import Callable, Iterator
from contextvars import copy_context
from typing import IO, Any

from ..errors import SpinekgError
from .columns import _f, _pyarrow, _sample_system, _string_column, output_columns, result_cache
from .outputs import Output, WriteBehind, _writing


def encode_cells(rows: list[tuple[str | None, ...]], newline: bytes) -> list[bytes]:
    """``,cell,cell…<newline>`` for each result row, quoted only where CSV needs it (empty for null)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    found = []
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(["" if cell is None else cell for cell in row])
        found.append(b"," + buffer.getvalue()[:-1].encode("utf-8") + newline)
    return found


def _blocks(stream: IO[bytes], size: int, newline: bytes) -> Iterator[bytes]:
    """Blocks of whole lines (each ends with a line break, the last one perhaps not)."""
    rest = b""
    while True:
        chunk = stream.read(size)
        if not chunk:
            if rest:
                yield rest if rest.endswith(b"\n") else rest + newline
            return
        data = rest + chunk
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            rest = data
            continue
        rest = data[cut:]
        yield data[:cut]


def _records_by_parity(block: bytes) -> tuple[list[bytes], list[int], bytes]:
    """(whole records of the block without their line breaks, blank ones left out; the line of the block each starts
    on, from 0; the unfinished tail)."""
    records, lines, start, quotes, scan, line, first = [], [], 0, 0, 0, 0, 0
    position = block.find(b"\n")
    while position != -1:
        quotes += block.count(b'"', scan, position)
        scan = position + 1
        if quotes % 2 == 0:
            record = block[start:position].rstrip(b"\r")
            if record:
                records.append(record)
                lines.append(first)
            start, quotes, first = scan, 0, line + 1
        line += 1
        position = block.find(b"\n", scan)
    return records, lines, block[start:]


class _Answers:
    """The cache's answers as appended bytes, for worker threads: look-ups that learn new values, and the encoded
    result rows, are taken under one lock; everything else (parsing, joining) runs in parallel."""

    def __init__(self, cache: Any, newline: bytes):
        self.cache, self.newline, self.lock = cache, newline, threading.Lock()
        self.generation, self.suffixes, self.flags = -1, None, None

    def lookup(self, codes: Any) -> tuple[Any, Any, Any]:
        """(row ids, the encoded result rows, an int8 array null where a row has no error) for a block. The hash
        look-up runs outside the lock on a consistent snapshot; only a block with values never seen takes it."""
        with self.lock:
            self._refresh()
            keys, key_rids, suffixes, flags = self.cache.keys, self.cache.key_rids, self.suffixes, self.flags
        rids = _f("take", key_rids, _f("index_in", codes, options=_set_lookup(keys)))
        if not rids.null_count:
            return rids, suffixes, flags
        with self.lock:
            rids = self.cache.row_ids(codes)
            self._refresh()
            return rids, self.suffixes, self.flags

    def _refresh(self) -> None:
        pa = _pyarrow()
        if self.generation != self.cache.generation:  # (a pending forget happens in the next row_ids call)
            self.generation = self.cache.generation
            self.suffixes = _strings_of(encode_cells(self.cache.rows, self.newline))
            errors = [row[-1] is not None for row in self.cache.rows]
            bits = bytearray((len(errors) + 7) // 8)
            for number, error in enumerate(errors):
                if error:
                    bits[number >> 3] |= 1 << (number & 7)
            self.flags = pa.Array.from_buffers(pa.int8(), len(errors), [pa.py_buffer(bytes(bits)),
                                                                         pa.py_buffer(bytes(len(errors)))])


def _set_lookup(keys: Any) -> Any:
    from .columns import _compute

    return _compute().SetLookupOptions(keys)


def classify_lines(stream: IO[bytes], name: str, header_line: bytes, column: int, header: list[str],
                   get_cache: Callable[[Any], Any], writer: WriteBehind, block_size: int,
                   progress: Callable[[int], None]) -> tuple[int, int, Any]:
    """Stream the records after the header: returns (rows, rows with an error, the cache used). Blocks without a
    quote are parsed, looked up and joined on two threads (Arrow releases the GIL); a block with a quote is done in
    order on this thread, since a quoted line break may carry a record into the next block."""
    pa = _pyarrow()
    import pyarrow.csv as pacsv
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    newline = b"\r\n" if header_line.endswith(b"\r") else b"\n"
    convert = pacsv.ConvertOptions(include_columns=[header[column]], column_types={header[column]: pa.string()},
                                   strings_can_be_null=False, quoted_strings_can_be_null=False)
    read = pacsv.ReadOptions(use_threads=False, block_size=max(block_size * 2, 1 << 16))
    head = header_line + b"\n"
    empty = _strings_of([b""])[0]
    state: dict[str, Any] = {"answers": None}

    def codes_of(data: bytes) -> Any:
        return _string_column(pacsv.read_csv(pa.py_buffer(head + data), read_options=read,
                                             convert_options=convert).column(0))

    # the fast path names the columns instead of copying each block behind the header line; when it fails, the
    # block is parsed again by codes_of, whose errors count the header in their row numbers
    bare = pacsv.ReadOptions(use_threads=False, block_size=max(block_size * 2, 1 << 16), column_names=header)

    def codes_fast(data: bytes) -> Any:
        return _string_column(pacsv.read_csv(pa.py_buffer(data), read_options=bare, convert_options=convert).column(0))

    def finish(lines: Any, codes: Any) -> tuple[Any, int, int]:
        if state["answers"] is None:  # the first block, on the calling thread
            state["answers"] = _Answers(get_cache(codes), newline)
        rids, suffixes, flags = state["answers"].lookup(codes)
        out = _f("binary_join_element_wise", lines, _f("take", suffixes, rids), empty)
        return _data(out), len(codes), len(codes) - _f("take", flags, rids).null_count

    def fast(block: bytes) -> tuple[Any, int, int] | None:
        """The block's output, or None when its lines are not its records."""
        try:
            codes = codes_fast(block)
        except pa.ArrowInvalid:
            return None
        text = pa.Array.from_buffers(pa.string(), 1, [None, pa.py_buffer(array("i", [0, len(block) - len(newline)])),
                                                      pa.py_buffer(block)])
        lines = _f("split_pattern", text, options=_split(newline)).values  # (flatten() imports pyarrow.compute)
        if len(lines) != len(codes) or not len(codes):
            return None
        return finish(lines, codes)

    rows = errors = 0
    seen = 1  # lines before the block (the header's)
    tail = b""
    pending: deque = deque()

    def settle(future: Any, block: bytes, before: int) -> tuple[Any, int, int] | None:
        """A parallel block's output; a blank line in it (no quotes: its records are its non-blank lines) is
        handled here."""
        return future.result() or _by_records(block, [], codes_of, finish, name, before)

    def collect(done: tuple[Any, int, int] | None) -> None:
        nonlocal rows, errors
        if done is not None and done[1]:
            writer.put(done[0])
            rows += done[1]
            errors += done[2]
            progress(done[1])

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="spinekg-lines") as pool:
        for block in _blocks(stream, block_size, newline):
            if state["answers"] is not None and not tail and b'"' not in block:
                pending.append((pool.submit(copy_context().run, fast, block), block, seen))  # with the caller's settings
                seen += block.count(b"\n")
                if len(pending) > 2:
                    collect(settle(*pending.popleft()))
                continue
            while pending:
                collect(settle(*pending.popleft()))
            block, tail = tail + block, b""
            done = fast(block)
            if done is None:  # a quoted line break, a blank line, or a record cut at the block's end
                records, starts, tail = _records_by_parity(block)
                done = _by_records(block, records, codes_of, finish, name, seen, starts)
            collect(done)
            seen += block.count(b"\n") - tail.count(b"\n")
        while pending:
            collect(settle(*pending.popleft()))
    if tail.strip():  # an unbalanced quote: Arrow's own message, at the line the record starts on
        try:
            codes_of(tail)
        except pa.ArrowInvalid as exc:
            raise SpinekgError(_located(name, " ".join(str(exc).split()), seen, [0])) from None
        raise SpinekgError(f"{name}:{seen + 1}: the file ends inside a quoted field (an unbalanced '\"')")
    return rows, errors, state["answers"].cache if state["answers"] else None


def _by_records(block: bytes, records: list[bytes], codes_of: Callable[[bytes], Any], finish: Callable[..., Any],
                name: str, seen: int, starts: list[int] | None = None) -> tuple[Any, int, int] | None:
    """The output of a block split into records in Python (``records`` empty: its non-blank lines)."""
    pa = _pyarrow()
    if starts is None:
        records, starts = [], []
        for number, line in enumerate(block.split(b"\n")):
            if line.rstrip(b"\r"):
                records.append(line.rstrip(b"\r"))
                starts.append(number)
    if not records:
        return None
    try:
        codes = codes_of(b"\n".join(records) + b"\n")
    except pa.ArrowInvalid as exc:
        raise SpinekgError(_located(name, " ".join(str(exc).split()), seen, starts)) from None
    if len(codes) != len(records):
        raise SpinekgError(f"{name}:{seen + starts[0] + 1}: cannot split the block's records")
    return finish(_strings_of(records), codes)


def _located(name: str, message: str, seen: int, starts: list[int]) -> str:
    """``name:LINE: message`` from Arrow's "Row #k" (k counts the header and the block's records)."""
    import re

    found = re.search(r"Row #(\d+): ", message)
    if found and 2 <= int(found.group(1)) <= len(starts) + 1:
        return f"{name}:{seen + starts[int(found.group(1)) - 2] + 1}: {message.replace(found.group(0), '')[:300]}"
    return f"{name}: {message[:300]}"


def _split(newline: bytes) -> Any:
    from .columns import _compute

    return _compute().SplitPatternOptions(newline.decode("ascii"))


def _strings_of(values: list[bytes]) -> Any:
    pa = _pyarrow()
    from itertools import accumulate

    offsets = array("i", accumulate(map(len, values), initial=0))
    return pa.StringArray.from_buffers(len(values), pa.py_buffer(offsets), pa.py_buffer(b"".join(values)))


def _data(strings: Any) -> Any:
    """The bytes of a string array's values, without a copy."""
    offsets = memoryview(strings.buffers()[1]).cast("i")
    return strings.buffers()[2][offsets[strings.offset]: offsets[strings.offset + len(strings)]]


def _close_after(writer: WriteBehind, handle: IO[bytes] | None) -> None:
    """Wait for the block being written, then close the file this module opened (never stdout or a sink it was
    given)."""
    try:
        writer.wait()
    finally:
        if handle is not None:
            handle.close()


def csv_to_csv(stream: IO[bytes], source: str, out: str, header: list[str], column: str, system: str | None,
               index: dict | None, profile: Any, needle: bool, bar: Any, block_size: int) -> tuple[int, int, str]:
    """CSV in, CSV out: each input record kept as it was, the result columns appended. Returns (rows, rows with an
    error, the code system answered)."""
    name = "<stdin>" if source == "-" else source
    output = Output(out)
    handle = None
    try:
        if column not in header:
            raise SpinekgError(f"{source}: no column {column!r} (columns: {', '.join(header)})")
        header_line = stream.readline().rstrip(b"\n")
        newline = b"\r\n" if header_line.endswith(b"\r") else b"\n"

        def start(names: tuple[str, ...]) -> None:
            nonlocal handle
            clash = [n for n in names if n in header]
            if clash:
                raise SpinekgError(f"{source}: the input already has column(s) {', '.join(clash)}; rename them first")
            sink = output.open()
            with _writing(out):
                handle = open(sink, "wb") if isinstance(sink, str) else sink  # noqa: SIM115
                output.close = lambda: _close_after(writer, handle if isinstance(sink, str) else None)
                handle.write(header_line.rstrip(b"\r") + ("," + ",".join(names)).encode() + newline)

        def get_cache(codes: Any) -> Any:
            try:
                cache = result_cache(system or _sample_system(codes), index, profile, needle)
            except SpinekgError as exc:
                raise SpinekgError(f"{source}: {exc.message}", exc.exit_code) from None
            start(cache.columns)
            return cache

        def write(data: Any) -> None:
            with _writing(out):
                handle.write(data)  # type: ignore[union-attr]

        writer = WriteBehind(write)  # appends the result cells, one block in flight
        rows, errors, cache = classify_lines(stream, name, header_line, header.index(column), header, get_cache, writer,
                                             block_size, bar.update)
        writer.wait()
        if handle is None:
            start(output_columns(system or "icd10pcs"))
        output.finish()
    finally:
        bar.close()
        output.discard()
    if out == "-":
        sys.stdout.flush()
    return rows, errors, cache.system if cache else system or "icd10pcs"
