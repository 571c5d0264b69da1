"""A procedure named for several regions, beside a word naming one of them: 'dorsal and thoracolumbar fusion' (an ICD-9-CM
title's 'dorsal and dorsolumbar fusion'), 'thoracic and thoracolumbar fusion'. The thoracolumbar fusion spans the
thoracic and lumbar regions, so the region word is one its name already covers; read as a restriction of where it is
done, it refused the procedure ('posterior thoracolumbar fusion operates on lumbar region of spine, which cannot lie
within thoracic region of spine') and the text was an error or an operation with no site."""
from __future__ import annotations


def spanned_regions(index: dict, procedure: str, terms: list[str]) -> bool:
    """Every term (region or site) lies in a region of those the procedure spans, and it spans more than one."""
    spans = set(index["procedures"][procedure].get("regions", []))
    anatomy = index["anatomy"]
    return len(spans) > 1 and bool(terms) and all(t in anatomy and anatomy[t]["regions"] and set(anatomy[t]["regions"]) <= spans
                                                  for t in terms)
