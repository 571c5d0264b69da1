"""Bulk classification of CSV / Parquet files and columns (spinekg.bulk) and the crosswalk export."""
from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from spinekg import bulk  # noqa: E402
from spinekg.bulk import classify_column, classify_file  # noqa: E402
from spinekg.errors import SpinekgError  # noqa: E402

SAMPLE = 'id,code,note\n1,0SG00A0,a\n2,009U3ZX,"x, y"\n3,bad,c\n4,0016070,d\n5,,e\n6,0sg70zj,f\n'
EXPECTED = [
    ["id", "code", "note", "spine_surgery", "back_surgery", "regions", "procedure", "error"],
    ["1", "0SG00A0", "a", "yes", "yes", "lumbar", "spinekg:LumbarInterbodyFusion", ""],
    ["2", "009U3ZX", "x, y", "no", "no", "", "spinekg:LumbarPuncture", ""],
    ["3", "bad", "c", "", "", "", "", "'bad' is not an ICD-10-PCS code: expected 7 characters from 0-9 and A-Z without I and O"],
    ["4", "0016070", "d", "no", "no", "", "spinekg:OperativeProcedure", ""],  # leading zeros kept: read as text
    ["5", "", "e", "", "", "", "", "empty code"],
    ["6", "0sg70zj", "f", "", "", "", "", "0SG70ZJ is not a valid ICD-10-PCS 2025 code: body part 7 (Sacroiliac Joint, "
     "Right) of body system S is mapped, but CMS has no code with these seven characters"],
]


def read_csv(path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_csv_file_gets_the_verdict_columns(tmp_path):
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(SAMPLE, encoding="utf-8")
    summary = classify_file(str(source), str(out), "code")
    assert (summary.rows, summary.errors, summary.system) == (6, 3, "icd10pcs")
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
    assert code == 0 and out == "" and err == f"6 rows classified as icd10pcs, 3 with an error -> {tmp_path / 'o.csv'}\n"


def test_parquet_in_and_out_keeps_other_column_types(tmp_path):
    table = pa.table({"n": pa.array([1, 2, 3], pa.int64()), "code": ["0SG00A0", None, "0RG10A0"]})
    pq.write_table(table, tmp_path / "in.parquet")
    classify_file(str(tmp_path / "in.parquet"), str(tmp_path / "out.parquet"), "code")
    result = pq.read_table(tmp_path / "out.parquet")
    assert result.schema.field("n").type == pa.int64()
    assert result.column("spine_surgery").to_pylist() == ["yes", None, "yes"]
    assert result.column("back_surgery").to_pylist() == ["yes", None, "no"]
    assert result.column("error").to_pylist() == [None, "empty code", None]


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
    ("a,b\n1,2\n", "code", "no column 'code' (columns: a, b)"),
    ("code,x\n0SG00A0,1\n0SG00A0,1,3\n", "code", "CSV parse error: Expected 2 columns, got 3"),
    ("code,spine_surgery\n0SG00A0,1\n", "code", "the input already has column(s) spine_surgery; rename them first"),
])
def test_bad_files_fail_without_touching_the_output(tmp_path, cli, content, column, message):
    (tmp_path / "in.csv").write_text(content, encoding="utf-8")
    (tmp_path / "out.csv").write_text("previous result\n", encoding="utf-8")
    code, out, err = cli("classify-file", str(tmp_path / "in.csv"), "--column", column, "--out", str(tmp_path / "out.csv"))
    assert code == 2 and err.startswith(f"spinekg: error: {tmp_path / 'in.csv'}: ") and message in err
    assert err.count("\n") == 1
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
    assert frame["back_surgery"].tolist()[:2] == ["yes", "no"] and frame["error"].tolist()[2] == "empty code"
    table = classify_column(pa.chunked_array([["0RG10A0"], ["0SG00A0"]]), system="icd10pcs")
    assert table.column("back_surgery").to_pylist() == ["no", "yes"]
    assert table.column_names == ["spine_surgery", "back_surgery", "regions", "procedure", "error"]
    with pytest.raises(SpinekgError, match="expected a pandas Series"):
        classify_column(42)


