"""memo.remember keeps lru_cache's contract where the answer path relies on it."""
from __future__ import annotations

import pytest

from spinekg.memo import remember


def test_results_are_remembered_by_arguments_and_errors_are_not():
    calls = []

    @remember(maxsize=None)
    def double(x: int, scale: int = 2) -> int:
        """Why: a test."""
        calls.append((x, scale))
        if x < 0:
            raise ValueError("negative")
        return x * scale

    assert [double(3), double(3), double(3, scale=3), double(3, scale=3)] == [6, 6, 9, 9]
    assert calls == [(3, 2), (3, 3)]
    for _ in range(2):
        with pytest.raises(ValueError):
            double(-1)
    assert calls[-2:] == [(-1, 2), (-1, 2)]  # an error is raised anew, never remembered
    assert double.__name__ == "double" and double.__doc__ == "Why: a test." and double.__wrapped__(4) == 8
    double.cache_clear()
    double(3)
    assert calls[-1] == (3, 2)
    with pytest.raises(TypeError):
        double([1])  # unhashable, as with lru_cache


def test_a_bounded_memo_starts_afresh_when_full():
    calls = []

    @remember(maxsize=2)
    def same(x: int) -> int:
        calls.append(x)
        return x

    for x in (1, 2, 1, 3, 1):
        same(x)
    assert calls == [1, 2, 3, 1]  # full at 3: forgotten, so 1 is computed again
