"""spinekg docs: a static site (pyLODE ontology page, competency questions, profiles), deterministic."""
from __future__ import annotations

import re

import pytest

pytest.importorskip("pylode", reason="HTML docs need the 'docs' extra: pip install 'spinekg[docs]' (pylode==3.3.4)")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from spinekg.views.docs import generate_docs

    out = tmp_path_factory.mktemp("site")
    generate_docs(out)
    return out


def test_site_pages_and_navigation(site):
    assert sorted(p.name for p in site.iterdir()) == ["competency-questions.html", "index.html", "profiles.html"]
    for name in ("index.html", "competency-questions.html", "profiles.html"):
        text = (site / name).read_text(encoding="utf-8")
        assert '<nav class="spinekg"><a href="index.html"' in text
        assert '<a href="competency-questions.html"' in text and '<a href="profiles.html"' in text


def test_ontology_page_documents_the_defined_classes_without_blank_node_ids(site):
    text = (site / "index.html").read_text(encoding="utf-8")
    assert "<code>https://w3id.org/spinekg/BackSurgery</code>" in text
    assert "<code>https://w3id.org/spinekg/LumbarMicrodiscectomy</code>" in text
    assert "spinekg: spine knowledge graph" in text
    assert not re.search(r'href="n[0-9a-f]{20,}"', text)  # unions in restrictions are rendered, not raw ids


def test_profiles_page_has_the_decisive_table(site):
    text = (site / "profiles.html").read_text(encoding="utf-8")
    row = re.search(r"<tr><td>T10-S1 fusion</td>(.*?)</tr>", text).group(1)
    assert re.findall(r'<td class="(\w+)">', row) == ["yes", "yes", "yes", "yes", "no"]
    for name in ("seed", "any-overlap", "thoracolumbar", "whole-back", "whole-site"):
        assert f'<h2 id="{name}">' in text


def test_competency_questions_are_included_when_present(site, repo):
    text = (site / "competency-questions.html").read_text(encoding="utf-8")
    if (repo / "docs" / "competency-questions.md").is_file():
        assert "<h1" in text and "<table>" in text and "back surgery" in text
    else:
        assert "No competency-question page was found" in text


def test_docs_are_byte_identical_across_runs(site, tmp_path):
    from spinekg.views.docs import generate_docs

    generate_docs(tmp_path)
    for name in ("index.html", "competency-questions.html", "profiles.html"):
        assert (tmp_path / name).read_bytes() == (site / name).read_bytes(), name


def test_docs_cli_refuses_a_file_as_output(cli, tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    code, out, err = cli("docs", "--out", str(target))
    assert (code, out, err.strip()) == (2, "", f"spinekg: error: {target}: exists and is not a directory")


def _entity_text(page: str, iri: str) -> str:
    """The visible text of one class's entry on the pyLODE page."""
    start = page.index(f"<code>{iri}</code>")
    end = page.index('<div class="property entity"', start)
    return " ".join(re.sub(r"<[^>]+>", " ", page[start:end]).split())


def test_complements_read_as_not_a_class_instead_of_an_empty_box(site):
    text = (site / "index.html").read_text(encoding="utf-8")
    assert "urn:spinekg:docs:" not in text
    base = "https://w3id.org/spinekg/"
    assert _entity_text(text, base + "NotBackSurgery").endswith("Equivalentclass procedure c and not back surgery")
    assert _entity_text(text, base + "NotSpineSurgery").endswith("Equivalentclass procedure c and not spine surgery")
    assert _entity_text(text, base + "NotLowerBackStructure").endswith(
        "Equivalentclass anatomical entity c and not lower back structure")
