"""A real local Neptun server in a subprocess: loopback, ephemeral port, its own SQLite file."""

from __future__ import annotations

import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from neptun_lsp.local.serve import spawn

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
        self.process, self.ready = spawn(
            self.db, max_body_bytes=self.max_body_bytes, stderr=subprocess.PIPE
        )
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

    def new_chat(self, cookie: str, name: str, message: str) -> tuple[int, int]:
        """A chat with one user message, over plain HTTP; returns (chat id, message id)."""
        auth = {"Cookie": f"neptun-session={cookie}"}
        base = f"{self.url}/api/users/{self.user_id}/chats"
        chat = httpx.post(base, headers=auth, json={"model": "m", "name": name}).json()["chat"]
        made = httpx.post(
            f"{base}/{chat['id']}/messages",
            headers=auth,
            json={"message": message, "actor": "user"},
        ).json()["chatMessage"]
        return int(chat["id"]), int(made["id"])

    def login_session(self) -> str:
        """Sign the demo user in with plain HTTP; returns the session cookie value."""
        response = httpx.post(
            f"{self.url}/api/auth/login",
            json={"email": self.ready["email"], "password": self.ready["password"]},
        )
        response.raise_for_status()
        return response.cookies["neptun-session"]
