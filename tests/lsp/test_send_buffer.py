"""Send buffer to Neptun chat, end to end: pytest-lsp client -> neptun-lsp over stdio -> real
HTTP -> the local server's SQLite, read back through GET .../files."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from lsprotocol import types

from tests.lsp.conftest import PRESETS, Session, Starter
from tests.support.local_server import LocalServer


def stored_files(server: LocalServer, cookie: str, chat_id: int | None = None) -> list[Any]:
    response = httpx.get(
        f"{server.url}/api/users/{server.user_id}/chats/{chat_id or server.chat_id}/files",
        headers={"Cookie": f"neptun-session={cookie}"},
    )
    response.raise_for_status()
    files: list[Any] = response.json()["chatFiles"]
    return files


def target(server: LocalServer) -> dict[str, int]:
    return {"chatId": server.chat_id, "messageId": server.message_id}


async def wait_for_message(session: Session, words: str, timeout: float = 10) -> str:
    """The first showMessage containing `words` (polls the captured list, never sleeps long)."""

    async def poll() -> str:
        while True:
            for message in session.shown():
                if words in message:
                    return message
            await asyncio.sleep(0.02)

    return await asyncio.wait_for(poll(), timeout)


async def code_actions(session: Session, uri: str, only: list[str] | None = None) -> list[Any]:
    """Raw JSON of the answer: pygls's client mis-decodes the Command | CodeAction union."""
    await session.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(
                start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
            ),
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
    )
    actions: list[Any] = session.raw_result("textDocument/codeAction") or []
    return actions


@pytest.mark.parametrize("preset", PRESETS)
async def test_action_is_offered_and_honours_only(
    start_lsp: Starter, tmp_path: Path, preset: str
) -> None:
    session = await start_lsp(preset)
    uri = (tmp_path / "a.py").as_uri()
    await session.open(uri, "x = 1\n")
    actions = await code_actions(session, uri)
    assert [(a["title"], a["kind"]) for a in actions] == [
        ("Send buffer to Neptun chat", "source.neptun.sendBuffer")
    ]
    assert actions[0]["command"] == {
        "title": "Send buffer to Neptun chat",
        "command": "neptun.sendBuffer",
        "arguments": [{"uri": uri}],
    }
    for only, offered in (
        (["source"], True),
        (["source.neptun"], True),
        (["source.neptun.sendBuffer"], True),
        (["quickfix"], False),
        (["source.organizeImports"], False),
        (["refactor"], False),
    ):
        assert bool(await code_actions(session, uri, only)) is offered, only
    assert await code_actions(session, (tmp_path / "not-open.py").as_uri()) == []


@pytest.mark.parametrize("preset", PRESETS)
async def test_send_buffer_stores_the_unsaved_text(
    start_lsp: Starter,
    local_server: LocalServer,
    session_cookie: str,
    tmp_path: Path,
    preset: str,
) -> None:
    session = await start_lsp(preset)
    path = tmp_path / "module.py"
    path.write_text("saved = True\n")
    uri = path.as_uri()
    await session.open(uri, "saved = True\n")
    session.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=1, character=0),
                        end=types.Position(line=1, character=0),
                    ),
                    text=f"unsaved = '{preset} ü 😀'\n",
                )
            ],
        )
    )
    result = await session.execute("neptun.sendBuffer", {"uri": uri, **target(local_server)})
    expected = f"saved = True\nunsaved = '{preset} ü 😀'\n"
    created = result["chatFiles"]
    assert [(f["title"], f["language"], f["extension"], f["text"]) for f in created] == [
        ("module.py", "python", "py", expected)
    ]
    stored = {f["id"]: f for f in stored_files(local_server, session_cookie)}
    assert stored[created[0]["id"]]["text"] == expected
    assert path.read_text() == "saved = True\n"  # the disk was never the source, nor touched
    message = await wait_for_message(session, "Sent module.py")
    assert f"chat {local_server.chat_id}" in message
    assert f"message {local_server.message_id}" in message


async def test_progress_begins_and_always_ends(
    start_lsp: Starter, local_server: LocalServer, tmp_path: Path
) -> None:
    session = await start_lsp("visual-studio-code")
    uri = (tmp_path / "p.py").as_uri()
    await session.open(uri, "p = 1\n")
    await session.execute("neptun.sendBuffer", {"uri": uri, **target(local_server)})
    with pytest.raises(Exception, match="not found"):
        await session.execute("neptun.sendBuffer", {"uri": uri, "chatId": 999_999, "messageId": 1})
    reports = list(session.client.progress_reports.values())
    assert len(reports) == 2  # a fresh token per send
    for report in reports:
        assert isinstance(report[0], types.WorkDoneProgressBegin)
        assert isinstance(report[-1], types.WorkDoneProgressEnd)


