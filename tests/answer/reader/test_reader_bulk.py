"""classify-file --system text: a column of procedure descriptions, each distinct text read once, the code
columns plus readings (JSON), the same answers as classify."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from spinekg.api import classify

PHRASES = Path(__file__).parent / "phrases.tsv"


def test_classify_file_text(tmp_path, cli):
    texts = ["L4-5 TLIF with pedicle screw instrumentation", "total knee arthroplasty", "ACDF C5-6, C6-7",
             "frobnication", "L4-5 TLIF with pedicle screw instrumentation", ""]
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "description"])
        writer.writerows([[i, t] for i, t in enumerate(texts)])
    code, stdout, stderr = cli("classify-file", str(source), "--column", "description", "--system", "text", "--out", str(out))
    assert code == 0 and "6 rows classified as text, 1 with an error" in stdout + stderr
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["id", "description", "spine_surgery", "back_surgery", "regions", "procedure", "readings", "error"]
    for row in rows[:3]:
        verdict = classify(row["description"])
        assert (row["spine_surgery"], row["back_surgery"], row["regions"]) == (verdict.spine_surgery, verdict.back_surgery,
                                                                               ";".join(verdict.regions))
        assert json.loads(row["readings"]) == json.loads(json.dumps(verdict.readings))
    assert rows[0] == {**rows[4], "id": "0"}
    assert (rows[3]["spine_surgery"], rows[3]["error"]) == ("", "unknown procedure 'frobnication'")
    assert rows[5] == {"id": "5", "description": "", **dict.fromkeys(list(rows[0])[2:], "")}  # blank: no answer, no error


def test_codes_in_a_text_column_are_answered_as_classify_answers_them(tmp_path, cli):
    """A free-text column may hold codes ('0SG00A0', 'ICD-10-PCS 0SG00A0'): classify answers them by the code, and so
    does classify-file --system text (the reader alone said 'unknown procedure')."""
    texts = ["0SG00A0", "ICD-10-PCS 0DTJ4ZZ", "ICD-9-CM 81.08", "PCS 81.08", "4567", "L4-5 TLIF"]
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["description"], *[[t] for t in texts]])
    code, stdout, stderr = cli("classify-file", str(source), "--column", "description", "--system", "text", "--out", str(out))
    assert code == 0
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    answers = [(r["spine_surgery"], r["back_surgery"], r["regions"]) for r in rows]
    assert answers[:3] == [("yes", "yes", "lumbar"), ("no", "no", ""), ("depends", "yes", "lumbar;lumbosacral")]
    for row in rows:
        try:
            verdict = classify(row["description"])
        except Exception as exc:  # noqa: BLE001 - the row's error is classify's
            assert row["error"] == str(exc) and row["spine_surgery"] == "", row
            continue
        assert (row["spine_surgery"], row["back_surgery"], row["regions"], row["error"]) == (
            verdict.spine_surgery, verdict.back_surgery, ";".join(verdict.regions), ""), row
    assert rows[3]["error"] == "'81.08' is not an ICD-10-PCS code: expected 7 characters from 0-9 and A-Z without I and O"


MIXED = ["L4-5 TLIF with pedicle screw instrumentation", "total knee arthroplasty", "ACDF C5-6, C6-7", "frobnication", "",
         "LEFT L5-S1 HEMILAMINOTOMY AND DISCECTOMY", 'removal of "hardware", lumbar', "lumbar", "L9 fusion", "  ",
         "appendectomy", "bilateral L3-4 laminectomy", "Excision of Cervical Vertebral Disc, Open Approach", "L4-L5 microdiscectomy"]


def _mixed(count: int) -> list[str]:
    """``count`` distinct texts (levels, sides, case, unknown words, blanks, quotes and commas), then repeats."""
    names = [f"C{n}" for n in range(2, 8)] + [f"T{n}" for n in range(1, 13)] + [f"L{n}" for n in range(1, 6)] + ["S1"]
    levels, sides = names + [f"{a}-{b}" for a, b in zip(names, names[1:])], ["", "left ", "(R) ", "bilateral "]
    out = list(MIXED)
    for i in range(count):
        text = f"{sides[i % 4]}{levels[(i // 4) % len(levels)]} {MIXED[(i // (4 * len(levels))) % len(MIXED)]}"
        out.append(text.upper() if i % 3 == 0 else text)
    return out + out[::7]


def test_forked_reading_answers_as_one_process(monkeypatch):
    """Distinct texts read by several processes (forked children read parts) give the same result arrays, in the
    same order, as reading them all here: the same rows, row ids and readings. A library call forks only when asked."""
    import os

    import pyarrow as pa

    from spinekg.answer.reader import forget
    from spinekg.codes import columns, forked

    column = pa.array(_mixed(300) + [None], type=pa.string())
    monkeypatch.delenv("SPINEKG_NO_FORK", raising=False)
    monkeypatch.setattr(forked, "MIN_VALUES", 2)
    monkeypatch.setattr(forked, "_free_cores", lambda: 2.0)
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    results = {}
    for processes in (None, 1, 2, 3, "auto"):
        columns._CACHES.clear()
        forget()
        forks.clear()
        results[processes] = pa.table(columns.classify_arrow(column, "text", processes=processes))
        assert len(forks) == {None: 0, 1: 0, 2: 1, 3: 2, "auto": 1}[processes]
        cache = columns.result_cache("text")
        assert len(cache.rows) == len(set(cache.rows)) and len(cache.keys) == len(set(column.to_pylist()))
    assert all(table.equals(results[1]) for table in results.values())
    columns._CACHES.clear()


def test_processes_are_checked():
    import pyarrow as pa

    from spinekg.codes.columns import classify_arrow

    for bad in (0, 9, "two", True, 1.5):
        with pytest.raises(ValueError, match="processes must be 1-8 or 'auto'"):
            classify_arrow(pa.array(["L4-5 TLIF"]), "text", processes=bad)


def test_forked_claims_keep_wordings_together():
    from spinekg.answer.reader.reuse import wording
    from spinekg.codes.forked import claims, groups

    assert groups(["a", "b", "a", "c", "b", "d", "d"]) == [[0, 2], [1, 4], [3], [5, 6]]  # key by key (its memos stay hot)
    assert claims(groups(["a", "b", "a", "c", "b", "d", "d"])) == [[0, 2], [1, 4], [3], [5, 6]]  # a claim a key
    assert claims(groups(["a", "b", "a", "c", "b", "d", "d"]), 2) == [[0, 2, 1, 4], [3, 5, 6]]  # at most 2: runs of keys
    assert claims(groups(list("abcdefg")), 3) == [[0, 1, 2], [3, 4, 5], [6]]
    assert groups([]) == [] and claims([]) == []
    # texts read from the same wording and decisions share a key: levels, sides and case left out
    assert [wording(t) for t in ("LEFT L4-5 TLIF w/ pedicle screws", "(R) C5-6 ACDF", "bilateral T11-12 acdf", "")] == \
        ["tlif pedicle screws", "acdf", "acdf", ""]


def test_forked_answers_travel_as_marshal_or_pickle(monkeypatch):
    """A child's answers come back equal: plain values by marshal, anything else by pickle; answered in two processes,
    they equal the answers of one."""
    from decimal import Decimal

    from spinekg.codes import forked

    plain = [("yes", None, "lumbar", "spinekg:X", '{"a":1}', None)] * 3
    assert forked._dumps(plain)[:1] == b"m" and forked._loads(forked._dumps(plain)) == plain
    rich = [Decimal("1.5"), ("yes", Decimal("2"))]
    assert forked._dumps(rich)[:1] == b"p" and forked._loads(forked._dumps(rich)) == rich
    monkeypatch.setenv("SPINEKG_NO_FORK", "0")  # at least two processes, whatever the load
    values = [f"v{i % 2500}" for i in range(5000)]
    for answer in (lambda v: (v.upper(), None), lambda v: Decimal(len(v))):
        with forked.processes(2):
            assert forked.map_forked(answer, values, lambda: [v[-1] for v in values]) == [answer(v) for v in values]


def _slow_pid(value: str) -> tuple[int, str]:
    import os
    import time

    time.sleep(0.0002)
    return os.getpid(), value


def test_forked_processes_share_the_claims_and_keep_each_key_in_one(monkeypatch):
    """Both processes take claims from the queue until none is left (neither answers all), each key's values are
    answered by one process, every value once, in the order of the values; ``then`` runs here on every answer."""
    import os

    from spinekg.codes import forked

    monkeypatch.setenv("SPINEKG_NO_FORK", "0")
    values = [f"v{i}" for i in range(3000)]
    keys = [f"k{i % 150}" for i in range(3000)]
    here = os.getpid()
    seen = []
    with forked.processes(2):
        out = forked.map_forked(_slow_pid, values, lambda: keys, then=lambda a: seen.append(os.getpid()) or a)
    assert [v for _, v in out] == values and seen == [here] * len(values)
    by_key: dict[str, set[int]] = {}
    for (pid, _), key in zip(out, keys):
        by_key.setdefault(key, set()).add(pid)
    assert all(len(pids) == 1 for pids in by_key.values())
    assert len({pid for pid, _ in out}) == 2 and here in {pid for pid, _ in out}


def test_a_failed_childs_claims_are_answered_here(monkeypatch, tmp_path):
    """A child that dies on its twentieth value sends what it answered before and leaves the rest of its claims to this
    process: the result is still every value's answer, in order."""
    import os
    import time

    from spinekg.codes import forked

    monkeypatch.setenv("SPINEKG_NO_FORK", "0")
    here, answered = os.getpid(), []

    def answer(value: str) -> str:
        time.sleep(0.0002)
        if os.getpid() != here:
            answered.append(value)
            if len(answered) == 20:
                (tmp_path / "failed").write_text(value)
                raise RuntimeError("a child's failure")
        return value.upper()

    values = [f"v{i}" for i in range(2500)]
    with forked.processes(2):
        assert forked.map_forked(answer, values, lambda: [v[-2:] for v in values]) == [v.upper() for v in values]
    assert (tmp_path / "failed").exists()  # (the child did fail)


