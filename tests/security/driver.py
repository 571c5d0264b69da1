"""Runs many spinekg command lines in one process (argv lists in a JSON file), each preceded by opening a
marker file so a trace can be cut per run; an audit hook records every open of the canary file and every
network connect (a second witness beside strace). Results: JSON on the path given second."""
from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

commands = json.loads(Path(sys.argv[1]).read_text())
results_path, canary = Path(sys.argv[2]), sys.argv[3]
seen: list[str] = []


def hook(event: str, args: tuple) -> None:  # type: ignore[type-arg]
    if event == "open" and args and canary in str(args[0]):
        seen.append(f"open {args[0]}")
    elif event == "socket.connect" and len(args) > 1 and isinstance(args[1], tuple):
        seen.append(f"connect {args[1]}")
    elif event in ("urllib.Request", "http.client.connect"):
        seen.append(f"{event} {args[:2]}")


sys.addaudithook(hook)
from spinekg.cli.main import main  # noqa: E402

results = []
for number, argv in enumerate(commands):
    open(results_path.with_name(f"marker-{number}"), "w").close()
    err = io.StringIO()
    before = len(seen)
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    results.append({"argv": argv, "code": code, "stderr": err.getvalue(), "seen": seen[before:]})
results_path.write_text(json.dumps(results))
