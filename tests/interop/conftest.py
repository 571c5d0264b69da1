"""Fixtures for the interoperability tests: the shipped release files and the OWL API checker."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def owlapi_jar() -> Path | None:
    """The OWL API 3 distribution jar that owlready2 bundles (with Pellet)."""
    import owlready2

    found = sorted(Path(owlready2.__file__).parent.glob("pellet/owlapi-distribution-*.jar"))
    return found[0] if found else None


@pytest.fixture(scope="session")
def owlapi_check(tmp_path_factory):
    """A function running tests/interop/OwlApiCheck.java over files: its output lines, split on tabs."""
    jar = owlapi_jar()
    if shutil.which("javac") is None or shutil.which("java") is None:
        pytest.skip("needs a JDK (javac and java)")
    assert jar is not None, "owlready2 ships no OWL API jar"
    classes = tmp_path_factory.mktemp("owlapi")
    subprocess.run(["javac", "-d", str(classes), "-cp", str(jar), str(HERE / "OwlApiCheck.java")], check=True,
                   capture_output=True, timeout=300)

    def run(*files: Path, profile: bool = False) -> list[list[str]]:
        args = ["java", "-cp", f"{classes}:{jar}", "OwlApiCheck"] + (["--profile"] if profile else []) + [str(f) for f in files]
        proc = subprocess.run(args, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr[-2000:]
        return [line.split("\t") for line in proc.stdout.splitlines() if line]

    return run
