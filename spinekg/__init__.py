"""spinekg: an OWL knowledge graph of the human spine.

``spinekg.classify("L4-L5 microdiscectomy")`` answers whether an operation is back surgery, spine
surgery, both or neither, with reasons. Answers come from closures computed once by HermiT at build
time, so importing and classifying never starts Java or loads rdflib.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["classify", "Verdict", "SpinekgError", "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from .classify import Verdict, classify
    from .errors import SpinekgError


def __getattr__(name: str) -> Any:
    # Lazy imports keep `import spinekg` cheap for the command line.
    if name in ("classify", "Verdict"):
        from . import classify as _classify

        return getattr(_classify, name)
    if name == "SpinekgError":
        from .errors import SpinekgError

        return SpinekgError
    raise AttributeError(name)