async def test_untitled_buffer(start_lsp: Starter, local_server: LocalServer) -> None:
    session = await start_lsp()
    await session.open("untitled:Untitled-1", "fn main() {}\n", language_id="rust")
    result = await session.execute(
        "neptun.sendBuffer", {"uri": "untitled:Untitled-1", **target(local_server)}
    )
    file = result["chatFiles"][0]
    assert (file["title"], file["language"], file["extension"]) == ("Untitled-1.rs", "rust", "rs")


LANGUAGE_CASES = [
    # (language id the editor sends, buffer name, stored language, stored extension, title)
    ("python", "untitled:Untitled-1", "python", "py", "Untitled-1.py"),
    ("typescriptreact", "untitled:Untitled-2", "typescriptreact", "tsx", "Untitled-2.tsx"),
    ("javascript", "untitled:Untitled-3", "javascript", "js", "Untitled-3.js"),
    ("go", "untitled:Untitled-4", "go", "go", "Untitled-4.go"),
    ("shellscript", "untitled:Untitled-5", "shellscript", "sh", "Untitled-5.sh"),
    ("sh", "untitled:Untitled-6", "shellscript", "sh", "Untitled-6.sh"),  # Neovim's filetype
    ("csharp", "untitled:Untitled-7", "csharp", "cs", "Untitled-7.cs"),
    ("cpp", "untitled:Untitled-8", "cpp", "cpp", "Untitled-8.cpp"),
    ("markdown", "untitled:Untitled-9", "markdown", "md", "Untitled-9.md"),
    ("yaml", "untitled:Untitled-10", "yaml", "yaml", "Untitled-10.yaml"),
    ("plaintext", "untitled:Untitled-11", "plaintext", "txt", "Untitled-11.txt"),
    ("makefile", "file:///work/Makefile", "makefile", "mk", "Makefile"),
    ("dockerfile", "file:///work/Dockerfile", "dockerfile", "dockerfile", "Dockerfile"),
    ("shellscript", "file:///home/u/.bashrc", "shellscript", "sh", ".bashrc"),
    ("", "file:///work/lib.rs", "rust", "rs", "lib.rs"),  # nvim -u NONE sends ""
    ("python", "file:///work/My%20Script.py", "python", "py", "My Script.py"),
]


async def test_language_ids_to_extensions(start_lsp: Starter, local_server: LocalServer) -> None:
    session = await start_lsp()
    seen = []
    for language_id, uri, *_ in LANGUAGE_CASES:
        await session.open(uri, f"// {uri}\n", language_id=language_id)
        result = await session.execute("neptun.sendBuffer", {"uri": uri, **target(local_server)})
        file = result["chatFiles"][0]
        seen.append((language_id, uri, file["language"], file["extension"], file["title"]))
    assert seen == [tuple(case) for case in LANGUAGE_CASES]


async def test_chat_and_message_commands(start_lsp: Starter, local_server: LocalServer) -> None:
    session = await start_lsp()
    chats = (await session.execute("neptun.listChats", {}))["chats"]
    assert chats[0].keys() >= {"id", "name", "model", "created_at", "updated_at"}
    assert local_server.chat_id in [chat["id"] for chat in chats]
    created = await session.execute(
        "neptun.createMessage", {"chatId": local_server.chat_id, "message": "see attached"}
    )
    assert created["message"]["message"] == "see attached"
    messages = (await session.execute("neptun.listMessages", {"chatId": local_server.chat_id}))[
        "messages"
    ]
    assert messages[-1] == {
        "id": created["message"]["id"],
        "actor": "user",
        "message": "see attached",
        "created_at": messages[-1]["created_at"],
    }


async def test_status_reports_without_the_cookie(
    start_lsp: Starter, local_server: LocalServer, session_cookie: str
) -> None:
    session = await start_lsp()
    status = await session.execute("neptun.status")
    assert status["baseUrl"] == local_server.url
    assert status["userId"] == local_server.user_id
    assert status["signedIn"] is True
    assert status["credentialSource"] == "environment"
    assert session_cookie not in json.dumps(status)
