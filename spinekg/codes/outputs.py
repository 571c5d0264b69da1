"""Where bulk output goes: a temporary file beside the target renamed into place when complete, a pipe or device
written into, or stdout; a failed write becomes one line naming the output."""
from __future__ import annotations

import os
import sys
import tempfile
import threading
from collections.abc import Callable
from typing import Any

from ..errors import SpinekgError
from .columns import _pyarrow


def _stdout() -> Any:
    return sys.stdout.buffer


def _close_sink(sink: Any) -> None:
    """Close a stream this module opened (a compressed one); paths are closed by their writer, stdout stays open."""
    if sink is not None and not isinstance(sink, str) and sink is not _stdout():
        sink.close()


class _writing:
    """Turns a failed write (disk full, a closed pipe's OSError aside) into one line naming the output."""

    def __init__(self, out: str):
        self.out = out

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: BaseException | None, _tb: Any) -> bool:
        if exc is None or isinstance(exc, (BrokenPipeError, SpinekgError)):
            return False
        pa = _pyarrow()
        if isinstance(exc, (OSError, pa.ArrowException)):
            raise SpinekgError(f"{self.out}: cannot write ({' '.join(str(exc).split())[:200]})") from None
        return False


def _open_sink(out: str) -> tuple[Any, str | None]:
    """(where the writer writes, the temporary file to rename to ``out`` at the end)."""
    if out == "-":
        return _stdout(), None
    if os.path.isdir(out):
        raise SpinekgError(f"{out}: is a directory")
    if os.path.exists(out) and not os.path.isfile(out):  # a pipe or a device (/dev/null): write into it, never rename over it
        return out, None
    directory = os.path.dirname(os.path.abspath(out))
    try:
        handle, temp_path = tempfile.mkstemp(prefix=".spinekg-", suffix=".part", dir=directory)
    except OSError as exc:
        raise SpinekgError(f"{out}: cannot write ({exc.strerror})") from None
    os.close(handle)
    os.chmod(temp_path, 0o666 & ~_umask())  # as a plainly created file would be, not mkstemp's 0600
    if out.lower().endswith(".gz"):
        pa = _pyarrow()
        return pa.CompressedOutputStream(temp_path, "gzip"), temp_path
    return temp_path, temp_path


class Output:
    """One bulk output from open to finish: ``open`` gives the sink to write, ``finish`` closes the writer (``close``,
    set by the caller once it has one) and the sink and renames the temporary file into place, and ``discard``, run
    in a ``finally``, closes what is still open and removes the temporary file when the run failed (a no-op after
    ``finish``). So a failed run leaves no partial file and keeps its own error."""

    def __init__(self, out: str):
        self.out = out
        self.sink: Any = None
        self.temp_path: str | None = None
        self.close: Callable[[], Any] | None = None

    def open(self) -> Any:
        self.sink, self.temp_path = _open_sink(self.out)
        return self.sink

    def finish(self) -> None:
        with _writing(self.out):
            close, self.close = self.close, None
            if close is not None:
                close()
            sink, self.sink = self.sink, None
            _close_sink(sink)
        if self.temp_path:
            os.replace(self.temp_path, self.out)
            self.temp_path = None

    def discard(self) -> None:
        close, self.close = self.close, None
        sink, self.sink = self.sink, None
        for step in (close, lambda: _close_sink(sink)):
            if step is not None:
                try:
                    step()
                except Exception:  # the run failed already; keep its error
                    pass
        if self.temp_path and os.path.exists(self.temp_path):
            os.unlink(self.temp_path)
        self.temp_path = None


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class WriteBehind:
    """Runs ``write`` on a second thread while the caller reads and classifies the next block: Arrow's
    writers and kernels and file writes release the GIL, so on two cores writing overlaps the rest. At most
    one block is in flight, so memory stays bounded; a write's error is raised in the caller by the next
    ``put`` or ``wait``."""

    def __init__(self, write: Callable[[Any], Any]):
        self.write = write
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def _run(self, data: Any) -> None:
        try:
            self.write(data)
        except BaseException as exc:  # handed to the main thread by wait()
            self.error = exc

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def put(self, data: Any) -> None:
        self.wait()
        self.thread = threading.Thread(target=self._run, args=(data,), name="spinekg-writer", daemon=True)
        self.thread.start()
