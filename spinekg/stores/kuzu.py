"""Load the released property graph (``spinekg-nodes.csv``, ``spinekg-relationships.csv``) into an
embedded Kuzu database by running the release's own ``spinekg-kuzu.cypher`` (so the script users run with
the ``kuzu`` shell and this function cannot disagree). Kuzu is optional: ``pip install kuzu``."""
from __future__ import annotations

from pathlib import Path

from ..errors import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, SpinekgError


def kuzu_statements(directory: Path, stem: str = "spinekg") -> list[str]:
    """The script's statements, with the CSV file names made absolute (Kuzu resolves them from its cwd)."""
    script = Path(directory) / f"{stem}-kuzu.cypher"
    if not script.is_file():
        raise SpinekgError(f"{script}: no Kuzu load script here; run 'spinekg build' to write the release", EXIT_ENVIRONMENT)
    statements = []
    for line in script.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("//"):
            continue
        for name in (f"{stem}-nodes.csv", f"{stem}-relationships.csv"):
            line = line.replace(f"'{name}'", "'" + (Path(directory) / name).resolve().as_posix().replace("'", "\\'") + "'")
        statements.append(line.rstrip(";"))
    return statements


def load_into_kuzu(directory: Path, database: Path, stem: str = "spinekg"):  # type: ignore[no-untyped-def]
    """Create a new Kuzu database at ``database`` from the property-graph files in ``directory``; returns
    an open ``kuzu.Connection``. An existing path is refused rather than merged into."""
    try:
        import kuzu
    except ImportError:
        raise SpinekgError("Kuzu is not installed: pip install kuzu", EXIT_ENVIRONMENT) from None
    database = Path(database)
    if database.exists():
        raise SpinekgError(f"{database}: already exists; give a new path for the Kuzu database", EXIT_BAD_INPUT)
    statements = kuzu_statements(directory, stem)
    conn = kuzu.Connection(kuzu.Database(str(database)))
    for statement in statements:
        try:
            conn.execute(statement)
        except RuntimeError as exc:
            raise SpinekgError(f"{database}: Kuzu refused '{statement[:60]}...': {' '.join(str(exc).split())[:200]}",
                               EXIT_ENVIRONMENT) from None
    return conn
