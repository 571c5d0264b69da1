"""Safe writes: a temp file beside the target, then a rename, so no output is ever half-written; special
files (devices, FIFOs) are written in place, never replaced; an output never overwrites an input."""
from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Iterable

from .errors import SpinekgError

_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.tmp$")


def target_kind(path: Path) -> str:
    """'missing', 'regular', 'special' (character device or FIFO: written in place) or 'refused'."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        raise SpinekgError(f"{path}: cannot write: {exc.strerror}") from None
    if stat.S_ISREG(mode):
        return "regular"
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return "special"
    if stat.S_ISDIR(mode):
        raise SpinekgError(f"{path}: is a directory; give a file name for the output")
    raise SpinekgError(f"{path}: not a regular file (a socket or block device is never replaced)")


def refuse_overwriting_input(out: str | Path, inputs: Iterable[str | Path]) -> None:
    """Refuse an output path that is one of the inputs (same file, through any path or link): writing
    it would replace the data being read."""
    if str(out) == "-":
        return
    try:
        out_stat = os.stat(out)
    except OSError:
        return  # the output does not exist yet: it cannot be an input
    if not stat.S_ISREG(out_stat.st_mode):
        return
    for source in inputs:
        if str(source) == "-":
            continue
        try:
            same = os.path.samefile(source, out)
        except OSError:
            continue
        if same:
            raise SpinekgError(f"{out}: the output is the input file {source}; choose another output path")


def clean_stale_temps(directory: Path, name: str) -> None:
    """Remove temp files left beside ``name`` by a writer of this user that died (its pid is gone)."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    uid = os.getuid() if hasattr(os, "getuid") else None
    for entry in entries:
        match = _TEMP.match(entry.name)
        if not match or match.group("name") != name:
            continue
        try:
            if uid is not None and entry.stat(follow_symlinks=False).st_uid != uid:
                continue
            os.kill(int(match.group("pid")), 0)
        except ProcessLookupError:
            Path(entry.path).unlink(missing_ok=True)
        except (OSError, ValueError):
            continue


def write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a failure never leaves half a file. A device or FIFO
    (``/dev/null``, ``/dev/stdout``, a named pipe) is written directly instead of being replaced."""
    path = Path(path)
    if target_kind(path) == "special":
        with open(path, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_temps(path.parent, path.name)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
