"""`neptun-lsp demo`: the whole product on one machine, driven by a real LSP client.

A local Neptun server (temporary SQLite, ephemeral port, demo user) is started; `neptun-lsp`
runs over stdio under pygls's LanguageClient; a sample file is opened and edited without
saving; the code action "Send buffer to Neptun chat" is requested and run; the stored file is
read back through GET .../files. Exit code 0 only if the unsaved edit arrived exactly.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.protocol import LanguageServerProtocol

from neptun_lsp.api.client import NeptunClient
from neptun_lsp.local.serve import spawn

SAVED_TEXT = 'def greet(name: str) -> str:\n    return f"Hello, {name}!"\n'
STEP_TIMEOUT = 30.0


class _RawCodeActions(LanguageServerProtocol):
    """pygls 2.1's client mis-decodes the `Command | CodeAction` union of code-action answers;
    keep those answers as plain JSON."""

    def get_result_type(self, method: str) -> type[Any] | None:  # type: ignore[override]
        if method == types.TEXT_DOCUMENT_CODE_ACTION:
            return None
        return super().get_result_type(method)


class _DemoClient(LanguageClient):
    def __init__(self) -> None:
        super().__init__("neptun-lsp-demo", "1", protocol_cls=_RawCodeActions)
        self.shown: list[str] = []
        self.progress_kinds: list[str] = []

    async def start_io(self, cmd: str, *args: str, **kwargs: Any) -> None:
        await super().start_io(cmd, *args, **kwargs)
        # The server logs to stderr: drain it so a full pipe can never stall the server.
        stderr = self._server.stderr if self._server else None
        if stderr is not None:
            self._stderr_task = asyncio.ensure_future(_drain(stderr))


async def _drain(stream: asyncio.StreamReader) -> None:
    while await stream.readline():
        pass


def say(text: str) -> None:
    print(text, flush=True)


def _on(client: _DemoClient, method: str, handler: Callable[[Any], Any]) -> None:
    client.feature(method)(handler)


def _wire_client(client: _DemoClient) -> None:
    def on_message(params: types.ShowMessageParams) -> None:
        client.shown.append(params.message)
        say(f"  editor shows: {params.message}")

    def on_log(params: types.LogMessageParams) -> None:
        return None  # the same text arrives as showMessage

    def on_progress_create(params: types.WorkDoneProgressCreateParams) -> None:
        return None

    def on_progress(params: types.ProgressParams) -> None:
        value = params.value
        kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", "")
        title = value.get("title") or value.get("message") if isinstance(value, dict) else ""
        client.progress_kinds.append(str(kind))
        say(f"  progress {kind}{': ' + title if title else ''}")

    def on_configuration(params: types.ConfigurationParams) -> list[Any]:
        return [None for _ in params.items]

    _on(client, types.WINDOW_SHOW_MESSAGE, on_message)
    _on(client, types.WINDOW_LOG_MESSAGE, on_log)
    _on(client, types.WINDOW_WORK_DONE_PROGRESS_CREATE, on_progress_create)
    _on(client, types.PROGRESS, on_progress)
    _on(client, types.WORKSPACE_CONFIGURATION, on_configuration)


async def _drive(ready: dict[str, Any], workdir: Path) -> bool:
    async with NeptunClient(ready["url"]) as api:
        login = await api.login(ready["email"], ready["password"])
        say(f"Signed in as {ready['email']} (user {login.user.id}).")

        sample = workdir / "workspace" / "greet.py"
        sample.parent.mkdir()
        sample.write_text(SAVED_TEXT, encoding="utf-8")
        marker = f"# unsaved edit {uuid.uuid4().hex[:8]}: not on disk, only in the editor\n"
        buffer_text = SAVED_TEXT + marker

        client = _DemoClient()
        _wire_client(client)
        env = {
            **os.environ,
            "NEPTUN_BASE_URL": ready["url"],
            "NEPTUN_SESSION": login.session.get_secret_value(),
            "NEPTUN_USER_ID": str(login.user.id),
            "NEPTUN_CHAT_ID": str(ready["chat_id"]),
            "NEPTUN_MESSAGE_ID": str(ready["message_id"]),
            "NEPTUN_STATE_DIR": str(workdir / "state"),
            "NEPTUN_CONFIG_FILE": str(workdir / "config.toml"),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        }
        await client.start_io(sys.executable, "-m", "neptun_lsp", env=env)
        say("Started neptun-lsp over stdio.")
        try:
            await _edit_and_send(client, sample, buffer_text)
        finally:
            await asyncio.wait_for(client.shutdown_async(None), STEP_TIMEOUT)
            client.exit(None)
            await client.stop()  # type: ignore[no-untyped-call]

        stored = await api.list_files(ready["chat_id"])
        say(
            f"\nRead back through GET /api/users/{login.user.id}/chats/{ready['chat_id']}"
            f"/files: {len(stored)} file(s)"
        )
        for file in stored:
            say(
                f"--- id {file.id}: {file.title} (language {file.language}, "
                f"extension {file.extension}, message {file.chat_conversation_message_id})"
            )
            say(file.text.rstrip("\n"))
            say("---")
        arrived = any(file.text == buffer_text for file in stored)
        on_disk = sample.read_text(encoding="utf-8")
        return arrived and marker not in on_disk


async def _edit_and_send(client: _DemoClient, sample: Path, buffer_text: str) -> None:
    uri = sample.as_uri()
    await asyncio.wait_for(
        client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(
                    window=types.WindowClientCapabilities(work_done_progress=True),
                    workspace=types.WorkspaceClientCapabilities(configuration=True),
                ),
                root_uri=sample.parent.as_uri(),
                process_id=os.getpid(),
            )
        ),
        STEP_TIMEOUT,
    )
    client.initialized(types.InitializedParams())
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python", version=1, text=SAVED_TEXT
            )
        )
    )
    say(f"Opened {sample.name} and typed a line without saving.")
    end = types.Position(line=SAVED_TEXT.count("\n"), character=0)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=end, end=end), text=buffer_text[len(SAVED_TEXT) :]
                )
            ],
        )
    )
    answer: Any = await asyncio.wait_for(
        client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=types.Range(start=end, end=end),
                context=types.CodeActionContext(diagnostics=[]),
            )
        ),
        STEP_TIMEOUT,
    )
    actions: list[dict[str, Any]] = answer or []  # raw JSON: see _RawCodeActions
    say("Code actions offered: " + ", ".join(repr(a["title"]) for a in actions))
    action = next(a for a in actions if a["title"] == "Send buffer to Neptun chat")
    command = action["command"]
    say(f"Running {command['command']} {json.dumps(command['arguments'])}")
    await asyncio.wait_for(
        client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=command["command"], arguments=command["arguments"])
        ),
        STEP_TIMEOUT,
    )


def run() -> int:
    with tempfile.TemporaryDirectory(prefix="neptun-demo-") as temporary:
        workdir = Path(temporary)
        process, ready = spawn(workdir / "neptun.sqlite3")
        say(f"Local Neptun server on {ready['url']} (SQLite in a temporary directory).")
        try:
            ok = asyncio.run(_drive(ready, workdir))
        finally:
            process.terminate()
            process.wait(timeout=STEP_TIMEOUT)
    if ok:
        say(
            "\nDemo passed: the unsaved edit reached the chat, byte for byte; the file on "
            "disk was never changed."
        )
        return 0
    say("\nDemo FAILED: the stored text is not the editor's buffer.")
    return 1