def test_wordings_in_arrow_equal_wording():
    """The split key worked out by Arrow kernels for a whole column is ``wording`` of each text: on the phrase table, the
    ICD-10-PCS-style titles it holds, and texts made to catch the regular expressions out (apostrophes, single letters,
    side words inside longer words, separators, case, nulls)."""
    import pyarrow as pa

    from spinekg.answer.reader.reuse import wording
    from spinekg.codes.text_results import wordings

    with open(PHRASES, newline="", encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle, delimiter="\t")]
    texts += ["LEFT-SIDED L4-5 TLIF", "leftover rt. rtlif", "O'Brien's procedure", "'a b' c'", "x/y b/l z", "Lt  L5 -S1",
              "bilat.   lami", "Right\tL4-5\nTLIF", "T10 to the pelvis", "unilateral unilateralism", "a", "ab", "", "  ",
              "Ünïcode lamïnectomy"]
    assert len(texts) > 1000
    assert wordings(pa.array(texts + [None], pa.string())) == [wording(t) for t in texts] + [""]


def test_classify_file_text_forked_bytes(tmp_path, cli, monkeypatch):
    """classify-file on 2,000+ distinct texts (read on two cores where a second one is free) writes the same bytes
    as reading them in one process, for CSV and Parquet."""
    texts = _mixed(2100)
    source = tmp_path / "in.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "description"])
        writer.writerows([[i, t] for i, t in enumerate(texts)])
    assert len(set(texts)) >= 2000
    for suffix in ("csv", "parquet"):
        written = []
        for no_fork, processes in (("1", "auto"), ("0", "auto"), ("", "3")):
            monkeypatch.setenv("SPINEKG_NO_FORK", no_fork)
            out = tmp_path / f"out{no_fork}{processes}.{suffix}"
            code, stdout, stderr = cli("classify-file", str(source), "--column", "description", "--system", "text",
                                       "--out", str(out), "--processes", processes)
            assert code == 0, stderr
            written.append(out.read_bytes())
        assert written[0] == written[1] == written[2]
    code, stdout, stderr = cli("classify-file", str(source), "--column", "description", "--system", "text",
                               "--out", str(tmp_path / "x.csv"), "--processes", "0")
    assert code == 2 and "argument --processes: processes must be 1-8 or 'auto', not 0" in stderr


