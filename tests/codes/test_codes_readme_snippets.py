"""The README's warehouse snippets run exactly as printed (read from README.md here, so the two cannot
drift): the DuckDB join over a crosswalk made by the README's own command, the pandas join, and the
Spark ``mapInArrow`` example in pyspark local mode. Every output column is checked against
``spinekg.api.classify`` (the composer), a second path to the same answers."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from spinekg.api import classify

README = Path(__file__).resolve().parents[2] / "README.md"
# Real procedure codes of different answers (lumbar fusion, cervical fusion, cervical discectomy, lumbar
# discectomy, lumbar fracture fixation), a malformed value and a missing one.
CODES = ["0SG00A0", "0RG10A0", "0RB30ZZ", "0SB20ZZ", "0QS004Z", "XYZ", None]
RESULT_COLUMNS = ["spine_surgery", "back_surgery", "regions", "procedure", "error"]


def readme_block(language: str, marker: str) -> str:
    """The one fenced ``language`` block of the README that contains ``marker``."""
    blocks = [b for b in re.findall(rf"```{language}\n(.*?)```", README.read_text(encoding="utf-8"), re.S) if marker in b]
    assert len(blocks) == 1, f"expected one {language} block with {marker!r} in README.md"
    return blocks[0]


def expected(code: str | None) -> dict[str, str | None]:
    """What the composer says about ``code``, in the result columns' spelling."""
    if code is None or not re.fullmatch(r"0[0-9A-HJ-NP-Z]{6}", code):
        return dict.fromkeys(RESULT_COLUMNS[:4])
    verdict = classify(code, system="icd10pcs").to_dict()
    return {"spine_surgery": verdict["spine_surgery"], "back_surgery": verdict["back_surgery"],
            "regions": ";".join(verdict["regions"]),
            "procedure": "spinekg:" + verdict["procedure"]["iri"].rsplit("/", 1)[1]}


def check_rows(rows: list[dict], extra: tuple[str, ...] = ()) -> None:  # type: ignore[type-arg]
    assert [row["pcs"] for row in rows] == CODES
    for number, row in enumerate(rows):
        assert row["id"] == number and all(row[name] == f"{name}-{number}" for name in extra)
        want = expected(row["pcs"])
        assert {k: row[k] for k in want} == want, row["pcs"]
        if row["pcs"] == "XYZ":
            assert row["error"] == "'XYZ' is not an ICD-10-PCS code: expected 7 characters from 0-9 and A-Z without I and O"
        else:  # a valid code, or a blank cell (an empty answer, not an error)
            assert row["error"] is None
    assert len({row["back_surgery"] for row in rows if row["pcs"]} - {None}) == 2  # yes and no both occur


def test_duckdb_join_runs_as_printed(tmp_path, monkeypatch):
    duckdb = pytest.importorskip("duckdb")
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    monkeypatch.chdir(tmp_path)
    pq.write_table(pa.table({"id": list(range(len(CODES))), "pcs": CODES}), "claims.parquet")
    command = re.search(r"^spinekg (crosswalk --system all --out codes\.parquet)\s", README.read_text(encoding="utf-8"), re.M)
    assert command, "the README's crosswalk command"
    run = subprocess.run([sys.executable, "-m", "spinekg.cli", *command.group(1).split()], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    relation = duckdb.sql(readme_block("sql", "codes.parquet"))
    assert relation.columns == ["id", "pcs", "code_system", "spine_surgery", "back_surgery", "regions", "procedure"]
    rows = sorted((dict(zip(relation.columns, r)) for r in relation.fetchall()), key=lambda r: r["id"])
    assert [r["pcs"] for r in rows] == CODES
    for row in rows:
        assert {k: row[k] for k in RESULT_COLUMNS[:4]} == expected(row["pcs"]), row["pcs"]
        assert row["code_system"] == (None if row["pcs"] in ("XYZ", None) else "icd10pcs")  # no row: NULL


def test_pandas_join_runs_as_printed():
    pd = pytest.importorskip("pandas")
    pdf = pd.DataFrame({"id": range(len(CODES)), "pcs": CODES})
    namespace = {"pdf": pdf}
    exec(readme_block("python", 'classify_column(pdf["pcs"])'), namespace)  # noqa: S102 - the README's code
    out = namespace["pdf"]
    assert list(out.columns) == ["id", "pcs", *RESULT_COLUMNS]
    rows = [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in out.to_dict("records")]
    check_rows(rows)


@pytest.fixture(scope="module")
def spark():
    pyspark = pytest.importorskip("pyspark", reason="pyspark is in the test extra")
    if shutil.which("java") is None:
        pytest.skip("pyspark needs Java (17 is on the machine image)")
    from pyspark.sql import SparkSession

    saved = {name: os.environ.get(name) for name in ("PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON")}
    os.environ.update(PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)  # workers: this venv
    session = (SparkSession.builder.master("local[1]").appName("spinekg-readme")
               .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
               .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "1")
               .getOrCreate())
    yield session
    session.stop()
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    del pyspark


def test_spark_map_in_arrow_runs_as_printed(spark):
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    schema = StructType([StructField("id", LongType()), StructField("pcs", StringType()), StructField("note", StringType())])
    df = spark.createDataFrame([(n, code, f"note-{n}") for n, code in enumerate(CODES)], schema).repartition(2)
    namespace = {"df": df}
    exec(readme_block("python", "mapInArrow"), namespace)  # noqa: S102 - the README's code
    out = namespace["out"]
    assert out.columns == ["id", "pcs", "note", *RESULT_COLUMNS]
    rows = sorted((row.asDict() for row in out.collect()), key=lambda r: r["id"])
    check_rows(rows, extra=("note",))


def test_spark_schema_refuses_a_clash_and_an_unknown_system(spark):
    from pyspark.sql.types import StringType, StructField, StructType

    from spinekg.codes.columns import spark_schema
    from spinekg.errors import SpinekgError

    with pytest.raises(SpinekgError, match="already has column"):
        spark_schema(StructType([StructField("regions", StringType())]), "icd10pcs")
    with pytest.raises(SpinekgError, match="unknown code system 'icd9'"):
        spark_schema(StructType([]), "icd9")
    cm = spark_schema(StructType([StructField("dx", StringType())]), "icd10cm")
    assert cm.fieldNames() == ["dx", "disorder", "lower_back_condition", "regions", "treated_by", "error"]
