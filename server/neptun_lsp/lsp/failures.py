"""How a failed command reaches the user and the caller, in one place.

The user sees one sentence (window/showMessage, error) saying what happened and what to do;
the caller gets a JSON-RPC error with `data.kind` naming the error class (e.g. "Unauthorized",
so the VS Code extension can offer "Sign In" without parsing text).
"""

from __future__ import annotations

import logging

from pygls.exceptions import JsonRpcException, JsonRpcServerError

from neptun_lsp.api.errors import NeptunError
from neptun_lsp.lsp import feedback
from neptun_lsp.lsp.server import NeptunLanguageServer
from neptun_lsp.targets import HOW_TO_CHOOSE

log = logging.getLogger(__name__)
NEPTUN_ERROR_CODE = -32001


class NoTarget(NeptunError):
    default_message = HOW_TO_CHOOSE


def reported(server: NeptunLanguageServer, command: str, error: NeptunError) -> JsonRpcException:
    text = str(error)
    feedback.error(server, text)
    log.info("%s failed: %s", command, type(error).__name__)
    failure: JsonRpcException = JsonRpcServerError(  # type: ignore[no-untyped-call]
        text, NEPTUN_ERROR_CODE, data={"kind": type(error).__name__}
    )
    return failure
