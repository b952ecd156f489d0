"""How the server talks to the user: messages, logs, progress. One place for the popup policy.

Every server-to-client request is awaited with a timeout: some clients never answer (headless
Neovim) or answer oddly, and no send may hang on an optional courtesy.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from neptun_lsp import redaction

log = logging.getLogger(__name__)
CLIENT_REQUEST_TIMEOUT = 10.0


def show(server: LanguageServer, message: str, kind: types.MessageType) -> None:
    text = redaction.redact(message)
    server.window_show_message(types.ShowMessageParams(type=kind, message=text))
    server.window_log_message(types.LogMessageParams(type=kind, message=text))


def info(server: LanguageServer, message: str) -> None:
    show(server, message, types.MessageType.Info)


def error(server: LanguageServer, message: str) -> None:
    show(server, message, types.MessageType.Error)


def warning(server: LanguageServer, message: str) -> None:
    show(server, message, types.MessageType.Warning)


async def ask_client(awaitable: Any, what: str, timeout: float = CLIENT_REQUEST_TIMEOUT) -> Any:
    """Await a server-to-client request; None when it fails, times out or is answered oddly."""
    try:
        return await asyncio.wait_for(awaitable, timeout)
    except asyncio.TimeoutError:
        log.warning("the editor did not answer %s within %.0f s", what, timeout)
    except Exception as failure:
        log.warning("the editor could not answer %s: %s", what, failure)
    return None


def _supports_progress(server: LanguageServer) -> bool:
    window = server.client_capabilities.window
    return bool(window and window.work_done_progress)


class Progress:
    """Reports on one `$/progress` token; a no-op when the client has no progress support."""

    def __init__(self, server: LanguageServer, token: str | None) -> None:
        self._server = server
        self._token = token

    def report(self, message: str, percentage: int) -> None:
        if self._token is None:
            return
        self._server.work_done_progress.report(
            self._token, types.WorkDoneProgressReport(message=message, percentage=percentage)
        )


@asynccontextmanager
async def progress(server: LanguageServer, title: str) -> AsyncIterator[Progress]:
    """A fresh token per operation; `end` is always sent, whatever happens inside."""
    token: str | None = None
    if _supports_progress(server):
        candidate = f"neptun-{uuid.uuid4()}"
        created = await ask_client(
            server.work_done_progress.create_async(candidate), "window/workDoneProgress/create"
        )
        # pygls resolves create with None on success; a failure was logged and gives None too,
        # so check that the token was registered before using it.
        if created is None and candidate in server.work_done_progress.tokens:
            token = candidate
            server.work_done_progress.begin(
                token, types.WorkDoneProgressBegin(title=title, cancellable=False, percentage=0)
            )
    try:
        yield Progress(server, token)
    finally:
        if token is not None:
            server.work_done_progress.end(token, types.WorkDoneProgressEnd())
