"""Dorsal vertebrae ('D12', 'D11-D12', 'D12-L1'): read as thoracic levels only where the text means the spine."""
from __future__ import annotations

import pytest

from spinekg.answer.reader.dorsal import dorsal_levels, may_hold


@pytest.mark.parametrize("spelt, expected", [
    ("d12 burst fracture fixation", "t12 burst fracture fixation"),  # a spinal fracture
    ("d4 corpectomy", "t4 corpectomy"),  # an operation done only on the spine
    ("d11-12 plif", "t11-12 plif"),  # a range
    ("d11-d12 discectomy", "t11-t12 discectomy"),
    ("d12-l1 posterior fixation", "t12-l1 posterior fixation"),
    ("d10 / l2 fusion", "t10 / l2 fusion"),
    ("fixation d12 l1", "fixation t12 l1"),  # another vertebral level in the text
    ("dorsal spine decompression d6", "dorsal spine decompression t6"),
    ("d2 gastrectomy", "d2 gastrectomy"),  # the other meanings stay as written
    ("d1/d2 lymphadenectomy", "d1/d2 lymphadenectomy"),
    ("biopsy of d2", "biopsy of d2"),
    ("d2 duodenal biopsy, l4 fusion", "d2 duodenal biopsy, l4 fusion"),
    ("d50 infusion", "d50 infusion"),
    ("d13 fracture", "d13 fracture"),  # no such dorsal vertebra
    ("vitamin d3", "vitamin d3"),
    ("d&c", "d&c"),
    ("cd4 count, spine", "cd4 count, spine"),
])
def test_dorsal_levels(spelt, expected):
    assert dorsal_levels(spelt) == expected


def test_only_a_d_before_a_digit_is_looked_at():
    assert not may_hold("lumbar discectomy") and not may_hold("d&c") and may_hold("d12 fracture")
