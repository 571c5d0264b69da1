"""In-process text reading: distinct phrases per second, with peak memory.

Usage: python benchmarks/bench_reader.py [--phrases 20000] [--runs 3] [--no-sides]
The phrases are generated from the phrase table (tests/answer/reader/phrases.tsv) by varying levels,
side and case, so that every one is distinct and none is a cache hit (the reader's memos are emptied
before every run; within a run it reuses what phrases share, e.g. the wording around the levels). Target (issue 13): >= 20,000
distinct phrases/s. Baseline in the same run, alternated: the floor of touching each phrase in Python, the reader's
own first step alone (spell + tokens: lower case, US spelling, tokens), without which no phrase can be read; the
ratio says how many such passes a full reading costs.
"""
from __future__ import annotations

import argparse
import csv
import statistics
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEVELS = ["C3-4", "C4-5", "C5-6", "C6-7", "T4-5", "T11-12", "T12-L1", "L1-2", "L2-3", "L3-4", "L4-5", "L5-S1"]
SIDES = ["", "left ", "right ", "bilateral "]


def phrases(count: int, sides: bool = True) -> list[str]:
    """Distinct phrases: each wording of the table at 12 levels, with 4 sides (or, ``sides=False``, with none: 12
    variants per wording, all levels, which is what the decisions shared across a level class serve)."""
    variants = len(SIDES) if sides else 1
    with open(ROOT / "tests/answer/reader/phrases.tsv", encoding="utf-8") as handle:
        base = [row["text"] for row in csv.DictReader(handle, delimiter="\t")]
    out, seen = [], set()
    for i in range(count * 4):
        text = f"{SIDES[i % variants]}{LEVELS[(i // variants) % len(LEVELS)]} {base[(i // (12 * variants)) % len(base)]}"
        text = text.upper() if i % 7 == 0 else text
        if text not in seen:
            seen.add(text)
            out.append(text)
        if len(out) == count:
            break
    return out


def run(texts: list[str]) -> tuple[float, int]:
    from spinekg.answer.composers import composer
    from spinekg.api import classify_text_query
    from spinekg.errors import SpinekgError

    from spinekg.answer.reader import forget

    comp = composer()
    forget()  # every run starts with nothing remembered: only repeats within the run are reused
    understood = 0
    start = time.perf_counter()
    for text in texts:
        try:
            classify_text_query(text, comp)
            understood += 1
        except SpinekgError:
            pass
    return time.perf_counter() - start, understood


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phrases", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-sides", action="store_true", help="vary only the levels (12 per wording), not the side")
    args = parser.parse_args()
    texts = phrases(args.phrases, sides=not args.no_sides)
    # load the index and the whole lexicon outside the timing, as any bulk run has after its first few hundred texts
    # (each timed run still starts with nothing remembered: every phrase is read from scratch, see run)
    run(texts)
    times, floors = [], []
    for _ in range(max(3, args.runs)):
        seconds, understood = run(texts)
        times.append(seconds)
        floors.append(floor(texts))
    tracemalloc.start()
    run(texts)
    peak = tracemalloc.get_traced_memory()[1] / 2 ** 20
    tracemalloc.stop()
    median, base = statistics.median(times), statistics.median(floors)
    print(f"{'distinct phrases':>16} {'understood':>10} {'median (s)':>10} {'phrases/s':>10} {'peak traced (MB)':>16} "
          f"{'spell+tokens (s)':>16} {'ratio':>7}")
    print(f"{len(texts):>16} {understood:>10} {median:>10.3f} {len(texts) / median:>10.0f} {peak:>16.1f} "
          f"{base:>16.4f} {median / base:>6.1f}x")
    print(f"(median of {len(times)} runs each, alternated; full classify: reading + composing + explanation; "
          "baseline: spell + tokens of the same phrases)")


def floor(texts: list[str]) -> float:
    """Seconds to spell and tokenise every phrase (the reader's first step, nothing remembered)."""
    from spinekg.answer.reader.text import spell, tokens

    start = time.perf_counter()
    for text in texts:
        tokens(spell(text))
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
