"""Run the local Neptun-compatible server: bind, print where it is, serve until interrupted."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from neptun_lsp.local.store import AlreadyExists, Store

DEMO_EMAIL = "demo@neptun.local"
DEMO_PASSWORD = "neptun-demo"  # noqa: S105 - a published demo credential of a local server
DEMO_CHAT = "Project Discussion"
DEMO_MESSAGE = "Here is the code I am working on."


@dataclass(frozen=True)
class DemoAccount:
    user_id: int
    chat_id: int
    message_id: int


def seed_demo(store: Store) -> DemoAccount:
    """The demo user with one chat and one user message to attach files to (idempotent)."""
    try:
        user_id = int(store.create_user(DEMO_EMAIL, DEMO_PASSWORD)["id"])
    except AlreadyExists:
        user = store.user_by_credentials(DEMO_EMAIL, DEMO_PASSWORD)
        assert user is not None, "the demo user exists with another password"
        user_id = int(user["id"])
    chats = [c for c in store.list_chats(user_id) if c["name"] == DEMO_CHAT]
    chat_id = (
        int(chats[0]["id"])
        if chats
        else int(store.create_chat(user_id, DEMO_CHAT, "google/gemma-2-27b-it")["id"])
    )
    messages = [m for m in store.list_messages(chat_id) if m["actor"] == "user"]
    message_id = (
        int(messages[-1]["id"])
        if messages
        else int(store.create_messages(user_id, chat_id, [("user", DEMO_MESSAGE)])[0]["id"])
    )
    return DemoAccount(user_id=user_id, chat_id=chat_id, message_id=message_id)


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def run(
    *,
    host: str,
    port: int,
    db: Path,
    max_body_bytes: int,
    seed: bool,
    out: TextIO = sys.stdout,
) -> int:
    """Serve until SIGINT/SIGTERM. Prints one JSON line first: url (and demo ids) for scripts."""
    import uvicorn  # lazy: the language server never needs it

    from neptun_lsp.local.app import create_app

    store = Store(db)
    sock = bind(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    shown_host = f"[{bound_host}]" if ":" in bound_host else bound_host
    url = f"http://{shown_host}:{bound_port}"
    ready: dict[str, object] = {"url": url, "db": str(db)}
    if seed:
        account = seed_demo(store)
        ready.update(
            email=DEMO_EMAIL,
            password=DEMO_PASSWORD,
            user_id=account.user_id,
            chat_id=account.chat_id,
            message_id=account.message_id,
        )
    print(json.dumps(ready), file=out, flush=True)
    print(f"Neptun local server listening on {url} (database {db})", file=sys.stderr)
    if seed:
        print(
            f"Demo sign-in: {DEMO_EMAIL} / {DEMO_PASSWORD}  "
            f"(chat {ready['chat_id']}, message {ready['message_id']})",
            file=sys.stderr,
        )
    print("Press Ctrl-C to stop.", file=sys.stderr, flush=True)
    config = uvicorn.Config(
        create_app(store, max_body_bytes=max_body_bytes),
        log_level="warning",
        access_log=False,
        lifespan="off",
    )
    server = uvicorn.Server(config)
    try:
        asyncio.run(server.serve(sockets=[sock]))
    except KeyboardInterrupt:
        pass
    finally:
        store.close()
        sock.close()
    print("Neptun local server stopped.", file=sys.stderr)
    return 0


def spawn(
    db: Path, *, max_body_bytes: int | None = None, stderr: int | None = subprocess.DEVNULL
) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    """`neptun-lsp local-server --port 0 --seed-demo` in a subprocess, once it is ready: the
    process and its ready line (url, demo credentials and ids). For the demo, tests and
    benchmarks."""
    command = [
        sys.executable,
        "-m",
        "neptun_lsp",
        "local-server",
        "--port",
        "0",
        "--seed-demo",
        "--db",
        str(db),
    ]
    if max_body_bytes is not None:
        command += ["--max-body-bytes", str(max_body_bytes)]
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        command,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        process.wait()
        raise RuntimeError(
            f"the local Neptun server did not start (exit code {process.returncode})"
        )
    ready: dict[str, Any] = json.loads(line)
    return process, ready
