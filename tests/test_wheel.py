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


def test_wheel_carries_the_licences_and_an_spdx_expression(wheel):
    archive = zipfile.ZipFile(wheel)
    names = archive.namelist()
    licences = sorted(name.rsplit("/", 1)[1] for name in names if "/licenses/" in name and ".dist-info/" in name)
    assert licences == ["LICENSE", "LICENSE-CC-BY-4.0", "LICENSE-MIT"]
    metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode("utf-8")
    assert "License-Expression: MIT AND CC-BY-4.0" in metadata.splitlines()
    assert "Author: spinekg contributors" in metadata.splitlines()


def test_unpacked_wheel_ships_the_competency_page_and_builds_only_from_a_source_tree(wheel, tmp_path, repo):
    """After a non-editable install the docs still have their competency-question page, and 'spinekg build'
    outside a checkout says what to do instead of writing into the installed package."""
    zipfile.ZipFile(wheel).extractall(tmp_path / "pkg")
    env = {"PYTHONPATH": str(tmp_path / "pkg"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    code = "from spinekg.views.docs import competency_source as c; print(c().relative_to(c().parents[2]))"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["_shipped/docs/competency-questions.md"]
    (tmp_path / "elsewhere").mkdir()
    run = subprocess.run([sys.executable, "-m", "spinekg.cli", "build"], cwd=tmp_path / "elsewhere", env=env,
                         capture_output=True, text=True)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr.startswith("spinekg: error: no spinekg source tree here: run 'spinekg build' inside a checkout")
    code = ("from spinekg.build.plan import plan; p = plan(None, None, cwd=__import__('pathlib').Path.cwd()); "
            "print(p.source, p.out, p.in_this_process)")
    out = subprocess.run([sys.executable, "-c", code], cwd=repo / "ontology", env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == [str(repo), str(repo / "ontology" / "build"), "False"]  # the clone in, ./build out
