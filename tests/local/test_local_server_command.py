"""`neptun-lsp local-server --seed-demo` as a user runs it."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import httpx


def test_prints_url_and_demo_credentials_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "neptun_lsp",
            "local-server",
            "--port",
            "0",
            "--seed-demo",
            "--db",
            str(tmp_path / "db.sqlite3"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    ready = json.loads(process.stdout.readline())
    assert ready["url"].startswith("http://127.0.0.1:")
    assert (ready["email"], ready["password"]) == ("demo@neptun.local", "neptun-demo")
    assert httpx.head(ready["url"] + "/api/auth/check").status_code == 401  # it answers
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert f"listening on {ready['url']}" in err
    assert "demo@neptun.local / neptun-demo" in err
    assert "stopped" in err


def test_refuses_a_bad_body_limit() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "neptun_lsp", "local-server", "--max-body-bytes", "-5"],
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert result.returncode == 2
    assert "must be a positive number" in result.stderr