def test_parquet_output_keeps_each_distinct_answer_once(tmp_path):
    """Parquet output: a result column holds each distinct answer once, in its dictionary page, even when the distinct
    readings pass Arrow's default 1 MB dictionary page (past it every row's JSON would be written); the result columns
    are dictionary-encoded strings (the input column stays a plain string), DuckDB reads them as VARCHAR, the rows
    equal the CSV output's, and only the input's columns get statistics (an answer's min/max skips no row group)."""
    pq = pytest.importorskip("pyarrow.parquet")
    from spinekg.codes.bulk import classify_file

    texts = _mixed(3000)
    rows = [texts[(i * 7) % len(texts)] for i in range(len(texts) * 10)]
    source = tmp_path / "in.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["description"])
        writer.writerows([[t] for t in rows])
    classify_file(str(source), str(tmp_path / "out.parquet"), "description", system="text", progress=False)
    classify_file(str(source), str(tmp_path / "out.csv"), "description", system="text", progress=False)
    table = pq.read_table(tmp_path / "out.parquet")
    answer = "dictionary<values=string, indices=int32, ordered=0>"
    assert [(field.name, str(field.type)) for field in table.schema] == [("description", "string")] + [
        (name, answer) for name in ("spine_surgery", "back_surgery", "regions", "procedure", "readings", "error")]
    duckdb = pytest.importorskip("duckdb")
    relation = duckdb.sql(f"SELECT * FROM '{tmp_path / 'out.parquet'}'")
    assert set(relation.types) == {"VARCHAR"} and relation.fetchall() == [tuple(r.values()) for r in table.to_pylist()]
    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    assert [{k: v or "" for k, v in row.items()} for row in table.to_pylist()] == expected
    distinct_bytes = sum(len(v.encode()) for v in set(table.column("readings").to_pylist()) if v)
    assert distinct_bytes > 1 << 20  # past Arrow's default dictionary page
    chunk = pq.ParquetFile(tmp_path / "out.parquet").metadata.row_group(0)
    by_name = {chunk.column(i).path_in_schema: chunk.column(i) for i in range(chunk.num_columns)}
    assert by_name["readings"].total_uncompressed_size < 1.5 * distinct_bytes  # not 10 rows' worth of each JSON
    assert [name for name, column in by_name.items() if column.statistics is not None] == ["description"]
    assert by_name["description"].statistics.has_min_max and by_name["description"].statistics.null_count == 0


