"""Code actions: answered from memory, with no I/O, on every document the server has open."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import unquote

from lsprotocol import types

from neptun_lsp.lsp.server import NeptunLanguageServer

SEND_BUFFER = "neptun.sendBuffer"
SEND_BUFFER_TITLE = "Send buffer to Neptun chat"
SEND_BUFFER_KIND = "source.neptun.sendBuffer"
KINDS = [SEND_BUFFER_KIND]


def kind_requested(kind: str, only: Sequence[str] | None) -> bool:
    """LSP kinds are hierarchical: asking for `source` includes `source.neptun.sendBuffer`."""
    if not only:
        return True
    return any(kind == wanted or kind.startswith(wanted + ".") for wanted in only)


def is_open(server: NeptunLanguageServer, uri: str) -> bool:
    # pygls keys open documents by the unquoted URI.
    return unquote(uri) in server.workspace.text_documents


def code_actions(
    server: NeptunLanguageServer, params: types.CodeActionParams
) -> list[types.CodeAction]:
    uri = params.text_document.uri
    if not is_open(server, uri) or not kind_requested(SEND_BUFFER_KIND, params.context.only):
        return []
    return [
        types.CodeAction(
            title=SEND_BUFFER_TITLE,
            kind=SEND_BUFFER_KIND,
            command=types.Command(
                title=SEND_BUFFER_TITLE, command=SEND_BUFFER, arguments=[{"uri": uri}]
            ),
        )
    ]


def register(server: NeptunLanguageServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=KINDS, resolve_provider=False),
    )
    def on_code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
        return code_actions(server, params)
