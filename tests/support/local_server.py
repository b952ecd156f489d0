"""A real local Neptun server in a subprocess: loopback, ephemeral port, its own SQLite file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

STARTUP_TIMEOUT = 20.0


@dataclass
class LocalServer:
    db: Path
    max_body_bytes: int | None = None
    process: subprocess.Popen[str] | None = None
    ready: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return str(self.ready["url"])

    @property
    def user_id(self) -> int:
        return int(self.ready["user_id"])

    @property
    def chat_id(self) -> int:
        return int(self.ready["chat_id"])

    @property
    def message_id(self) -> int:
        return int(self.ready["message_id"])

    def start(self) -> LocalServer:
        command = [
            sys.executable,
            "-m",
            "neptun_lsp",
            "local-server",
            "--port",
            "0",
            "--db",
            str(self.db),
            "--seed-demo",
        ]
        if self.max_body_bytes is not None:
            command += ["--max-body-bytes", str(self.max_body_bytes)]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            _, err = self.process.communicate(timeout=STARTUP_TIMEOUT)
            raise RuntimeError(f"local server did not start: {err}")
        self.ready = json.loads(line)
        return self

    def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout=STARTUP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        finally:
            for stream in (self.process.stdout, self.process.stderr):
                if stream:
                    stream.close()
        return code

    def restart(self) -> LocalServer:
        self.stop()
        return self.start()

    def login_session(self) -> str:
        """Sign the demo user in with plain HTTP; returns the session cookie value."""
        response = httpx.post(
            f"{self.url}/api/auth/login",
            json={"email": self.ready["email"], "password": self.ready["password"]},
        )
        response.raise_for_status()
        return response.cookies["neptun-session"]
