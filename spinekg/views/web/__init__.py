"""The page at ``spinekg serve``: Ask, Browse and Query over the read-only SPARQL endpoint."""
from __future__ import annotations

from .app import WebApp, mount

__all__ = ["WebApp", "mount"]
