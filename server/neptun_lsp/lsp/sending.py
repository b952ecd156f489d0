"""The send commands: buffer, selection, several files, every open document, and choosing a
target. Each gathers FileInputs (from the editor's memory, or text files from disk), then
goes through one path: early checks, target (arguments > remembered > settings > prompt),
progress, sender, receipt."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.uris import to_fs_path

from neptun_lsp import guard
from neptun_lsp.api.client import NeptunClient
from neptun_lsp.api.errors import NeptunError
from neptun_lsp.api.models import FileInput
from neptun_lsp.capture import Document, capture, name_from_uri
from neptun_lsp.disk import read_text_file
from neptun_lsp.lsp import arguments, feedback, prompts
from neptun_lsp.lsp.actions import SEND_BUFFER, SEND_SELECTION, is_empty, is_open
from neptun_lsp.lsp.failures import NoTarget, reported
from neptun_lsp.lsp.server import NeptunLanguageServer
from neptun_lsp.sender import Receipt, named_target, send
from neptun_lsp.targets import Target, resolve

log = logging.getLogger(__name__)

SEND_FILES = "neptun.sendFiles"
SEND_OPEN_DOCUMENTS = "neptun.sendOpenDocuments"
CHOOSE_TARGET = "neptun.chooseTarget"
OPEN_CHAT = "Open chat"
OFFER_TIMEOUT = 120.0


# ---- gathering files ---------------------------------------------------------------------


def _open_document(server: NeptunLanguageServer, uri: str) -> Document:
    if not is_open(server, uri):
        # Never fall back to the disk: the point is what the editor holds, unsaved edits too.
        raise JsonRpcInvalidParams(
            f"{unquote(uri)} is not open in the editor: open it first "
            "(neptun-lsp sends what the editor holds, not the file on disk)."
        )
    document = server.workspace.get_text_document(uri)
    return Document(uri=uri, text=document.source, language_id=document.language_id)


def _line_range_title(uri: str, selection: arguments.Range) -> str:
    """`parser.py#L10-42`: 1-based and inclusive; a selection ending at column 0 of a line
    does not include that line (what editors do when whole lines are selected)."""
    first = selection.start.line
    last = selection.end.line
    if selection.end.character == 0 and last > first:
        last -= 1
    lines = f"L{first + 1}" if last == first else f"L{first + 1}-{last + 1}"
    return f"{name_from_uri(uri)}#{lines}"


def _selection(server: NeptunLanguageServer, uri: str, selection: arguments.Range) -> FileInput:
    document = _open_document(server, uri)
    text_document = server.workspace.get_text_document(uri)
    lsp_range = types.Range(
        start=types.Position(line=selection.start.line, character=selection.start.character),
        end=types.Position(line=selection.end.line, character=selection.end.character),
    )
    if is_empty(lsp_range):
        raise JsonRpcInvalidParams(
            "The selection is empty: select some text first, or use Send buffer to Neptun chat."
        )
    # pygls converts positions with the encoding negotiated at initialize (UTF-16 default).
    start = text_document.offset_at_position(lsp_range.start)
    end = text_document.offset_at_position(lsp_range.end)
    return capture(
        replace(document, text=document.text[start:end]), title=_line_range_title(uri, selection)
    )


def _file_from(server: NeptunLanguageServer, uri: str) -> FileInput:
    """An open document from memory; another `file:` URI from disk (text only)."""
    if is_open(server, uri):
        return capture(_open_document(server, uri))
    if urlsplit(uri).scheme != "file":
        raise JsonRpcInvalidParams(f"{uri} is not open in the editor and is not a file: URI.")
    path = Path(to_fs_path(uri) or unquote(urlsplit(uri).path))
    return capture(Document(uri=uri, text=read_text_file(path), language_id=None))


# ---- the one path ------------------------------------------------------------------------


async def _target(
    server: NeptunLanguageServer, client: NeptunClient, given: arguments.TargetArguments
) -> Target | None:
    """Arguments > remembered > settings > prompt. None: the user dismissed the prompt."""
    remembered = server.memory.get(server.origin(), server.workspace_key())
    resolved = resolve(given.chat_id, given.message_id, remembered, server.settings)
    if resolved.target is not None:
        return resolved.target
    return await _prompted(server, client)


async def _prompted(server: NeptunLanguageServer, client: NeptunClient) -> Target | None:
    if not prompts.can_prompt(server):
        raise NoTarget()
    try:
        choice = await prompts.choose_target(server, client)
    except prompts.NoChats:
        raise NeptunError(
            "You have no Neptun chats yet.",
            hint="Start a chat in the Neptun web app, then send again.",
        ) from None
    if choice.target is not None:
        server.memory.remember(server.origin(), server.workspace_key(), choice.target)
    return choice.target


async def deliver(
    server: NeptunLanguageServer,
    command: str,
    given: arguments.TargetArguments,
    gather: Callable[[], list[FileInput]],
) -> dict[str, Any]:
    """`gather()` builds the files (it may raise a refusal naming a file: nothing is sent)."""
    await server.settings_ready()
    try:
        files = gather()
        guard.check(files, server.settings.max_request_bytes)  # refuse before any prompt
        client = await server.api()
        target = await _target(server, client, given)
        if target is None:
            feedback.info(server, "Nothing was sent: no chat was chosen.")
            return {"chatFiles": [], "cancelled": True}
        async with feedback.progress(server, "Sending to Neptun") as progress:
            receipt = await send(
                client,
                target,
                files,
                max_request_bytes=server.settings.max_request_bytes,
                progress=progress.report,
            )
        receipt = replace(
            receipt, target=await named_target(client, receipt.target, server.chat_names)
        )
    except NeptunError as error:
        raise reported(server, command, error) from None
    server.memory.remember(server.origin(), server.workspace_key(), receipt.target)
    announce(server, receipt)
    return {"chatFiles": [file.model_dump(mode="json") for file in receipt.created]}


# ---- the receipt, and "Open chat" --------------------------------------------------------


def _can_open_documents(server: NeptunLanguageServer) -> bool:
    window = server.client_capabilities.window
    return bool(window and window.show_document and window.show_document.support)


def announce(server: NeptunLanguageServer, receipt: Receipt) -> None:
    """The receipt; where the client can open a browser, with an "Open chat" button. The
    command has already returned by the time anyone answers: never hold a send hostage."""
    text = receipt.summary()
    if not (_can_open_documents(server) and prompts.can_prompt(server)):
        feedback.info(server, text)
        return
    server.window_log_message(types.LogMessageParams(type=types.MessageType.Info, message=text))
    url = server.settings.chat_url_for(receipt.target.chat_id)
    server.background(_offer_open_chat(server, text, url))


async def _offer_open_chat(server: NeptunLanguageServer, text: str, url: str) -> None:
    try:
        answer = await asyncio.wait_for(
            server.window_show_message_request_async(
                types.ShowMessageRequestParams(
                    type=types.MessageType.Info,
                    message=text,
                    actions=[types.MessageActionItem(title=OPEN_CHAT)],
                )
            ),
            OFFER_TIMEOUT,
        )
    except asyncio.TimeoutError:
        return
    except Exception:
        server.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Info, message=text)
        )
        return
    if getattr(answer, "title", None) != OPEN_CHAT:
        return
    shown = await feedback.ask_client(
        server.window_show_document_async(types.ShowDocumentParams(uri=url, external=True)),
        "window/showDocument",
    )
    if not getattr(shown, "success", False):
        feedback.warning(server, f"The editor could not open {url}: open it in a browser.")


# ---- the commands ------------------------------------------------------------------------


async def send_buffer(server: NeptunLanguageServer, raw: Sequence[Any]) -> dict[str, Any]:
    given = arguments.parse(SEND_BUFFER, raw, arguments.SendBufferArguments)
    if given.range is not None:
        selection = given.range
        return await deliver(
            server, SEND_BUFFER, given, lambda: [_selection(server, given.uri, selection)]
        )
    return await deliver(
        server, SEND_BUFFER, given, lambda: [capture(_open_document(server, given.uri))]
    )


async def send_selection(server: NeptunLanguageServer, raw: Sequence[Any]) -> dict[str, Any]:
    given = arguments.parse(SEND_SELECTION, raw, arguments.SendSelectionArguments)
    return await deliver(
        server, SEND_SELECTION, given, lambda: [_selection(server, given.uri, given.range)]
    )


async def send_files(server: NeptunLanguageServer, raw: Sequence[Any]) -> dict[str, Any]:
    given = arguments.parse(SEND_FILES, raw, arguments.SendFilesArguments)
    return await deliver(
        server, SEND_FILES, given, lambda: [_file_from(server, uri) for uri in given.uris]
    )


async def send_open_documents(server: NeptunLanguageServer, raw: Sequence[Any]) -> dict[str, Any]:
    given = arguments.parse(SEND_OPEN_DOCUMENTS, raw, arguments.TargetArguments)

    def gather() -> list[FileInput]:
        uris = sorted(server.workspace.text_documents)
        if not uris:
            raise NeptunError("No documents are open in the editor.", hint="Open one first.")
        return [capture(_open_document(server, uri)) for uri in uris]

    return await deliver(server, SEND_OPEN_DOCUMENTS, given, gather)


async def choose_target(server: NeptunLanguageServer, raw: Sequence[Any]) -> dict[str, Any]:
    arguments.parse(CHOOSE_TARGET, raw, arguments.NoArguments)
    try:
        target = await _prompted(server, await server.api())
    except NeptunError as error:
        raise reported(server, CHOOSE_TARGET, error) from None
    if target is None:
        feedback.info(server, "The Neptun target was not changed.")
        return {"cancelled": True}
    feedback.info(server, f"Files will go to {target.describe()}.")
    return {"chatId": target.chat_id, "messageId": target.message_id}
