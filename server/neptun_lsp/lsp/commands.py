"""workspace/executeCommand handlers: thin shells over capture, targets and the sender.

A failure the user should see is shown (window/showMessage) and also answered as a JSON-RPC
error, so that scripts and the VS Code extension learn what happened; `data.kind` names the
error class (e.g. "Unauthorized", for the extension's "Sign In" offer).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any
from urllib.parse import unquote

from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams, JsonRpcServerError

from neptun_lsp.api.errors import NeptunError
from neptun_lsp.api.models import Chat, ChatFile
from neptun_lsp.capture import Document, capture
from neptun_lsp.lsp import arguments, feedback
from neptun_lsp.lsp.actions import SEND_BUFFER, is_open
from neptun_lsp.lsp.server import NeptunLanguageServer
from neptun_lsp.sender import Receipt, chat_names, named_target, send
from neptun_lsp.targets import HOW_TO_CHOOSE, Target, resolve

log = logging.getLogger(__name__)

LIST_CHATS = "neptun.listChats"
LIST_MESSAGES = "neptun.listMessages"
CREATE_MESSAGE = "neptun.createMessage"
STATUS = "neptun.status"
NEPTUN_ERROR_CODE = -32001
EXCERPT_LENGTH = 120


class NoTarget(NeptunError):
    default_message = HOW_TO_CHOOSE


def _fail(server: NeptunLanguageServer, command: str, error: NeptunError) -> JsonRpcException:
    text = str(error)
    feedback.error(server, text)
    log.info("%s failed: %s", command, type(error).__name__)
    failure: JsonRpcException = JsonRpcServerError(  # type: ignore[no-untyped-call]
        text, NEPTUN_ERROR_CODE, data={"kind": type(error).__name__}
    )
    return failure


def _chat_file(file: ChatFile) -> dict[str, Any]:
    return file.model_dump(mode="json")


def _receipt_result(receipt: Receipt) -> dict[str, Any]:
    return {"chatFiles": [_chat_file(file) for file in receipt.created]}


def newest_first(chats: list[Chat]) -> list[Chat]:
    """Newest first by last activity; a stable sort keeps the server's order among equals."""

    def when(chat: Chat) -> float:
        moment = chat.updated_at or chat.created_at
        return moment.timestamp() if moment else 0.0

    return sorted(chats, key=when, reverse=True)


async def _target_for(server: NeptunLanguageServer, given: arguments.TargetArguments) -> Target:
    await server.settings_ready()
    remembered = server.memory.get(server.origin(), server.workspace_key())
    resolved = resolve(given.chat_id, given.message_id, remembered, server.settings)
    if resolved.target is None:
        raise NoTarget()
    return resolved.target


def _open_document(server: NeptunLanguageServer, uri: str) -> Document:
    if not is_open(server, uri):
        # Never fall back to the disk: the point is what the editor holds, unsaved edits too.
        raise JsonRpcInvalidParams(
            f"{unquote(uri)} is not open in the editor: open it first "
            "(neptun-lsp sends what the editor holds, not the file on disk)."
        )
    document = server.workspace.get_text_document(uri)
    return Document(uri=uri, text=document.source, language_id=document.language_id)


async def send_buffer(server: NeptunLanguageServer, raw: tuple[Any, ...]) -> dict[str, Any]:
    given = arguments.parse(SEND_BUFFER, raw, arguments.SendBufferArguments)
    document = _open_document(server, given.uri)
    try:
        target = await _target_for(server, given)
        file = capture(document)
        client = await server.api()
        async with feedback.progress(server, "Sending to Neptun") as progress:
            receipt = await send(
                client,
                target,
                [file],
                max_request_bytes=server.settings.max_request_bytes,
                progress=progress.report,
            )
        receipt = replace(
            receipt, target=await named_target(client, receipt.target, server.chat_names)
        )
    except NeptunError as error:
        raise _fail(server, SEND_BUFFER, error) from None
    server.memory.remember(server.origin(), server.workspace_key(), receipt.target)
    feedback.info(server, receipt.summary())
    return _receipt_result(receipt)


async def list_chats(server: NeptunLanguageServer, raw: tuple[Any, ...]) -> dict[str, Any]:
    arguments.parse(LIST_CHATS, raw, arguments.NoArguments)
    try:
        chats = await (await server.api()).list_chats()
    except NeptunError as error:
        raise _fail(server, LIST_CHATS, error) from None
    server.chat_names.update(chat_names(chats))
    return {
        "chats": [
            {
                "id": chat.id,
                "name": chat.name,
                "model": chat.model,
                "created_at": chat.created_at.isoformat() if chat.created_at else None,
                "updated_at": chat.updated_at.isoformat() if chat.updated_at else None,
            }
            for chat in newest_first(chats)
        ]
    }


async def list_messages(server: NeptunLanguageServer, raw: tuple[Any, ...]) -> dict[str, Any]:
    given = arguments.parse(LIST_MESSAGES, raw, arguments.ChatArguments)
    try:
        messages = await (await server.api()).list_messages(given.chat_id)
    except NeptunError as error:
        raise _fail(server, LIST_MESSAGES, error) from None
    return {
        "messages": [
            {
                "id": m.id,
                "actor": m.actor,
                "message": m.message,
                "created_at": m.created_at.isoformat() if m.created_at else None,
            }
            for m in messages
        ]
    }


async def create_message(server: NeptunLanguageServer, raw: tuple[Any, ...]) -> dict[str, Any]:
    given = arguments.parse(CREATE_MESSAGE, raw, arguments.CreateMessageArguments)
    try:
        message = await (await server.api()).create_message(given.chat_id, given.message)
    except NeptunError as error:
        raise _fail(server, CREATE_MESSAGE, error) from None
    return {"message": message.model_dump(mode="json")}


async def status(server: NeptunLanguageServer, raw: tuple[Any, ...]) -> dict[str, Any]:
    arguments.parse(STATUS, raw, arguments.NoArguments)
    await server.settings_ready()
    found = server.credentials()
    remembered = server.memory.get(server.origin(), server.workspace_key())
    return {
        "baseUrl": server.settings.base_url,
        "userId": server.settings.user_id or found.user_id,
        "signedIn": found.complete or (found.session is not None and bool(server.settings.user_id)),
        "credentialSource": found.source,
        "target": None
        if remembered is None
        else {
            "chatId": remembered.chat_id,
            "messageId": remembered.message_id,
            "chatName": remembered.chat_name,
        },
        "defaultTarget": None
        if server.settings.chat_id is None
        else {"chatId": server.settings.chat_id, "messageId": server.settings.message_id},
        "pending": 0,
        "settingsProblems": list(server.settings.problems),
    }


Handler = Callable[[NeptunLanguageServer, tuple[Any, ...]], Awaitable[dict[str, Any]]]
COMMANDS: dict[str, Handler] = {
    SEND_BUFFER: send_buffer,
    LIST_CHATS: list_chats,
    LIST_MESSAGES: list_messages,
    CREATE_MESSAGE: create_message,
    STATUS: status,
}


def register(server: NeptunLanguageServer) -> None:
    for name, handler in COMMANDS.items():
        server.command(name)(_bind(server, handler))


def _bind(server: NeptunLanguageServer, handler: Handler) -> Callable[..., Awaitable[Any]]:
    # *raw: pygls passes the JSON arguments unconverted; we validate them ourselves.
    async def run(*raw: Any) -> dict[str, Any]:
        return await handler(server, raw)

    return run
