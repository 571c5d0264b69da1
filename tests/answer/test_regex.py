"""answer.regex builds the very patterns re.compile builds, from programs kept in the cache, and falls back to re
whenever the kept programs are missing, damaged or from another engine."""
from __future__ import annotations

import re

import pytest

from spinekg.answer import regex

PATTERNS = [(r"(occiput|oc|co|th|[ctls])(\d{1,2})", 0), (r"(?P<upper>[ctls]\d+)(?:-(?P<lower>\d+))?", regex.IGNORECASE),
            (r"(?<=[a-z])(?<!par)ae(?=[a-z])|\boe(?=[bcd])", 0), (r"^[0-9A-HJ-NP-Z]{7}$", 0), (r"§\d+|s/p|[/,&+;()]", 0)]


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    monkeypatch.setenv("SPINEKG_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(regex, "_PROGRAMS", None)
    return tmp_path


def compiled_again(pattern: str, flags: int) -> re.Pattern:
    """The pattern as a new process builds it: from the kept programs only."""
    regex._PROGRAMS = None
    return regex.compile(pattern, flags)


@pytest.mark.parametrize("pattern, flags", PATTERNS)
def test_kept_programs_build_the_pattern_re_builds(fresh, pattern, flags):
    first = regex.compile(pattern, flags)
    again = compiled_again(pattern, flags)
    assert (pattern, flags) in regex._PROGRAMS
    expected = re.compile(pattern, flags)
    assert first == again == expected and again.flags == expected.flags and again.groupindex == expected.groupindex
    text = "L4-5 and C5-c6, th12 s/p anaemia oedema 0SG00A0 (§3)"
    assert [m.span() for m in again.finditer(text)] == [m.span() for m in expected.finditer(text)]


def test_a_damaged_or_foreign_program_is_compiled_afresh(fresh):
    pattern = PATTERNS[0][0]
    regex.compile(pattern)
    regex._PROGRAMS[(pattern, 0)] = (32, [1, 2, 3], 2, {}, (None, None, None))  # code the engine rejects
    assert regex.compile(pattern) == re.compile(pattern)
    with open(regex.twin_file(), "wb") as handle:
        handle.write(b"not marshal")
    assert compiled_again(pattern, 0) == re.compile(pattern)


def test_a_twin_overgrown_with_patterns_is_not_read(fresh):
    # more programs than the answer path has fixed patterns: filled from data, not used, and replaced by the next keep
    import marshal

    pattern = PATTERNS[0][0]
    overgrown = {(f"x{i}", 0): regex._program(f"x{i}", 0) for i in range(regex.MAX_PROGRAMS + 1)}
    (fresh / "twins").mkdir()
    with open(regex.twin_file(), "wb") as handle:
        handle.write(marshal.dumps(overgrown))
    assert compiled_again(pattern, 0) == re.compile(pattern)
    with open(regex.twin_file(), "rb") as handle:
        assert list(marshal.loads(handle.read())) == [(pattern, 0)]


def test_escape_is_re_escape():
    text = "a.b c-d (e)|f*g+h?i[j]{k}^$\\&~#\t\n"
    assert regex.escape(text) == re.escape(text)
