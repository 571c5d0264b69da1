"""The answer to compare two wordings by: (spine, back, regions), or ('error', message with the text as TEXT)."""
from __future__ import annotations

from spinekg import SpinekgError
from spinekg.api import classify


def answer(text: str) -> tuple:
    try:
        v = classify(text)
    except SpinekgError as exc:
        return ("error", exc.message.replace(repr(text), "TEXT"))
    return v.spine_surgery, v.back_surgery, tuple(v.regions)
