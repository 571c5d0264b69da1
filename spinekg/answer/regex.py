"""Regular expressions for the answer path without importing ``re`` on a cold answer.

Importing ``re`` (with the ``enum`` and ``re._compiler`` it loads) was about 8 ms of a cold answer, a third of
what it costs above ``python -c pass``; compiling the reader's patterns another 2 ms. A pattern is parsed and
compiled by ``re`` once; its program (what ``re._compiler.compile`` hands to the C engine) is kept in a twin in
the user's cache directory, named by the interpreter and the engine's MAGIC, and later processes build the very
same ``re.Pattern`` from it with ``_sre.compile``, which validates a program before using it. Whenever the
twin is missing, unreadable, from another engine or rejected, the pattern is compiled by ``re`` as usual: the
patterns and their matches are the same either way. Meant for the fixed patterns of the answer path's modules
(each kept once), not for patterns made from input. Replacement templates with group references would load
``re`` again (the engine calls ``re._subx``): the answer path passes functions or plain strings instead.
"""
from __future__ import annotations

import marshal
import os
import sys

from ..paths import cache_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from re import Pattern

IGNORECASE = 2  # re.IGNORECASE (the engine's SRE_FLAG_IGNORECASE)
_SPECIAL = {i: "\\" + chr(i) for i in b"()[]{}?*+-|^$\\.&~# \t\n\r\v\f"}  # what re.escape escapes
_PROGRAMS: dict | None = None  # (pattern, flags) -> program, from the twin
MAX_PROGRAMS = 256  # the answer path has a few dozen fixed patterns; a twin holding more was filled by patterns made
# from data (the level renaming of reader/level_classes.py once kept one per label set: a 13 MB twin read at every
# cold start): such a twin is not used, and the next pattern kept starts a new one


def escape(text: str) -> str:
    """``re.escape(text)``."""
    return text.translate(_SPECIAL)


def compile(pattern: str, flags: int = 0) -> Pattern[str]:  # noqa: A001 (the name re gives it)
    """``re.compile(pattern, flags)``, from the kept program where there is one."""
    programs = _programs()
    program = programs.get((pattern, flags))
    if program is not None:
        try:
            import _sre

            return _sre.compile(pattern, *program)
        except Exception:  # another engine's program, or a damaged twin: compile afresh
            pass
    import re

    compiled = re.compile(pattern, flags)
    try:
        programs[(pattern, flags)] = _program(pattern, flags)
        _keep(programs)
    except Exception:  # an interpreter whose re works otherwise: nothing kept, same patterns
        pass
    return compiled


def _program(pattern: str, flags: int) -> tuple:
    """What re._compiler.compile passes to _sre.compile after the pattern (CPython 3.8 to 3.13)."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # (opcodes are int subclasses marshal cannot write)
    groupindex = parsed.state.groupdict
    indexgroup = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return flags | parsed.state.flags, code, parsed.state.groups - 1, dict(groupindex), tuple(indexgroup)


def twin_file() -> str:
    """Where the programs are kept: named by the interpreter (its exact version) and the engine's."""
    import _sre

    name = f"regex-{sys.implementation.cache_tag}-{sys.hexversion:x}-{_sre.MAGIC}-{_sre.CODESIZE}.marshal"
    return os.path.join(cache_path(), "twins", name)


def _programs() -> dict:
    global _PROGRAMS
    if _PROGRAMS is None:
        try:
            with open(twin_file(), "rb") as handle:
                found = marshal.loads(handle.read())
            _PROGRAMS = found if type(found) is dict and len(found) <= MAX_PROGRAMS else {}
        except (OSError, EOFError, ValueError, TypeError, ImportError, AttributeError):
            _PROGRAMS = {}
    return _PROGRAMS


def _keep(programs: dict) -> None:
    from .twin import write_bytes

    write_bytes(twin_file(), marshal.dumps(programs))
