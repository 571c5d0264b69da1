"""spinekg build reads a source tree and writes --out, never the installed package."""
from __future__ import annotations

import pytest

from conftest import REPO
from spinekg.build.plan import plan
from spinekg.errors import SpinekgError


def test_default_source_is_the_checkout_the_current_directory_is_in(tmp_path):
    inside = REPO / "ontology" / "templates"
    chosen = plan(None, None, cwd=inside)
    assert chosen.source == REPO
    # the package runs from this checkout (tests use it), so the default is its own generated data
    assert chosen.out == REPO / "spinekg" / "data" and chosen.in_this_process
    assert plan(None, str(tmp_path / "b"), cwd=inside).out == tmp_path / "b"
    assert not plan(None, str(tmp_path / "b"), cwd=inside).in_this_process  # -> a child process with its paths
    with_extension = plan(None, None, ["x.ttl"], cwd=tmp_path)
    assert with_extension.out == tmp_path / "build"  # an extended build never overwrites the shipped data


def test_never_into_an_installed_package_and_only_from_a_source_tree(tmp_path):
    with pytest.raises(SpinekgError) as caught:
        plan(str(REPO), str(tmp_path / "lib" / "site-packages" / "spinekg" / "data"))
    assert caught.value.message.endswith("refusing to build into an installed package (site-packages); give --out DIR")
    with pytest.raises(SpinekgError) as caught:
        plan(str(tmp_path), None)
    assert caught.value.message == f"{tmp_path}: not a spinekg source tree (needs ontology/spinekg.ttl and queries/)"
