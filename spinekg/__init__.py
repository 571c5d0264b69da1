"""spinekg: an OWL knowledge graph of the human spine.

``spinekg.classify("L4-L5 microdiscectomy")`` answers whether an operation is back surgery, spine
surgery, both or neither, with reasons. Answers come from closures computed once by HermiT at build
time, so importing and classifying never starts Java or loads rdflib.
"""
from __future__ import annotations

__version__ = "0.1.0"

# The runtime modules are light (json, re, difflib): importing them here keeps `spinekg.classify`
# the function, not the submodule of the same name.
from .classify import Verdict, classify  # noqa: E402
from .errors import SpinekgError  # noqa: E402

__all__ = ["classify", "Verdict", "SpinekgError", "__version__"]
