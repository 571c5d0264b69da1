"""spinekg draw WHAT --out FILE: render a networkx view of the ontology as SVG or PNG."""
from __future__ import annotations

import argparse

from ._options import status

NAME = "draw"
HELP = "draw a view (anatomy part-of tree, procedure hierarchy, procedure -> site -> region) as .svg or .png"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("what", choices=["anatomy", "procedures", "sites"],
                        help="anatomy: part-of tree; procedures: class hierarchy; sites: procedure -> site -> region")
    parser.add_argument("--out", required=True, metavar="FILE", help="output file, .svg or .png")
    parser.add_argument("--root", metavar="NAME",
                        help="subtree root (spinekg local name, e.g. LumbarSpine or SpinalFusion; default: Spine for "
                             "anatomy, Procedure for procedures)")
    parser.add_argument("--engine", choices=["auto", "dot", "matplotlib"], default="auto",
                        help="renderer (default: graphviz dot when installed, else matplotlib with a warning)")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..errors import SpinekgError
    from ..views.graph import VIEWS, draw, load_edges, view

    edges = load_edges()
    if args.root and args.root not in edges.labels:
        raise SpinekgError(f"--root {args.root!r} is not a term of the ontology (use a local name such as LumbarSpine)")
    graph = view(args.what, edges, args.root)
    title = f"spinekg: {VIEWS[args.what]}" + (f" under {edges.label(args.root)}" if args.root else "")
    engine = draw(graph, Path(args.out), title, args.engine)
    if engine != "dot" and args.engine == "auto":
        status("graphviz 'dot' is not on PATH, so this was drawn with matplotlib (less readable); install graphviz "
               "(apt-get install graphviz) or pass --engine matplotlib to choose it")
    status(f"wrote {args.out} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges, {engine})")
    return 0
