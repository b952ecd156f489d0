"""workspace/executeCommand: the command table.

Handlers live in lsp/sending.py and lsp/chats.py, which need httpx and pydantic; they are
imported on the first command, so that `initialize` is answered without paying for them, and
warmed up in the background once the session is up.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Awaitable, Callable
from typing import Any

from neptun_lsp.lsp.actions import SEND_BUFFER, SEND_SELECTION
from neptun_lsp.lsp.server import NeptunLanguageServer

SENDING = "neptun_lsp.lsp.sending"
CHATS = "neptun_lsp.lsp.chats"

# command id -> (module, handler name)
COMMANDS: dict[str, tuple[str, str]] = {
    SEND_BUFFER: (SENDING, "send_buffer"),
    SEND_SELECTION: (SENDING, "send_selection"),
    "neptun.sendFiles": (SENDING, "send_files"),
    "neptun.sendOpenDocuments": (SENDING, "send_open_documents"),
    "neptun.chooseTarget": (SENDING, "choose_target"),
    "neptun.listChats": (CHATS, "list_chats"),
    "neptun.listMessages": (CHATS, "list_messages"),
    "neptun.createMessage": (CHATS, "create_message"),
    "neptun.status": (CHATS, "status"),
}


def register(server: NeptunLanguageServer) -> None:
    for name, (module, handler) in COMMANDS.items():
        server.command(name)(_bind(server, module, handler))


async def warm_up() -> None:
    """Import the handlers off the event loop while the user is still reading code."""
    loop = asyncio.get_running_loop()
    for module in (SENDING, CHATS):
        await loop.run_in_executor(None, importlib.import_module, module)


def _bind(server: NeptunLanguageServer, module: str, name: str) -> Callable[..., Awaitable[Any]]:
    # *raw: pygls passes the JSON arguments unconverted; lsp/arguments.py validates them.
    async def run(*raw: Any) -> dict[str, Any]:
        handler = getattr(importlib.import_module(module), name)
        result: dict[str, Any] = await handler(server, raw)
        return result

    return run
