"""A canary TCP listener on 127.0.0.1 and a canary file: hostile inputs name them, and the tests assert
that spinekg never connected to the one nor opened the other."""
from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest


class Canary:
    def __init__(self, directory: Path):
        self.file = directory / "canary-secret.txt"
        self.file.write_text('{"@context": {"name": "http://example.org/name"}}\n', encoding="utf-8")
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(64)
        self.port = self.server.getsockname()[1]
        self.connections: list[tuple] = []  # type: ignore[type-arg]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, address = self.server.accept()
            except OSError:
                return
            self.connections.append(address)
            conn.close()

    def close(self) -> None:
        self.server.close()


@pytest.fixture(scope="module")
def canary(tmp_path_factory):
    found = Canary(tmp_path_factory.mktemp("canary"))
    yield found
    found.close()