# -- crosswalk ----------------------------------------------------------------------------------------------
def test_crosswalk_csv_is_complete_and_deterministic(tmp_path, cli):
    for name in ("a.csv", "b.csv"):
        code, _, err = cli("crosswalk", "--system", "icd10pcs", "--out", str(tmp_path / name))
        assert code == 0 and err == f"4299 icd10pcs codes -> {tmp_path / name}\n"
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    rows = read_csv(tmp_path / "a.csv")
    assert rows[0] == ["code", "long_name", "spine_surgery", "back_surgery", "regions", "procedure", "procedure_label",
                       "operative", "site", "site_label", "root_operation", "body_part", "approach", "ontology_version"]
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["0SG00A0"][2:10] == ["yes", "yes", "lumbar", "spinekg:LumbarInterbodyFusion", "lumbar interbody fusion",
                                        "yes", "spinekg:LumbarVertebralJoint", "lumbar vertebral joint"]


def test_crosswalk_extra_codes_and_parquet(tmp_path, cli):
    (tmp_path / "codes.txt").write_text("# from the CMS order file\n0DTJ4ZZ\n\n0SG00A0\n", encoding="utf-8")
    code, _, _ = cli("crosswalk", "--system", "icd10pcs", "--codes", str(tmp_path / "codes.txt"), "--out", str(tmp_path / "x.parquet"))
    table = pq.read_table(tmp_path / "x.parquet")
    assert code == 0 and table.num_rows == 4300
    row = table.filter(pa.compute.equal(table.column("code"), "0DTJ4ZZ")).to_pylist()[0]
    assert (row["spine_surgery"], row["back_surgery"], row["site"], row["long_name"]) == ("no", "no", "", "")
    (tmp_path / "bad.txt").write_text("0DTJ4ZZ\nnope\n", encoding="utf-8")
    code, _, err = cli("crosswalk", "--system", "icd10pcs", "--codes", str(tmp_path / "bad.txt"), "--out", str(tmp_path / "y.csv"))
    assert code == 2 and f"{tmp_path / 'bad.txt'}:2: 'nope' is not an ICD-10-PCS code" in err
    assert not (tmp_path / "y.csv").exists()


def test_cm_crosswalk(tmp_path, cli):
    code, _, _ = cli("crosswalk", "--system", "icd10cm", "--out", str(tmp_path / "cm.csv"))
    rows = {r[0]: r for r in read_csv(tmp_path / "cm.csv")[1:]}
    assert code == 0 and len(rows) == 3650
    assert rows["M48.062"][1:8] == ["M48062", "Spinal stenosis, lumbar region with neurogenic claudication", "Y",
                                    "spinekg:LumbarSpinalStenosis", "lumbar spinal stenosis", "yes", "lumbar"]


def test_duckdb_join_on_the_crosswalk_gives_the_bulk_answer(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    from spinekg.crosswalk import write_crosswalk

    write_crosswalk("icd10pcs", tmp_path / "xw.parquet")
    (tmp_path / "claims.csv").write_text("claim,code\n1,0SG00A0\n2,0RG10A0\n3,009U3ZX\n", encoding="utf-8")
    classify_file(str(tmp_path / "claims.csv"), str(tmp_path / "out.csv"), "code")
    joined = duckdb.sql(f"""SELECT c.claim, x.spine_surgery, x.back_surgery FROM read_csv('{tmp_path / 'claims.csv'}',
        all_varchar=true) c LEFT JOIN '{tmp_path / 'xw.parquet'}' x USING (code) ORDER BY c.claim""").fetchall()
    assert [list(r) for r in joined] == [[r[0], r[2], r[3]] for r in read_csv(tmp_path / "out.csv")[1:]]
