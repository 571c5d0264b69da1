"""Choosing and running the SHACL engine: pySHACL (the reference), pyshacl-turbo or the Rust ``shacl``.

One place decides which engine ``auto`` means and turns engine failures into one-line spinekg errors.
"""
from __future__ import annotations

import logging

from rdflib import Graph

from ..errors import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, SpinekgError
from .report import clean_error

ENGINES = ("auto", "pyshacl", "turbo", "rust")


def engine_module(engine: str = "auto"):  # type: ignore[no-untyped-def]
    """pySHACL (the reference) or pyshacl-turbo (a Rust engine with pySHACL's API, ~10x faster here).

    ``auto`` takes turbo when it is installed: tests/test_shacl_engines.py proves both give the same results
    (focus, path, value, shape, component and message) on the project's own records and bad inputs.
    """
    if engine not in ENGINES:
        raise SpinekgError(f"unknown SHACL engine {engine!r} (choose from {', '.join(ENGINES)})")
    if engine == "rust":  # case records only (spinekg.shacl.rust); any other run takes the next fastest
        from .rust import available

        if not available():
            raise SpinekgError("the rust engine needs the shacl package: pip install 'spinekg[fast]'",
                               EXIT_ENVIRONMENT)
    if engine in ("auto", "turbo", "rust"):
        try:
            import pyshacl_turbo

            return pyshacl_turbo
        except ImportError:
            if engine == "turbo":  # (rust without turbo: pySHACL for runs that are not case records)
                raise SpinekgError("the turbo engine needs the pyshacl-turbo package: pip install 'spinekg[fast]'",
                                   EXIT_ENVIRONMENT) from None
    import pyshacl

    return pyshacl


def record_engine(engine: str) -> str:
    """The engine that validates case records: ``auto`` means the Rust ``shacl`` when installed.

    tests/shacl/test_shacl_rust.py proves its reports equal to pySHACL's on the project's own records.
    """
    if engine in ("auto", "rust"):
        from .rust import available

        if available():  # (without importing pyshacl-turbo: a tenth of a second the fast path never uses)
            return "rust"
    engine_module(engine)  # unknown or missing: an error before any work
    return engine


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
