"""Python's cyclic garbage collector paused around work that makes many objects and no cycles.

Loading a twin, reading thousands of texts, building an answer's rows or a SHACL batch each create
hundreds of thousands of containers. Every generation-0 pass they trigger rescans the young objects and
finds nothing to free: a tenth to a fifth of that work's time. One shared pause, so the five places that
need it behave alike (and a collector the caller turned off stays off). Deliberately a plain class, not
contextlib: it sits on the cold answer path."""
from __future__ import annotations

import gc


class collector_paused:
    """``with collector_paused(): ...`` runs the block with the collector off, and turns it back on after
    (also on errors) only if it was on before. Process-wide, as the collector is: another thread's work in
    the meantime runs uncollected too, which costs memory for a moment, never correctness."""

    __slots__ = ("was_enabled",)

    def __enter__(self) -> None:
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.was_enabled:
            gc.enable()
