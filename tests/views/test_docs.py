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
    assert sorted(p.name for p in site.iterdir()) == ["competency-questions.html", "index.html", "profiles.html",
                                                      "terms.html"]
    for name in ("index.html", "terms.html", "competency-questions.html", "profiles.html"):
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
    for name in ("index.html", "terms.html", "competency-questions.html", "profiles.html"):
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
    # the axiom, then (since the docs graph carries the inferred hierarchy) what falls under the class
    ending = r"( Super Class Of .*)?$"
    assert re.search("Equivalentclass procedure c and not back surgery" + ending, _entity_text(text, base + "NotBackSurgery"))
    assert re.search("Equivalentclass procedure c and not spine surgery" + ending, _entity_text(text, base + "NotSpineSurgery"))
    assert re.search("Equivalentclass anatomical entity c and not lower back structure" + ending,
                     _entity_text(text, base + "NotLowerBackStructure"))
    assert "Super Class Of" in _entity_text(text, base + "NotBackSurgery")


def test_every_class_shows_its_definition_synonyms_xrefs_and_inferred_hierarchy(site):
    """On the terms page each term has a section anchored at its local name with everything the index and
    the released closure say; on the pyLODE page each class has its definition and an anchor from its IRI."""
    import html

    from spinekg.views.terms import load_terms

    terms_page = (site / "terms.html").read_text(encoding="utf-8")
    ontology_page = (site / "index.html").read_text(encoding="utf-8")
    for term in load_terms().values():
        section = terms_page.split(f'<section class=term id="{term.id}">')[1].split("</section>")[0]
        assert html.escape(term.definition) in section
        for synonym in term.synonyms:
            assert html.escape(synonym) in section
        for xref, url in term.xrefs:
            assert (f"<a href='{url}' rel=external>{xref}</a>" if url else xref) in section
        for parent in term.parents:
            assert f"<a class=term href='#{parent}'>" in section
        assert f'<div class="property entity" id="{term.id}">' in ontology_page
        assert " ".join(term.definition.split()) in html.unescape(_entity_text(ontology_page, term.iri))
    back = terms_page.split('<section class=term id="BackSurgery">')[1].split("</section>")[0]
    assert "<a class=term href='#LumbarMicrodiscectomy'>" in back  # what HermiT put under it


def test_no_local_paths_in_the_site(site):
    from spinekg.paths import PACKAGE_DIR

    for page in site.iterdir():
        text = page.read_text(encoding="utf-8")
        assert str(PACKAGE_DIR.parent) not in text and "file:/" not in text, page.name