def test_the_dictionary_page_is_raised_for_text_only_as_far_as_its_readings_need():
    """An input column of unique values stays dictionary-encoded up to the limit (slower, larger): codes keep Arrow's
    1 MB; text gets twice its distinct readings, at most 64 MB."""
    from spinekg.codes import bulk, columns

    assert bulk._dictionary_page(columns.result_cache("icd10pcs")) == 1 << 20
    cache = columns.result_cache("text")
    cache.classify(columns._strings([f"L{1 + i % 4}-{2 + i % 4} TLIF with pedicle screws {i}" for i in range(2000)]))
    readings = sum(len(row[cache.columns.index("readings")] or "") for row in cache.rows)
    assert readings > 1 << 20 and bulk._dictionary_page(cache) == 2 * readings


def test_readings_json_is_the_standard_encoders_bytes(monkeypatch):
    """orjson writes the readings (a quarter of the standard encoder's time) in exactly the bytes json writes, so that
    an output does not depend on which is installed: every phrase table row's readings, and strings with what JSON
    escapes (quotes, control characters) or passes (non-ASCII, line separators); a lone surrogate, which orjson refuses,
    takes the standard encoder."""
    from spinekg.codes import text_results
    from spinekg.errors import SpinekgError

    standard = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True, check_circular=False).encode
    readings = []
    for line in PHRASES.read_text(encoding="utf-8").splitlines()[1:]:
        try:
            readings.append(classify(line.split("\t")[0]).readings)
        except SpinekgError:
            continue
    readings += [classify(code).readings for code in ("0SG00A0", "ICD-9-CM 81.08", "0DTJ4ZZ", "009U3ZX")]  # a code's
    readings += [[{"words": [s], "b": None, "a": [True, False, 1]}] for s in
                 ('q"\\/', "\t\n\r\b\f\x00\x1f\x7f\x80", "tumour \u00e9 \u2028\u2029 \U0001f600", "\ufeffx")]
    assert len(readings) > 1500
    text_results._ORJSON = None
    assert [text_results._readings_json(r) for r in readings] == [standard(r) for r in readings]
    assert text_results._ORJSON  # (orjson is installed: a dependency)
    assert text_results._readings_json([{"words": ["\ud800"]}]) == '[{"words":["\ud800"]}]'  # as json writes it
    monkeypatch.setattr(text_results, "_ORJSON", ())  # without orjson: the standard encoder
    assert text_results._readings_json(readings[0]) == standard(readings[0])
