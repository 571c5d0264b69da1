"""Where ``spinekg build`` reads from and writes to: a source tree in, a data directory out, never the
installed package. Light (no rdflib): the command decides this before anything heavy is imported."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import SpinekgError
from ..paths import DATA_DIR, PACKAGE_DIR, find_source_tree, inside_installed_package, is_source_tree, ontology_dir

ENV_SOURCE, ENV_DATA, ENV_EXTENSIONS = "SPINEKG_SOURCE_DIR", "SPINEKG_DATA_DIR", "SPINEKG_BUILD_EXTENSIONS"


@dataclass(frozen=True)
class Plan:
    source: Path  # the tree holding ontology/ and queries/
    out: Path  # receives runtime-index.json, profiles/, code-table.json, release/

    @property
    def in_this_process(self) -> bool:
        """True when this process's paths already point at the plan (else a child process runs the build
        with SPINEKG_SOURCE_DIR / SPINEKG_DATA_DIR set, so every module reads and writes the right place)."""
        return ontology_dir().resolve() == (self.source / "ontology").resolve() and DATA_DIR.resolve() == self.out.resolve()


def runs_from_checkout() -> Path | None:
    """The checkout this package is imported from (an editable install or PYTHONPATH), if any."""
    top = PACKAGE_DIR.parent
    return top if is_source_tree(top) and (top / "pyproject.toml").is_file() else None


def plan(source: str | None, out: str | None, extensions: list[str] | None = None, cwd: Path | None = None) -> Plan:
    """``--source``: given, else the checkout the current directory is in, else the one this package runs
    from. ``--out``: given, else the package data of that checkout when the package runs from it and no
    extension is added (updating the committed generated files), else ./build."""
    cwd = (cwd or Path.cwd()).resolve()
    if source is not None:
        tree = Path(source).resolve()
        if not is_source_tree(tree):
            raise SpinekgError(f"{source}: not a spinekg source tree (needs ontology/spinekg.ttl and queries/)")
    else:
        tree = find_source_tree(cwd) or runs_from_checkout()  # type: ignore[assignment]
        if tree is None:
            raise SpinekgError("no spinekg source tree here: run 'spinekg build' inside a checkout (git clone) or give "
                               "--source DIR; the installed package holds its built data already")
    if out is not None:
        target = Path(out).resolve()
    elif runs_from_checkout() == tree and not extensions:
        target = (tree / "spinekg" / "data").resolve()
    else:
        target = cwd / "build"
    if inside_installed_package(target):
        raise SpinekgError(f"{target}: refusing to build into an installed package (site-packages); give --out DIR")
    return Plan(tree, target)


def child_command(argv: list[str], chosen: Plan, extensions: list[str]) -> tuple[list[str], dict[str, str]]:
    """The same build, run in a child process whose paths point at ``chosen``."""
    env = dict(os.environ, **{ENV_SOURCE: str(chosen.source), ENV_DATA: str(chosen.out)})
    if extensions:
        env[ENV_EXTENSIONS] = os.pathsep.join(str(Path(e).resolve()) for e in extensions)
    return [sys.executable, "-m", "spinekg.cli", *argv], env


def build_extensions() -> list[Path]:
    """Extension modules this build adds to the ontology (set by the parent 'spinekg build --extension')."""
    value = os.environ.get(ENV_EXTENSIONS, "")
    return [Path(p) for p in value.split(os.pathsep) if p]
