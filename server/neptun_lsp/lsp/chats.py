"""The commands that read or create chats and messages, and `neptun.status`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from neptun_lsp.api.errors import NeptunError
from neptun_lsp.lsp import arguments
from neptun_lsp.lsp.failures import reported
from neptun_lsp.lsp.server import NeptunLanguageServer
from neptun_lsp.sender import chat_names, newest_first

LIST_CHATS = "neptun.listChats"
LIST_MESSAGES = "neptun.listMessages"
CREATE_MESSAGE = "neptun.createMessage"
STATUS = "neptun.status"


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


async def list_chats(server: NeptunLanguageServer, raw: Sequence[Any]) -> dict[str, Any]:
    arguments.parse(LIST_CHATS, raw, arguments.NoArguments)
    try:
        chats = await (await server.api()).list_chats()
    except NeptunError as error:
        raise reported(server, LIST_CHATS, error) from None
    server.chat_names.update(chat_names(chats))
    return {
        "chats": [
            {
                "id": chat.id,
                "name": chat.name,
                "model": chat.model,
                "created_at": _iso(chat.created_at),
                "updated_at": _iso(chat.updated_at),
            }
            for chat in newest_first(chats)
        ]
    }


async def list_messages(server: NeptunLanguageServer, raw: Sequence[Any]) -> dict[str, Any]:
    given = arguments.parse(LIST_MESSAGES, raw, arguments.ChatArguments)
    try:
        messages = await (await server.api()).list_messages(given.chat_id)
    except NeptunError as error:
        raise reported(server, LIST_MESSAGES, error) from None
    return {
        "messages": [
            {"id": m.id, "actor": m.actor, "message": m.message, "created_at": _iso(m.created_at)}
            for m in messages
        ]
    }


async def create_message(server: NeptunLanguageServer, raw: Sequence[Any]) -> dict[str, Any]:
    given = arguments.parse(CREATE_MESSAGE, raw, arguments.CreateMessageArguments)
    try:
        message = await (await server.api()).create_message(given.chat_id, given.message)
    except NeptunError as error:
        raise reported(server, CREATE_MESSAGE, error) from None
    return {"message": message.model_dump(mode="json")}


async def status(server: NeptunLanguageServer, raw: Sequence[Any]) -> dict[str, Any]:
    arguments.parse(STATUS, raw, arguments.NoArguments)
    await server.settings_ready()
    found = server.credentials()
    remembered = server.memory.get(server.origin(), server.workspace_key())
    user_id = server.settings.user_id or found.user_id
    return {
        "baseUrl": server.settings.base_url,
        "userId": user_id,
        "signedIn": found.session is not None and user_id is not None,
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
        "settingsProblems": list(server.settings.problems),
    }
