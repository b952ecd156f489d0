"""Code actions: answered from memory, with no I/O, on every document the server has open."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import unquote

from lsprotocol import types

from neptun_lsp.lsp.server import NeptunLanguageServer

SEND_BUFFER = "neptun.sendBuffer"
SEND_BUFFER_TITLE = "Send buffer to Neptun chat"
SEND_BUFFER_KIND = "source.neptun.sendBuffer"
SEND_SELECTION = "neptun.sendSelection"
SEND_SELECTION_TITLE = "Send selection to Neptun chat"
SEND_SELECTION_KIND = "source.neptun.sendSelection"
KINDS = [SEND_BUFFER_KIND, SEND_SELECTION_KIND]


def kind_requested(kind: str, only: Sequence[str] | None) -> bool:
    """LSP kinds are hierarchical: asking for `source` includes `source.neptun.sendBuffer`."""
    if not only:
        return True
    return any(kind == wanted or kind.startswith(wanted + ".") for wanted in only)


def is_open(server: NeptunLanguageServer, uri: str) -> bool:
    # pygls keys open documents by the unquoted URI.
    return unquote(uri) in server.workspace.text_documents


def is_empty(selection: types.Range) -> bool:
    return selection.start == selection.end


def _position(position: types.Position) -> dict[str, int]:
    return {"line": position.line, "character": position.character}


def _action(title: str, kind: str, command: str, argument: object) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=kind,
        command=types.Command(title=title, command=command, arguments=[argument]),
    )


def code_actions(
    server: NeptunLanguageServer, params: types.CodeActionParams
) -> list[types.CodeAction]:
    uri = params.text_document.uri
    if not is_open(server, uri):
        return []
    only = params.context.only
    actions = []
    if kind_requested(SEND_BUFFER_KIND, only):
        actions.append(_action(SEND_BUFFER_TITLE, SEND_BUFFER_KIND, SEND_BUFFER, {"uri": uri}))
    if not is_empty(params.range) and kind_requested(SEND_SELECTION_KIND, only):
        selection = {"start": _position(params.range.start), "end": _position(params.range.end)}
        actions.append(
            _action(
                SEND_SELECTION_TITLE,
                SEND_SELECTION_KIND,
                SEND_SELECTION,
                {"uri": uri, "range": selection},
            )
        )
    return actions


def register(server: NeptunLanguageServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=KINDS, resolve_provider=False),
    )
    def on_code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
        return code_actions(server, params)
