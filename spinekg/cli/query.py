"""``spinekg query``: run a competency question (or any .rq file) on rdflib or the embedded Oxigraph."""
from __future__ import annotations

import argparse

from ._options import add_extension, prepare, status

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
    parser.add_argument("--profile", metavar="NAME|FILE", default=None,
                        help="answer under an institutional definition of back surgery (see 'spinekg profiles'; "
                             "default: seed)")
    parser.add_argument("--store", metavar="DIR",
                        help="query an on-disk Oxigraph store made by 'spinekg load --store DIR' instead of the "
                             "shipped files (its case records must carry their derived verdicts)")
    parser.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format (json: SPARQL 1.1 Query Results JSON)")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="bind a declared query parameter (bound as an RDF term, never pasted into the query)")
    add_extension(parser)
    parser.add_argument("--docs", metavar="OUT", help="write the competency-question page (Markdown) to OUT")
    parser.add_argument("--allow-service", action="store_true",
                        help="let the query's SERVICE clauses contact other endpoints (refused by default)")


def _print_result(result, fmt: str) -> None:  # type: ignore[no-untyped-def]
    import csv
    import json
    import sys

    from ..sparql.results import results_json, term_text

    if fmt == "json":  # SPARQL 1.1 Query Results JSON
        print(json.dumps(results_json(result), ensure_ascii=False, indent=1))
        return
    if result.form == "ASK":
        print("true" if result.boolean else "false")
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

    from ..errors import SpinekgError
    from ..sparql import questions as sparql_questions
    from ..sparql.policy import check_query, run_bounded
    from ..views import questions_page

    if args.list:
        for q in sparql_questions.list_questions():
            params = f"  [params: {', '.join(p.name for p in q.params)}]" if q.params else ""
            print(f"{q.name}  ({q.form}, §{','.join(str(s) for s in q.seed_section)}, {q.graph}){params}\n    {q.question}")
        return 0
    _check_options(args)
    prepare(args)
    if args.docs:
        from ..files import write_atomically

        questions = sparql_questions.list_questions()
        onto = _engine(args, "ontology")
        cases = _engine(args, "cases")
        write_atomically(Path(args.docs), questions_page.render_docs(questions, questions_page.answer_all(questions, onto, cases)))
        status(f"wrote {args.docs} ({len(questions)} questions)")
        return 0
    if not args.query:
        raise SpinekgError("name a competency question or a .rq file, or use --list")
    question = sparql_questions.find_question(args.query)
    check_query(question.text, args.allow_service, str(question.path))  # before any data is read
    params = sparql_questions.parse_param_args(args.param)
    bindings = sparql_questions.bind_params(question, params)  # validate before loading any data
    if question.graph == "cases" and not args.data and not args.store:
        status("no --data given: this case question runs over the shipped example cases (data/examples/cases.ttl); "
               "give --data FILE for your own records")
    engine = _engine(args, question.graph)
    engine.allow_service = args.allow_service
    _print_result(run_bounded(lambda: _bounded(engine.query(question.text, bindings), str(question.path))), args.format)
    return 0


def _bounded(result, where: str):  # type: ignore[no-untyped-def]
    from ..sparql.policy import check_rows

    check_rows(len(result.rows or []), where)
    return result


def _check_options(args: argparse.Namespace) -> None:
    """Combinations that cannot work, refused before any data is read."""
    from ..errors import SpinekgError
    from ..answer.profiles import is_default, resolve

    if args.store and args.data:
        raise SpinekgError(f"--store and --data cannot be combined: load the data into the store "
                           f"('spinekg load --store {args.store} FILE ...')")
    if args.store and args.engine != "oxigraph":
        raise SpinekgError("--store is an Oxigraph store: use it with --engine oxigraph")
    if not is_default(args.profile):
        resolve(args.profile)  # an unknown name or a missing file: one line, exit 2
        if args.store:
            raise SpinekgError("--profile cannot be combined with --store: the store holds the seed answers; "
                               "query the files with --data instead")


def _engine(args: argparse.Namespace, graph: str):  # type: ignore[no-untyped-def]
    from pathlib import Path

    from ..stores import dataset

    if args.store:
        engine = dataset.store_engine(Path(args.store), graph)
        dataset.require_extensions_in_store(Path(args.store), engine)
        return engine
    return dataset.runtime_engine(args.engine, graph, [Path(d) for d in args.data], args.profile)
