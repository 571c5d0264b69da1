"""Generated modules are up to date and deterministic; templates reject malformed rows."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from spinekg.errors import SpinekgError
from spinekg.build.templates import GENERATED_MODULES, generate, render_module


def test_committed_modules_are_up_to_date(ontology_dir):
    assert generate(ontology_dir, check=True) == [], "run `spinekg generate` and commit ontology/modules/"


def test_generation_is_byte_identical_across_hash_seeds(ontology_dir):
    script = ("import sys, hashlib; from pathlib import Path; from spinekg.build.templates import render_module, GENERATED_MODULES;"
              "print(hashlib.sha256(''.join(render_module(m, Path(sys.argv[1])) for m in GENERATED_MODULES).encode()).hexdigest())")
    digests = set()
    for seed in ("1", "2", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        digests.add(subprocess.run([sys.executable, "-c", script, str(ontology_dir / "templates")], env=env,
                                   capture_output=True, text=True, check=True).stdout)
    assert len(digests) == 1


def test_levels_module_has_every_level(asserted_graph):
    from rdflib import URIRef

    names = {str(s).rsplit("/", 1)[1] for s in asserted_graph.subjects() if isinstance(s, URIRef)}
    vertebrae = [f"C{i}" for i in range(1, 8)] + [f"T{i}" for i in range(1, 13)] + [f"L{i}" for i in range(1, 6)] + [f"S{i}" for i in range(1, 6)]
    assert {f"Vertebra{v}" for v in vertebrae} <= names
    pairs = list(zip(vertebrae, vertebrae[1:]))[1:]  # C2-C3 ... onward (no disc at C1-C2)
    discs = {f"Disc{a}{b}" for a, b in pairs if not (a.startswith("S") and b.startswith("S"))}
    assert len(discs) == 23 and discs <= names
    assert {f"MotionSegment{a}{b}" for a, b in pairs if not a.startswith("S")} | {"MotionSegmentC0C1", "MotionSegmentC1C2"} <= names
    roots = [f"C{i}" for i in range(1, 9)] + [f"T{i}" for i in range(1, 13)] + [f"L{i}" for i in range(1, 6)] + [f"S{i}" for i in range(1, 6)] + ["Co1"]
    assert {f"NerveRoot{r}" for r in roots} <= names


@pytest.mark.parametrize("row,message", [
    ("Bad Id\tx\t\tdef\t\t\t\t\t\n", "bad term id 'Bad Id'"),
    ("Good\t\t\tdef\t\t\t\t\t\n", "term Good has no label"),
    ("Good\tgood\t\tdef\t\t\tSNOMEDCT:123\t\t\n", "xref 'SNOMEDCT:123' has an unknown prefix"),
    ("Good\tgood\t\n", "expected 9 tab-separated cells, found 3"),
])
def test_malformed_template_rows(tmp_path, row, message):
    templates = tmp_path / "templates"
    templates.mkdir()
    header = "id\tlabel\tparents\tdefinition\tsynonyms\tabbreviations\txrefs\tseed\tcomment\n"
    (templates / "anatomy.tsv").write_text(header + row, encoding="utf-8")
    with pytest.raises(SpinekgError, match=message.replace("(", r"\(")) as caught:
        render_module("anatomy", templates)
    assert "anatomy.tsv:2" in str(caught.value) or "anatomy.tsv" in str(caught.value)


def test_generated_modules_named():
    assert GENERATED_MODULES == ("anatomy", "levels", "body", "qualities", "specialties", "disorders", "procedures")
