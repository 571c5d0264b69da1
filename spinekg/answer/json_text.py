"""``json.dumps(value, ensure_ascii=False, indent=2)`` for a plain answer, without importing the json package:
its import (json.decoder, json.scanner, json.encoder) was a tenth of a cold ``classify --format json``, and an
answer is only written. Strings are escaped by the C function json itself uses (``_json.encode_basestring``);
the layout is json's own indented one. Anything beyond dicts with string keys, lists, strings, ints, bools, None
and finite floats goes to json.dumps, so the text is always what json writes."""
from __future__ import annotations

try:
    from _json import encode_basestring as _quote  # the C escaper json.encoder uses when ensure_ascii is False
except ImportError:  # pragma: no cover (an interpreter without the C accelerator)
    _quote = None

INDENT = "  "


class _NotPlain(Exception):
    """A value this writer leaves to json."""


def dumps(value: object) -> str:
    """The text ``json.dumps(value, ensure_ascii=False, indent=2)`` gives."""
    if _quote is not None:
        try:
            parts: list[str] = []
            _write(value, parts, "\n")
            return "".join(parts)
        except (_NotPlain, RecursionError):  # (json reports a circular reference its own way)
            pass
    import json

    return json.dumps(value, ensure_ascii=False, indent=2)


def _write(value: object, out: list[str], newline: str) -> None:
    kind = type(value)
    if kind is str:
        out.append(_quote(value))  # type: ignore[misc]
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))  # type: ignore[arg-type]
    elif kind is float:
        if value != value or value in (float("inf"), float("-inf")):  # type: ignore[operator]
            raise _NotPlain
        out.append(float.__repr__(value))  # type: ignore[arg-type]
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + INDENT
        out.append("[")
        for i, item in enumerate(value):  # type: ignore[arg-type]
            out.append(inner if i == 0 else "," + inner)
            _write(item, out, inner)
        out.append(newline + "]")
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + INDENT
        out.append("{")
        for i, (key, item) in enumerate(value.items()):  # type: ignore[attr-defined]
            if type(key) is not str:
                raise _NotPlain  # json turns numbers, bools and None into keys its own way
            out.append(("" if i == 0 else ",") + inner + _quote(key) + ": ")  # type: ignore[misc]
            _write(item, out, inner)
        out.append(newline + "}")
    else:
        raise _NotPlain
