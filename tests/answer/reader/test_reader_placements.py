"""Device-only lines (placements.py) and verb-first billing lines (verbs.py): the act is read where the text says how
the device went in or opens with the verb; findings and a drain placed stay as they were."""
from __future__ import annotations

import pytest

from spinekg.api import classify
from spinekg.errors import SpinekgError


@pytest.mark.parametrize("text", ["loose pedicle screws L4-5", "navigated loose pedicle screws L4-5",
                                  "percutaneous broken rod L3-4", "Pedicle screws L4-S1"])
def test_a_finding_or_a_bare_device_names_no_act(text):
    with pytest.raises(SpinekgError):
        classify(text)


@pytest.mark.parametrize("text", ["Drain", "Drain placement", "drain lumbar", "L4-5 laminectomy. Drain."])
def test_a_drain_placed_is_no_drainage(text):
    verdict = classify(text)
    assert "Drainage" not in " ".join(verdict.explanation)
