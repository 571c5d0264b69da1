"""Choosing and running the SHACL engine: pySHACL (the reference) or pyshacl-turbo (the fast one).

One place decides which engine ``auto`` means and turns engine failures into one-line spinekg errors.
"""
from __future__ import annotations

import logging

from rdflib import Graph

from ..errors import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, SpinekgError
from .report import clean_error

ENGINES = ("auto", "pyshacl", "turbo")


def engine_module(engine: str = "auto"):  # type: ignore[no-untyped-def]
    """pySHACL (the reference) or pyshacl-turbo (a Rust engine with pySHACL's API, ~10x faster here).

    ``auto`` takes turbo when it is installed: tests/test_shacl_engines.py proves both give the same results
    (focus, path, value, shape, component and message) on the project's own records and bad inputs.
    """
    if engine not in ENGINES:
        raise SpinekgError(f"unknown SHACL engine {engine!r} (choose from {', '.join(ENGINES)})")
    if engine in ("auto", "turbo"):
        try:
            import pyshacl_turbo

            return pyshacl_turbo
        except ImportError:
            if engine == "turbo":
                raise SpinekgError("the turbo engine needs the pyshacl-turbo package: pip install 'spinekg[fast]'",
                                   EXIT_ENVIRONMENT) from None
    import pyshacl

    return pyshacl


def run_pyshacl(data, shapes: Graph, advanced: bool = True, engine: str = "pyshacl") -> Graph:  # type: ignore[no-untyped-def]
    """One engine run; ``data`` is an rdflib Graph (both engines) or N-Triples text (pyshacl-turbo's Input)."""
    module = engine_module(engine)
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)  # ill-typed literals (2024-02-30) are reported as results, not logged
    try:
        options = {"inplace": True} if module.__name__ == "pyshacl" else {}
        _conforms, results, _text = module.validate(data, shacl_graph=shapes, inference="none", advanced=advanced,
                                                    allow_warnings=False, meta_shacl=False, **options)
    except SpinekgError:
        raise
    except Exception as exc:  # a broken shapes graph: pySHACL raises ReportableRuntimeError & co.
        raise SpinekgError(f"SHACL engine error: {clean_error(exc)}", EXIT_BAD_INPUT) from None
    finally:
        logger.setLevel(level)
    return results
