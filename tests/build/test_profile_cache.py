"""A user's profile file that was never built: reasoned once (said on stderr), cached sealed, then silent."""
from __future__ import annotations

import os
import sys

from conftest import REPO, needs_java


@needs_java
def test_an_unbuilt_profile_is_reasoned_once_said_and_cached(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("SPINEKG_CACHE_DIR", str(tmp_path / "cache"))
    mine = tmp_path / "our-hospital.ttl"
    mine.write_text((REPO / "ontology" / "profiles" / "thoracolumbar.ttl").read_text(encoding="utf-8").replace(
        'rdfs:label "thoracolumbar"@en', 'rdfs:label "our-hospital"@en'), encoding="utf-8")
    code, out, err = cli("classify", "T12-L1 fusion", "--profile", str(mine))
    assert code == 0 and "back surgery:  yes" in out
    cached = sorted((tmp_path / "cache" / "profiles").glob("*.json"))
    assert len(cached) == 1
    assert err == (f"spinekg: profile {mine} is not reasoned yet: reasoning it with HermiT once (needs Java, about 25 s); "
                   f"the result is cached in {cached[0]}\n")
    path = os.environ["PATH"]
    os.environ["PATH"] = os.path.dirname(sys.executable)  # the cache answers without Java, silently
    try:
        assert cli("classify", "T12-L1 fusion", "--profile", str(mine)) == (code, out, "")
    finally:
        os.environ["PATH"] = path
