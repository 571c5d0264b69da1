"""``remember``: functools.lru_cache for the answer path without importing functools, whose import (with the
collections, operator, keyword and reprlib it loads) was about 3 ms of a cold answer, a sixth of what it costs
above ``python -c pass``. Same contract where the answer path uses it: results remembered by the call's arguments
(hashable, as lru_cache requires), exceptions never remembered, ``cache_clear()``; a bounded memo starts afresh
when full instead of evicting the least recently used entry (the places using it only bound their memory)."""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable


def remember(maxsize: int | None = None) -> Callable[[Callable], Callable]:
    """A decorator remembering the function's results (at most ``maxsize`` at a time; None: no bound)."""

    def decorate(function: Callable) -> Callable:
        found: dict = {}

        def remembered(*args: object, **kwargs: object) -> object:
            key = (args, tuple(kwargs.items())) if kwargs else args
            try:
                return found[key]
            except KeyError:
                pass
            value = function(*args, **kwargs)
            if maxsize is not None and len(found) >= maxsize:
                found.clear()
            found[key] = value
            return value

        for name in ("__module__", "__name__", "__qualname__", "__doc__"):
            setattr(remembered, name, getattr(function, name))
        remembered.__wrapped__ = function  # type: ignore[attr-defined]
        remembered.cache_clear = found.clear  # type: ignore[attr-defined]
        return remembered

    return decorate
