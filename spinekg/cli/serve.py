"""spinekg serve: a read-only SPARQL 1.1 Protocol endpoint on 127.0.0.1 over the embedded store."""
from __future__ import annotations

import argparse

from ._options import add_extension, prepare

NAME = "serve"
HELP = "serve the embedded Oxigraph store as a read-only SPARQL endpoint on 127.0.0.1 (no update, no SERVICE)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", metavar="DIR",
                        help="store written by 'spinekg load' (default: $SPINEKG_STORE or ~/.local/share/spinekg/store)")
    parser.add_argument("--port", type=int, default=7878, help="TCP port on 127.0.0.1 (0: pick a free port); default 7878")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds a query may run before it is stopped (default 10)")
    parser.add_argument("--workers", type=int, default=4, help="query processes, 1-32 (default 4; at most half "
                        "of them run queries longer than 0.5 s at once)")
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="also accept requests whose Host header is NAME (default: only 127.0.0.1 and localhost)")
    parser.add_argument("--max-answer-bytes", type=int, default=64 * 1024 * 1024, metavar="N",
                        help="largest answer sent, in bytes (default 64 MiB; larger answers get 413)")
    parser.add_argument("--max-answer-rows", type=int, default=1_000_000, metavar="N",
                        help="most rows (solutions) in an answer (default 1000000; more get 413)")
    parser.add_argument("--cors", metavar="ORIGIN", default=None,
                        help="let pages from ORIGIN (e.g. http://localhost:8080, or '*') read answers (default: off)")
    parser.add_argument("--no-page", action="store_true",
                        help="serve only the SPARQL endpoint (no Ask / Browse / Query page)")
    add_extension(parser)


def run(args: argparse.Namespace) -> int:
    import signal
    from pathlib import Path

    from ..stores.endpoint import make_server
    from ..stores.embedded import default_store_dir
    from ..views.web import mount

    store = Path(args.store) if args.store else default_store_dir()
    if args.extension:  # the store must have been loaded with them ('spinekg load --extension')
        from ..stores.dataset import require_extensions_in_store

        prepare(args)
        require_extensions_in_store(store)
    server = make_server(store, args.port, args.timeout, args.workers, tuple(args.allow_host), args.max_answer_bytes,
                         cors=args.cors, max_rows=args.max_answer_rows)
    if not args.no_page:
        mount(server)
    print(f"serving {store} read-only at {server.url} (query timeout {args.timeout:g} s; Ctrl-C to stop)", flush=True)
    if not args.no_page:
        print(f"page: {server.url.removesuffix('sparql')}", flush=True)
    def stop(signum, frame):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # a terminated server still stops its query processes
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
