"""Arrow compute calls and arrays built from buffers, for the answer path: no pyarrow.compute import, no pandas."""
from __future__ import annotations

from array import array
from itertools import accumulate
from typing import Any

from ..errors import EXIT_ENVIRONMENT, SpinekgError


def _pyarrow():
    try:
        import pyarrow
    except ImportError:
        raise SpinekgError("bulk classification needs pyarrow: pip install 'spinekg[bulk]'", EXIT_ENVIRONMENT) from None
    return pyarrow


_COMPUTE: Any = None


def _compute() -> Any:
    """pyarrow's compute kernels, without importing pyarrow.compute (it spends ≈40 ms writing a Python wrapper
    and docstring for each of its 300 functions; ``call_function`` and the option classes are all we use)."""
    global _COMPUTE
    if _COMPUTE is None:
        _pyarrow()
        try:
            from pyarrow import _compute as compute
        except ImportError:  # pragma: no cover - a pyarrow without the private module
            import pyarrow.compute as compute  # type: ignore[no-redef]
        _COMPUTE = compute
    return _COMPUTE


def _f(name: str, *args: Any, options: Any = None) -> Any:
    """Call an Arrow compute function by name (Arrow arrays and scalars only: Python values cost a pandas import)."""
    return _compute().call_function(name, list(args), options)


def _index_in(values: Any, value_set: Any) -> Any:
    return _f("index_in", values, options=_compute().SetLookupOptions(value_set))


def _take(values: Any, indices: Any) -> Any:
    return _f("take", values, indices)


# pa.array() and Python scalars in compute calls make pyarrow import pandas (≈0.15 s) just to rule out pandas
# objects; the small arrays of the code table are built from buffers instead.
def _strings(values: list[str | None]) -> Any:
    pa = _pyarrow()
    valid = None
    nulls = values.count(None)
    if nulls:
        bits = bytearray((len(values) + 7) // 8)
        for number, value in enumerate(values):
            if value is not None:
                bits[number >> 3] |= 1 << (number & 7)
        valid = pa.py_buffer(bytes(bits))
    encoded = [b"" if value is None else value.encode("utf-8") for value in values]
    offsets = array("i", accumulate(map(len, encoded), initial=0))
    return pa.StringArray.from_buffers(len(values), pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded)), valid, nulls)


def _lines(text: str) -> Any:
    """A string array of the lines of ``text`` ("\\n"-separated), split by one Arrow kernel."""
    pa = _pyarrow()
    if not text:
        return _strings([])
    data = text.encode("utf-8")
    whole = pa.StringArray.from_buffers(1, pa.py_buffer(array("i", [0, len(data)])), pa.py_buffer(data))
    return _f("split_pattern", whole, options=_compute().SplitPatternOptions("\n")).values


def _tri_codes(text: str) -> Any:
    """An int8 array of 0, 1, 2 for the y, n, d characters of ``text``."""
    pa = _pyarrow()
    data = text.translate(str.maketrans("ynd", "\x00\x01\x02")).encode("ascii")
    return pa.Array.from_buffers(pa.int8(), len(data), [None, pa.py_buffer(data)])


def _concat(arrays: list[Any]) -> Any:
    return _pyarrow().concat_arrays(arrays)


def _int32s(values: list[int]) -> Any:
    pa = _pyarrow()
    return pa.Array.from_buffers(pa.int32(), len(values), [None, pa.py_buffer(array("i", values))])
