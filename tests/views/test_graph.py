"""networkx views of the released query-ready graph, and their drawings."""
from __future__ import annotations

import shutil

import networkx as nx
import pytest

from spinekg.views.graph import anatomy_tree, load_edges, procedure_hierarchy, procedure_sites, to_dot
from spinekg.namespaces import PART_OF, SPINEKG


@pytest.fixture(scope="module")
def edges():
    return load_edges()


def test_anatomy_tree_keeps_direct_part_of_links(edges):
    tree = anatomy_tree(edges, "LumbarSpine")
    assert set(tree.successors("MotionSegmentL4L5")) == {"DiscL4L5"}
    assert {"MotionSegmentL4L5", "MotionSegmentL5S1", "VertebraL4"} <= set(tree.successors("LumbarSpine"))
    assert not tree.has_edge("LumbarSpine", "DiscL4L5")  # implied through the motion segment: reduced away
    assert "MotionSegmentT12L1" not in tree  # T12-L1 belongs to the thoracic region (upper vertebra)
    assert tree.nodes["DiscL4L5"]["label"] == "L4-L5 intervertebral disc"
    assert tree.nodes["DiscL4L5"]["iri"] == SPINEKG + "DiscL4L5"


def test_anatomy_tree_agrees_with_the_closed_part_of_edges(edges):
    tree = anatomy_tree(edges, "VertebralColumn")
    assert nx.is_directed_acyclic_graph(tree)
    for node in tree.nodes:
        if node != "VertebralColumn":  # everything reachable in the view is a part in the release, and back
            assert set(nx.ancestors(tree, node)) <= edges.targets(PART_OF, node)


def test_procedure_hierarchy_has_the_inferred_defined_classes(edges):
    tree = procedure_hierarchy(edges)
    assert nx.has_path(tree, "BackSurgery", "LumbarMicrodiscectomy")
    assert nx.has_path(tree, "SpineSurgery", "AnteriorCervicalDiscectomyAndFusion")
    assert not nx.has_path(tree, "BackSurgery", "AnteriorCervicalDiscectomyAndFusion")
    assert set(tree.predecessors("LumbarMicrodiscectomy")) == {"Microdiscectomy", "LumbarSpineSurgery"}


def test_procedure_site_region_view(edges):
    view = procedure_sites(edges)
    assert set(view.successors("LumbarMicrodiscectomy")) == {"LumbarIntervertebralDisc"}
    assert set(view.successors("LumbarIntervertebralDisc")) == {"LumbarSpine"}
    assert set(view.successors("CervicalIntervertebralDisc")) == {"CervicalSpine"}
    assert view.nodes["LumbarSpine"]["kind"] == "region" and view.nodes["LumbarMicrodiscectomy"]["kind"] == "procedure"


def test_dot_text_is_deterministic(edges):
    first = to_dot(anatomy_tree(edges, "LumbarSpine"), "t")
    assert first == to_dot(anatomy_tree(load_edges(), "LumbarSpine"), "t")
    assert '"MotionSegmentL4L5" -> "DiscL4L5";' in first


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz dot not installed")
def test_draw_svg_and_png(tmp_path, cli, edges):
    code, out, err = cli("draw", "anatomy", "--root", "LumbarSpine", "--out", str(tmp_path / "lumbar.svg"))
    assert code == 0, err
    tree = anatomy_tree(edges, "LumbarSpine")
    assert out == "" and err.strip() == (f"spinekg: wrote {tmp_path / 'lumbar.svg'} ({tree.number_of_nodes()} nodes, "
                                         f"{tree.number_of_edges()} edges, dot)")
    svg = (tmp_path / "lumbar.svg").read_text(encoding="utf-8")
    assert "L4&#45;L5 intervertebral disc" in svg and svg.count("class=\"node\"") == tree.number_of_nodes()
    code, _, err = cli("draw", "sites", "--out", str(tmp_path / "sites.png"))
    assert code == 0, err
    assert (tmp_path / "sites.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_draw_with_matplotlib(tmp_path, cli):
    code, _, err = cli("draw", "anatomy", "--root", "LumbarSpine", "--engine", "matplotlib", "--out", str(tmp_path / "l.png"))
    assert code == 0, err
    assert (tmp_path / "l.png").read_bytes()[:4] == b"\x89PNG"


def test_draw_errors(tmp_path, cli):
    code, _, err = cli("draw", "anatomy", "--out", str(tmp_path / "x.pdf"))
    assert (code, err.strip()) == (2, f"spinekg: error: {tmp_path / 'x.pdf'}: the drawing must be .svg or .png")
    code, _, err = cli("draw", "anatomy", "--root", "NoSuchThing", "--out", str(tmp_path / "x.svg"))
    assert code == 2 and "'NoSuchThing' is not a term" in err
    assert not (tmp_path / "x.svg").exists()


def test_default_anatomy_view_is_a_hierarchy_with_levels_in_anatomical_order(edges):
    from spinekg.views.graph import anatomical_key, view

    tree = view("anatomy", edges)
    assert tree.in_degree("Spine") == 0 and all(d == 1 for n, d in tree.in_degree() if n != "Spine")  # a tree
    assert {"CervicalSpine", "ThoracicSpine", "LumbarSpine", "SacralSpine"} <= set(tree.successors("Spine"))
    assert set(tree.predecessors("VertebraL4")) == {"LumbarSpine"}  # under its region, not the whole column
    vertebrae = [n for n in sorted(tree.successors("ThoracicSpine"), key=anatomical_key) if n.startswith("VertebraT")]
    assert vertebrae == [f"VertebraT{i}" for i in range(1, 13)]  # T1 … T12, not T1, T10, T11, T12, T2 …
    dot = to_dot(tree, "t")
    assert dot.index('"VertebraT2" [') < dot.index('"VertebraT10" [') and "ordering=out" in dot
