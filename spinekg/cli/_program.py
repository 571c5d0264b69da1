"""How a plain ``spinekg`` command ends its process (not a command: no NAME, found by nobody)."""
from __future__ import annotations

import sys

PROGRAMS = ("spinekg", "spinekg-script.py", "spinekg.exe")  # the console script's names (pip, on POSIX and Windows)


def end_program(code: int, run_handlers: bool = False) -> None:
    """End the ``spinekg`` program now, with ``code``, once its answer is out: tearing down the interpreter
    (freeing every module and object, a last garbage collection) took a fifth of a cold answer, and a plain
    command leaves nothing to clean up. Only where the process is the program itself (its console script or
    ``python -m spinekg.cli``, output not redirected in-process), with no exit handlers registered and no other
    thread running; otherwise, and where the output cannot be flushed, it returns and Python exits as usual.
    ``run_handlers``: exit handlers do not keep the interpreter's exit; they are run here first, as it would run
    them (a command whose files are all closed when it returns: ``classify-file``, where pyarrow registers one, and
    tearing down a million rows' answers took a tenth of the run)."""
    import os

    program = sys.modules.get("__main__")
    spec = getattr(program, "__spec__", None)
    if not (os.path.basename(getattr(program, "__file__", None) or "") in PROGRAMS
            or getattr(spec, "name", None) == "spinekg.cli.__main__"):
        return
    if sys.stdout is not sys.__stdout__ or sys.stderr is not sys.__stderr__:
        return
    import atexit

    handlers = getattr(atexit, "_ncallbacks", lambda: 1)()
    if handlers and not (run_handlers and hasattr(atexit, "_run_exitfuncs")) \
            or "threading" in sys.modules and sys.modules["threading"].active_count() > 1:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return  # as before: Python reports it at exit
    if handlers:
        atexit._run_exitfuncs()  # (and forgets them)
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            return
    os._exit(code)
