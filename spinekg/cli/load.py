"""spinekg load: put the release (and case records) into Oxigraph or any Graph Store Protocol server."""
from __future__ import annotations

import argparse
import tempfile

from ._options import add_extension, prepare, status

NAME = "load"
HELP = ("load the query-ready graph (and case-record files) into an embedded Oxigraph store or a SPARQL 1.1 "
        "Graph Store server, replacing the named graph, and check the triple count")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", nargs="*", metavar="FILE", help="extra RDF files to load with the ontology (case records)")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--store", metavar="DIR",
                        help="embedded on-disk Oxigraph store (default: $SPINEKG_STORE or ~/.local/share/spinekg/store)")
    target.add_argument("--kuzu", metavar="DIR",
                        help="create an embedded Kuzu database at DIR from the released property graph "
                             "(spinekg-kuzu.cypher; needs 'pip install kuzu'); FILEs are not loaded into it")
    target.add_argument("--endpoint", metavar="URL",
                        help="SPARQL 1.1 Graph Store endpoint, e.g. http://127.0.0.1:7878/store; credentials come "
                             "from SPINEKG_STORE_USER / SPINEKG_STORE_PASSWORD")
    parser.add_argument("--query-endpoint", metavar="URL",
                        help="SPARQL query endpoint used to count the loaded triples (default: /store -> /query)")
    parser.add_argument("--bulk", action="store_true",
                        help="server: replace the graph with Oxigraph's bulk loader (POST ?no_transaction) and delete "
                             "only stale triples (DELETE DATA on the /update endpoint beside /store) -- seconds "
                             "instead of minutes for 100k case records, but not atomic; the count check still "
                             "proves the result. The embedded store always loads this way")
    parser.add_argument("--no-verdicts", dest="verdicts", action="store_false",
                        help="do not add the derived case verdicts (spinekg:backSurgeryVerdict, spineSurgeryVerdict, "
                             "inRegion, expectedRecovery -- what 'spinekg infer' derives) for the case records in "
                             "FILE; without them the case competency questions find no cases")
    parser.add_argument("--graph", metavar="IRI", help="named graph to replace (default: https://w3id.org/spinekg/graph)")
    parser.add_argument("--ontology", metavar="FILE",
                        help="ontology file to load (default: the shipped release spinekg-edges.nt); "
                             "'none' loads only the data files")
    add_extension(parser)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..stores import embedded
    from ..errors import SpinekgError

    if args.kuzu:
        from ..stores.kuzu import load_into_kuzu
        from ..stores.dataset import require_release_edges

        if args.data:
            raise SpinekgError("--kuzu loads the released property graph only; case records go to --store or --endpoint")
        conn = load_into_kuzu(require_release_edges().parent, Path(args.kuzu))
        nodes = conn.execute("MATCH (n:Resource) RETURN count(*)").get_next()[0]
        print(f"loaded {nodes} nodes and their relationships into the Kuzu database {args.kuzu}")
        return 0
    if args.ontology == "none" and not args.data:
        raise SpinekgError("nothing to load: give data files or drop '--ontology none'")
    if args.extension and args.ontology:
        raise SpinekgError("--extension adds to the shipped query-ready graph: drop --ontology")
    prepare(args)
    ontology = None if args.ontology == "none" else Path(args.ontology) if args.ontology else embedded.release_file()
    with tempfile.TemporaryDirectory(prefix="spinekg-ext-") as tmp:
        if args.extension:  # the query-ready graph with the extensions (one file, so one count check)
            from ..stores.dataset import extension_ontology_ntriples

            ontology = Path(tmp) / "spinekg-edges-extended.nt"
            ontology.write_text(extension_ontology_ntriples() or "", encoding="utf-8")
            report = _load(args, ontology)
        else:
            report = _load(args, ontology)
    if report.derived:
        status(f"derived {report.derived} case-verdict triples for the records in {len(args.data)} file(s)")
    status(report.summary())
    return 0


def _load(args: argparse.Namespace, ontology):  # type: ignore[no-untyped-def]
    from pathlib import Path

    from ..stores import replace
    from ..stores.loader import load

    return load(ontology, [Path(f) for f in args.data], store=Path(args.store) if args.store else None,
                  endpoint=args.endpoint, graph=args.graph or replace.DEFAULT_GRAPH,
                  query_endpoint=args.query_endpoint, bulk=args.bulk, verdicts=args.verdicts)
