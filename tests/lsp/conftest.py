"""pytest-lsp sessions against `python -m neptun_lsp` over stdio, wired to a real local server.

Every session runs through tests/support/lsp_tee.py, which records all LSP traffic and the
server's stderr, so any test can check what crossed the wire.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.support.local_server import LocalServer

TEE = Path(__file__).parents[1] / "support" / "lsp_tee.py"
PRESETS = ["visual-studio-code", "neovim"]


@dataclass
class Session:
    client: LanguageClient
    record: Path
    env: dict[str, str] = field(repr=False)  # holds the session cookie
    closed: bool = False
    # window/showMessageRequest: what the server asked, and the answers to give, in order
    # (a title, None for dismissing, or an Exception to answer with an error).
    prompts: list[types.ShowMessageRequestParams] = field(default_factory=list)
    replies: list[str | Exception | None] = field(default_factory=list)

    def answer_prompt(
        self, params: types.ShowMessageRequestParams
    ) -> types.MessageActionItem | None:
        self.prompts.append(params)
        reply = self.replies.pop(0) if self.replies else None
        if isinstance(reply, Exception):
            raise reply
        return None if reply is None else types.MessageActionItem(title=reply)

    def shown(self) -> list[str]:
        """Everything shown to the user: showMessage texts and showMessageRequest questions."""
        return [m.message for m in self.client.messages] + [p.message for p in self.prompts]

    def traffic(self) -> str:
        return "\n".join(
            (self.record / name).read_bytes().decode("utf-8", "replace")
            for name in ("to_server.bin", "from_server.bin", "stderr.log")
        )

    def frames(self, direction: str) -> list[dict[str, Any]]:
        """Every JSON-RPC message recorded in one direction ("to_server" / "from_server")."""
        data = (self.record / f"{direction}.bin").read_bytes()
        messages = []
        while data:
            header, _, rest = data.partition(b"\r\n\r\n")
            length = next(
                int(line.split(b":")[1])
                for line in header.split(b"\r\n")
                if line.lower().startswith(b"content-length")
            )
            messages.append(json.loads(rest[:length]))
            data = rest[length:]
        return messages

    def raw_result(self, method: str) -> Any:
        """The raw JSON result of the last `method` request (bypassing the client's decoding)."""
        request_id = [
            m["id"] for m in self.frames("to_server") if m.get("method") == method and "id" in m
        ][-1]
        return next(
            m["result"]
            for m in self.frames("from_server")
            if m.get("id") == request_id and "method" not in m
        )

    async def close(self) -> None:
        """shutdown + exit, once; afterwards the record holds the whole session."""
        if not self.closed:
            self.closed = True
            try:
                await self.client.shutdown_session()
            finally:
                await self.client.stop()  # type: ignore[no-untyped-call]

    async def open(
        self, uri: str, text: str, language_id: str = "python", version: int = 1
    ) -> None:
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id=language_id, version=version, text=text
                )
            )
        )

    async def execute(self, command: str, *arguments: Any) -> Any:
        return await self.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=command, arguments=list(arguments))
        )


Starter = Callable[..., Awaitable[Session]]


def vscode_capabilities(
    *,
    show_message: bool = True,
    show_document: bool = True,
    configuration: bool = True,
    encodings: list[str] | None = None,
) -> types.ClientCapabilities:
    """VS Code's capabilities with some taken away, to stand for other clients."""
    capabilities = client_capabilities("visual-studio-code")
    assert capabilities.window is not None
    assert capabilities.workspace is not None
    if not show_message:
        capabilities.window.show_message = None
    if not show_document:
        capabilities.window.show_document = None
    capabilities.workspace.configuration = configuration
    if encodings is not None:
        capabilities.general = types.GeneralClientCapabilities(position_encodings=encodings)
    return capabilities


def server_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEPTUN_")}
    env.update(
        NEPTUN_STATE_DIR=str(tmp_path / "state"),
        NEPTUN_CONFIG_FILE=str(tmp_path / "config" / "config.toml"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def session_cookie(local_server: LocalServer) -> str:
    return local_server.login_session()


@pytest.fixture
async def start_lsp(
    tmp_path: Path, local_server: LocalServer, session_cookie: str
) -> AsyncIterator[Starter]:
    started: list[Session] = []

    async def start(
        preset: str = "visual-studio-code",
        *,
        env: dict[str, str] | None = None,
        signed_in: bool = True,
        configuration: dict[str, Any] | None = None,
        initialization_options: Any = None,
        server_args: list[str] | None = None,
        capabilities: types.ClientCapabilities | None = None,
    ) -> Session:
        base = {"NEPTUN_BASE_URL": local_server.url}
        if signed_in:
            base |= {"NEPTUN_SESSION": session_cookie, "NEPTUN_USER_ID": str(local_server.user_id)}
        record = tmp_path / f"lsp-{len(started)}"
        environment = server_env(tmp_path, **(base | (env or {})))
        config = ClientServerConfig(
            server_command=[
                sys.executable,
                str(TEE),
                str(record),
                "--",
                sys.executable,
                "-m",
                "neptun_lsp",
                *(server_args or []),
            ],
            server_env=environment,
        )
        client = await config.start()
        assert isinstance(client, LanguageClient)
        session = Session(client=client, record=record, env=environment)

        def on_prompt(params: types.ShowMessageRequestParams) -> types.MessageActionItem | None:
            return session.answer_prompt(params)

        client.feature(types.WINDOW_SHOW_MESSAGE_REQUEST)(on_prompt)
        if configuration is not None:
            client.set_configuration(configuration)
        await client.initialize_session(
            types.InitializeParams(
                capabilities=capabilities or client_capabilities(preset),
                root_uri=tmp_path.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="ws")],
                initialization_options=initialization_options,
            )
        )
        started.append(session)
        return session

    yield start
    for session in started:
        await session.close()
