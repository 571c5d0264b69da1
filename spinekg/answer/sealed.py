"""Sealed JSON caches: a reasoned overlay written with a digest of its inputs and of its own content.

A cache is trusted only when both match: the inputs (the user's file and the runtime index it was reasoned
against) say whether it is current, and the content digest says nobody edited it since. Anything else —
unreadable, stale, tampered — is reported as a reason to rebuild, never used.
"""
from __future__ import annotations

import json
from pathlib import Path

DIGEST_KEY = "digest"


def canonical(obj: dict) -> str:
    """Deterministic JSON text (what the content digest is taken over)."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_digest(obj: dict) -> str:
    import hashlib  # only when a digest is needed: hashlib loads OpenSSL

    body = {key: value for key, value in obj.items() if key != DIGEST_KEY}
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def seal(obj: dict) -> str:
    """The JSON text of ``obj`` with its content digest added."""
    sealed = {key: value for key, value in obj.items() if key != DIGEST_KEY}
    sealed[DIGEST_KEY] = content_digest(sealed)
    return canonical(sealed) + "\n"


def open_sealed(path: Path, inputs: dict) -> tuple[dict | None, str]:
    """``(obj, "")`` when ``path`` holds a sealed object whose content digest checks and whose ``inputs``
    entries equal ``inputs``; else ``(None, why)`` with why it must be rebuilt."""
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, "not built yet"
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        return None, f"unreadable ({type(exc).__name__})"
    if not isinstance(obj, dict) or obj.get(DIGEST_KEY) != content_digest(obj):
        return None, "its content does not match its digest (edited or damaged)"
    for key, value in inputs.items():
        if obj.get(key) != value:
            return None, f"stale ({key} changed)"
    return obj, ""
