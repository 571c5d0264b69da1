"""The SSSOM mapping sets are valid for sssom-py: every row is kept, the set metadata are URIs and
versions (no local paths), and the schema validator accepts each file."""
from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from spinekg import __version__
from spinekg.codes.mappings import read_sssom
from spinekg.paths import ontology_dir

FILES = sorted((ontology_dir() / "mappings").glob("*.sssom.tsv"))


def test_every_mapping_set_is_checked():
    assert [f.name for f in FILES] == ["icd10cm.sssom.tsv", "icd10pcs-approaches.sssom.tsv",
                                       "icd10pcs-body-parts-whole-body.sssom.tsv", "icd10pcs-body-parts.sssom.tsv",
                                       "icd10pcs-needle-procedures.sssom.tsv", "icd10pcs-new-technology.sssom.tsv",
                                       "icd10pcs-procedures.sssom.tsv", "icd10pcs-root-operations.sssom.tsv"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_sssom_py_keeps_every_row_and_the_metadata(path: Path):
    from sssom.constants import SchemaValidationType
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        msdf = parse_sssom_table(str(path))
    ours = read_sssom(path)
    assert len(msdf.df) == len(ours.rows) > 0
    assert sorted(zip(msdf.df["subject_id"], msdf.df["object_id"])) == sorted((r["subject_id"], r["object_id"]) for r in ours.rows)
    assert set(msdf.df["mapping_provider"]) == {"https://w3id.org/spinekg/"}
    assert {str(d) for d in msdf.df["mapping_date"]} == {ours.metadata["mapping_date"]}
    meta = msdf.metadata
    assert meta["mapping_set_id"] == f"https://w3id.org/spinekg/mappings/{path.name}"
    assert meta["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert meta["mapping_set_version"] == __version__
    validate(msdf, [SchemaValidationType.JsonSchema, SchemaValidationType.PrefixMapCompleteness], fail_on_error=True)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_local_paths_in_the_headers(path: Path):
    header = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert [line for line in header if "../" in line or "/work/" in line or "file:" in line] == []
