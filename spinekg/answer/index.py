"""Read the shipped runtime index (JSON) once per process."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from ..errors import EXIT_ENVIRONMENT, SpinekgError
from ..paths import RUNTIME_INDEX


@lru_cache(maxsize=4)
def load_index(path: Path = RUNTIME_INDEX) -> dict:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise SpinekgError(f"{path}: runtime index missing; run 'spinekg build'", EXIT_ENVIRONMENT) from None
    except (OSError, ValueError) as exc:
        raise SpinekgError(f"{path}: runtime index unreadable ({exc})", EXIT_ENVIRONMENT) from None
