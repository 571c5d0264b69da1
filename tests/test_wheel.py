"""The wheel ships ontology/, queries/ and the runtime index, and answers from an unpacked wheel."""
from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest


@pytest.fixture(scope="module")
def wheel(repo, tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", str(repo), "--no-deps", "-q", "-w", str(out)],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        pytest.fail(f"pip wheel failed: {proc.stderr[-500:]}")
    return next(out.glob("spinekg-*.whl"))


def test_wheel_contains_ontology_queries_and_index(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("spinekg/_shipped/ontology/spinekg.ttl", "spinekg/_shipped/ontology/modules/classification.ttl",
                     "spinekg/_shipped/ontology/templates/procedures.tsv",
                     "spinekg/_shipped/ontology/reference/external_terms.tsv", "spinekg/data/runtime-index.json",
                     # the page at spinekg serve: YASGUI with its licence, and the release's Kuzu script
                     "spinekg/views/web/static/yasgui/yasgui.min.js", "spinekg/views/web/static/yasgui/yasgui.min.css",
                     "spinekg/views/web/static/yasgui/LICENSE.txt", "spinekg/views/web/static/query.js",
                     "spinekg/views/web/static/app.css", "spinekg/data/release/spinekg-kuzu.cypher"):
        assert required in names
    assert any(name.startswith("spinekg/_shipped/queries/") for name in names)


def test_unpacked_wheel_classifies_from_its_own_data(wheel, tmp_path):
    zipfile.ZipFile(wheel).extractall(tmp_path)
    code = ("import spinekg, spinekg.paths as p; v = spinekg.classify('C5-C6 ACDF');"
            "print(p.ontology_dir().relative_to(p.PACKAGE_DIR), v.spine_surgery, v.back_surgery)")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={"PYTHONPATH": str(tmp_path)},
                         capture_output=True, text=True, check=True).stdout
    assert out.split() == ["_shipped/ontology", "yes", "no"]
