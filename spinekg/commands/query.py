"""``spinekg query``: run a competency question (or any .rq file) on rdflib or the embedded Oxigraph."""
from __future__ import annotations

import argparse

NAME = "query"
HELP = "run a named competency question or a SPARQL file over the query-ready graph"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="?", metavar="NAME_OR_FILE",
                        help="question number or name (see --list), or a .rq file")
    parser.add_argument("--list", action="store_true", help="list the competency questions")
    parser.add_argument("--data", action="append", default=[], metavar="FILE",
                        help="extra RDF file(s) to query with the ontology (case records; repeatable). "
                             "Default for case questions: the shipped example cases")
    parser.add_argument("--engine", choices=["oxigraph", "rdflib"], default="oxigraph",
                        help="SPARQL engine (default: embedded Oxigraph)")
    parser.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="bind a declared query parameter (bound as an RDF term, never pasted into the query)")
    parser.add_argument("--docs", metavar="OUT", help="write the competency-question page (Markdown) to OUT")


def _print_result(result, fmt: str) -> None:  # type: ignore[no-untyped-def]
    import csv
    import json
    import sys

    from spinekg.sparql import term_text

    if result.form == "ASK":
        if fmt == "json":
            print(json.dumps({"boolean": bool(result.boolean)}))
        else:
            print("true" if result.boolean else "false")
        return
    if fmt == "json":
        print(json.dumps({"variables": result.variables, "rows": result.display()}, ensure_ascii=False, indent=1))
        return
    cells = [[term_text(t) for t in row] for row in result.rows]
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(result.variables)
        writer.writerows(cells)
        return
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(result.variables)]
    print("  ".join(v.ljust(w) for v, w in zip(result.variables, widths)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    print(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from spinekg import sparql
    from spinekg.errors import SpinekgError

    if args.list:
        for q in sparql.list_questions():
            params = f"  [params: {', '.join(p.name for p in q.params)}]" if q.params else ""
            print(f"{q.name}  ({q.form}, §{','.join(str(s) for s in q.seed_section)}, {q.graph}){params}\n    {q.question}")
        return 0
    if args.docs:
        from spinekg.templates import write_atomically

        questions = sparql.list_questions()
        onto = sparql.runtime_engine(args.engine, "ontology")
        cases = sparql.runtime_engine(args.engine, "cases", [Path(d) for d in args.data])
        write_atomically(Path(args.docs), sparql.render_docs(questions, sparql.answer_all(questions, onto, cases)))
        print(f"wrote {args.docs} ({len(questions)} questions)")
        return 0
    if not args.query:
        raise SpinekgError("name a competency question or a .rq file, or use --list")
    question = sparql.find_question(args.query)
    params = sparql.parse_param_args(args.param)
    bindings = sparql.bind_params(question, params)  # validate before loading any data
    engine = sparql.runtime_engine(args.engine, question.graph, [Path(d) for d in args.data])
    _print_result(engine.query(question.text, bindings), args.format)
    return 0
