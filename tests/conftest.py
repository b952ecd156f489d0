from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.local_server import LocalServer


@pytest.fixture(scope="module")
def local_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    """One running local server per test module, on a fresh database."""
    server = LocalServer(db=tmp_path_factory.mktemp("neptun") / "neptun.sqlite3").start()
    yield server
    server.stop()


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[LocalServer]:
    """A server of the test's own, for tests that restart it or break its storage."""
    server = LocalServer(db=tmp_path / "neptun.sqlite3").start()
    yield server
    if server.process and server.process.poll() is None:
        server.stop()
