"""spinekg: an OWL knowledge graph of the human spine.

``spinekg.classify("L4-L5 microdiscectomy")`` answers whether an operation is back surgery, spine
surgery, both or neither, with reasons. Answers come from closures computed once by HermiT at build
time, so importing and classifying never starts Java or loads rdflib.
"""
from __future__ import annotations


# The answer side is light (json, re, difflib): importing it here costs a few milliseconds.
from .answer.composer import Verdict
from .api import classify, prepare_profile
from .errors import SpinekgError
from .version import __version__

__all__ = ["classify", "prepare_profile", "Verdict", "SpinekgError", "__version__"]
