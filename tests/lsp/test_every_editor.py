"""What editors without the VS Code extension rely on: prompts over showMessageRequest,
selections in every position encoding, several files, and "Open chat"."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInternalError

from tests.lsp.conftest import Session, Starter, vscode_capabilities
from tests.lsp.test_send_buffer import code_actions, stored_files, target, wait_for_message
from tests.support.local_server import LocalServer

DEMO_CHAT = "Project Discussion"
DEMO_MESSAGE = "user: Here is the code I am working on."


async def open_sample(
    session: Session, tmp_path: Path, name: str = "s.py", text: str = "s = 1\n"
) -> str:
    uri = (tmp_path / name).as_uri()
    await session.open(uri, text)
    return uri


# ---- prompts -----------------------------------------------------------------------------


async def test_prompt_flow_then_the_choice_is_remembered(
    start_lsp: Starter, fresh_server: LocalServer, tmp_path: Path
) -> None:
    session = await start_lsp(
        env={
            "NEPTUN_BASE_URL": fresh_server.url,
            "NEPTUN_SESSION": fresh_server.login_session(),
            "NEPTUN_USER_ID": str(fresh_server.user_id),
        }
    )
    uri = await open_sample(session, tmp_path)
    session.replies += [DEMO_CHAT, DEMO_MESSAGE]
    result = await session.execute("neptun.sendBuffer", {"uri": uri})
    created = result["chatFiles"][0]
    assert (created["chat_conversation_id"], created["chat_conversation_message_id"]) == (
        fresh_server.chat_id,
        fresh_server.message_id,
    )
    chat_prompt, message_prompt = session.prompts[:2]
    assert chat_prompt.message == "Send to which Neptun chat?"
    assert [a.title for a in chat_prompt.actions or []] == [DEMO_CHAT]
    assert message_prompt.message == f"Attach to which message in “{DEMO_CHAT}”?"
    assert [a.title for a in message_prompt.actions or []] == [DEMO_MESSAGE, "New message"]

    asked = len(session.prompts)
    await session.execute("neptun.sendBuffer", {"uri": uri})  # remembered: no new question
    assert not [p for p in session.prompts[asked:] if p.message.startswith(("Send to", "Attach"))]
    status = await session.execute("neptun.status")
    assert status["target"] == {
        "chatId": fresh_server.chat_id,
        "messageId": fresh_server.message_id,
        "chatName": DEMO_CHAT,
    }


@pytest.mark.parametrize(
    "replies",
    [
        pytest.param([None], id="chat-dismissed"),
        pytest.param([DEMO_CHAT, None], id="message-dismissed"),
        pytest.param(["No such chat"], id="unknown-title"),
        pytest.param([""], id="empty-title"),
        pytest.param([JsonRpcInternalError("no input")], id="client-error"),
    ],
)
async def test_a_dismissed_prompt_cancels_cleanly(
    start_lsp: Starter,
    local_server: LocalServer,
    session_cookie: str,
    tmp_path: Path,
    replies: list[Any],
) -> None:
    session = await start_lsp()
    uri = await open_sample(session, tmp_path)
    before = len(stored_files(local_server, session_cookie))
    session.replies += replies
    result = await session.execute("neptun.sendBuffer", {"uri": uri})
    assert result == {"chatFiles": [], "cancelled": True}
    await wait_for_message(session, "Nothing was sent: no chat was chosen.")
    assert len(stored_files(local_server, session_cookie)) == before
    assert (await session.execute("neptun.status"))["target"] is None


async def test_new_message_and_the_eight_newest_chats(
    start_lsp: Starter, fresh_server: LocalServer, tmp_path: Path
) -> None:
    cookie = fresh_server.login_session()
    made = [fresh_server.new_chat(cookie, f"Chat {n}", f"m{n}") for n in range(9)]
    fresh_server.new_chat(cookie, "Chat 8", "same name as the one before")
    session = await start_lsp(
        env={
            "NEPTUN_BASE_URL": fresh_server.url,
            "NEPTUN_SESSION": cookie,
            "NEPTUN_USER_ID": str(fresh_server.user_id),
        }
    )
    uri = await open_sample(session, tmp_path)
    session.replies += ["Chat 7", "New message"]
    result = await session.execute("neptun.sendBuffer", {"uri": uri})
    titles = [a.title for a in session.prompts[0].actions or []]
    assert len(titles) == 8
    assert [t.split(" (#")[0] for t in titles[:2]] == ["Chat 8", "Chat 8"]  # made unique
    assert "Chat 0" not in titles  # older than the eight newest
    file = result["chatFiles"][0]
    assert file["chat_conversation_id"] == made[7][0]
    assert file["chat_conversation_message_id"] != made[7][1]  # a new message was made for it


async def test_without_prompt_support_the_error_says_how(
    start_lsp: Starter, tmp_path: Path
) -> None:
    session = await start_lsp(capabilities=vscode_capabilities(show_message=False))
    uri = await open_sample(session, tmp_path)
    with pytest.raises(JsonRpcException, match="No Neptun chat and message chosen"):
        await session.execute("neptun.sendBuffer", {"uri": uri})
    assert session.prompts == []


async def test_the_prompt_setting_overrides_the_capability(
    start_lsp: Starter, local_server: LocalServer, tmp_path: Path
) -> None:
    # eglot 1.9 answers showMessageRequest but declares no window capabilities.
    session = await start_lsp(
        capabilities=vscode_capabilities(show_message=False),
        configuration={"neptun": {"prompt": True}},
    )
    uri = await open_sample(session, tmp_path)
    session.replies += [DEMO_CHAT, DEMO_MESSAGE]
    result = await session.execute("neptun.sendBuffer", {"uri": uri})
    assert result["chatFiles"][0]["chat_conversation_id"] == local_server.chat_id


async def test_choose_target_prompts_without_sending(
    start_lsp: Starter, local_server: LocalServer, session_cookie: str, tmp_path: Path
) -> None:
    session = await start_lsp()
    before = len(stored_files(local_server, session_cookie))
    session.replies += [DEMO_CHAT, DEMO_MESSAGE]
    chosen = await session.execute("neptun.chooseTarget", {})
    assert chosen == {"chatId": local_server.chat_id, "messageId": local_server.message_id}
    assert len(stored_files(local_server, session_cookie)) == before
    await wait_for_message(session, f"Files will go to “{DEMO_CHAT}”")
    uri = await open_sample(session, tmp_path)
    result = await session.execute("neptun.sendBuffer", {"uri": uri})  # no prompt now
    assert result["chatFiles"][0]["chat_conversation_id"] == local_server.chat_id
    session.replies += [None]
    assert await session.execute("neptun.chooseTarget") == {"cancelled": True}


# ---- selections ------------------------------------------------------------------------------

ASTRAL = "a😀b𠀋c = 1\nsecond ü line\nthird\n"


@pytest.mark.parametrize(
    ("encoding", "start", "end"),
    [
        # Select from after the emoji to the end of "second": units differ per encoding.
        pytest.param("utf-16", 3, 6, id="utf-16"),  # 😀 and 𠀋 are 2 UTF-16 units each
        pytest.param("utf-8", 5, 6, id="utf-8"),  # 😀 is 4 UTF-8 bytes
        pytest.param("utf-32", 2, 6, id="utf-32"),  # one unit per code point
    ],
)
async def test_selection_in_each_position_encoding(
    start_lsp: Starter,
    local_server: LocalServer,
    tmp_path: Path,
    encoding: str,
    start: int,
    end: int,
) -> None:
    session = await start_lsp(capabilities=vscode_capabilities(encodings=[encoding]))
    uri = await open_sample(session, tmp_path, "astral.py", ASTRAL)
    selection = {"start": {"line": 0, "character": start}, "end": {"line": 1, "character": end}}
    actions = await code_actions(session, uri)
    assert [a["title"] for a in actions] == ["Send buffer to Neptun chat"]  # empty range
    result = await session.execute(
        "neptun.sendSelection", {"uri": uri, "range": selection, **target(local_server)}
    )
    file = result["chatFiles"][0]
    assert file["text"] == "b𠀋c = 1\nsecond"
    assert file["title"] == "astral.py#L1-2"


async def test_selection_action_and_line_titles(
    start_lsp: Starter, local_server: LocalServer, tmp_path: Path
) -> None:
    session = await start_lsp()
    uri = await open_sample(session, tmp_path, "parser.py", "".join(f"l{n}\n" for n in range(50)))
    await session.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(
                start=types.Position(line=9, character=0), end=types.Position(line=42, character=0)
            ),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    actions = session.raw_result("textDocument/codeAction")
    selection_action = actions[1]
    assert (selection_action["title"], selection_action["kind"]) == (
        "Send selection to Neptun chat",
        "source.neptun.sendSelection",
    )
    command = selection_action["command"]
    assert command["command"] == "neptun.sendSelection"
    assert command["arguments"] == [
        {
            "uri": uri,
            "range": {"start": {"line": 9, "character": 0}, "end": {"line": 42, "character": 0}},
        }
    ]
    result = await session.execute(
        command["command"], {**command["arguments"][0], **target(local_server)}
    )
    file = result["chatFiles"][0]
    assert file["title"] == "parser.py#L10-42"
    assert file["text"] == "".join(f"l{n}\n" for n in range(9, 42))
    one_line = {"start": {"line": 3, "character": 1}, "end": {"line": 3, "character": 2}}
    result = await session.execute(
        "neptun.sendBuffer", {"uri": uri, "range": one_line, **target(local_server)}
    )
    assert (result["chatFiles"][0]["title"], result["chatFiles"][0]["text"]) == (
        "parser.py#L4",
        "3",
    )
    with pytest.raises(JsonRpcException, match="The selection is empty"):
        await session.execute(
            "neptun.sendSelection",
            {
                "uri": uri,
                "range": {"start": one_line["start"], "end": one_line["start"]},
                **target(local_server),
            },
        )


# ---- several files -------------------------------------------------------------------------


async def test_send_files_open_and_from_disk(
    start_lsp: Starter, local_server: LocalServer, session_cookie: str, tmp_path: Path
) -> None:
    session = await start_lsp()
    on_disk = tmp_path / "disk.rs"
    on_disk.write_text("fn disk() {}\n")
    opened = tmp_path / "open.py"
    opened.write_text("saved\n")
    await session.open(opened.as_uri(), "unsaved\n")
    result = await session.execute(
        "neptun.sendFiles", {"uris": [opened.as_uri(), on_disk.as_uri()], **target(local_server)}
    )
    assert [(f["title"], f["text"], f["language"]) for f in result["chatFiles"]] == [
        ("open.py", "unsaved\n", "python"),
        ("disk.rs", "fn disk() {}\n", "rust"),
    ]
    assert len(session.client.progress_reports) == 1  # one progress for the whole batch
    receipt = await wait_for_message(session, "Sent open.py (8 B), disk.rs (13 B)")
    assert f"message {local_server.message_id}" in receipt
    ids = {f["id"] for f in stored_files(local_server, session_cookie)}
    assert {f["id"] for f in result["chatFiles"]} <= ids


@pytest.mark.parametrize(
    ("content", "words"),
    [
        pytest.param(b"\x00\x01\x02binary", "looks binary", id="binary"),
        pytest.param(None, "cannot be read", id="missing"),
    ],
)
async def test_a_file_that_is_not_text_is_named_and_nothing_is_sent(
    start_lsp: Starter,
    local_server: LocalServer,
    session_cookie: str,
    tmp_path: Path,
    content: bytes | None,
    words: str,
) -> None:
    session = await start_lsp()
    good = tmp_path / "good.txt"
    good.write_text("fine\n")
    bad = tmp_path / "image.png"
    if content is not None:
        bad.write_bytes(content)
    before = len(stored_files(local_server, session_cookie))
    with pytest.raises(JsonRpcException) as raised:
        await session.execute(
            "neptun.sendFiles", {"uris": [good.as_uri(), bad.as_uri()], **target(local_server)}
        )
    assert "image.png" in str(raised.value)
    assert words in str(raised.value)
    assert len(stored_files(local_server, session_cookie)) == before
    await code_actions(session, (tmp_path / "x").as_uri())  # still answering


async def test_send_open_documents(
    start_lsp: Starter, local_server: LocalServer, tmp_path: Path
) -> None:
    session = await start_lsp()
    for name in ("b.py", "a.py"):
        await session.open((tmp_path / name).as_uri(), f"# {name}\n")
    result = await session.execute("neptun.sendOpenDocuments", target(local_server))
    assert [f["title"] for f in result["chatFiles"]] == ["a.py", "b.py"]


async def test_nothing_is_ever_cut_and_batches_split_under_the_limit(
    start_lsp: Starter, local_server: LocalServer, tmp_path: Path
) -> None:
    session = await start_lsp(env={"NEPTUN_MAX_REQUEST_BYTES": "2500"})
    uris = []
    for n in range(3):
        uri = (tmp_path / f"f{n}.txt").as_uri()
        await session.open(uri, f"{n}" * 1000, language_id="plaintext")
        uris.append(uri)
    result = await session.execute("neptun.sendFiles", {"uris": uris, **target(local_server)})
    assert [len(f["text"]) for f in result["chatFiles"]] == [1000, 1000, 1000]


# ---- open in browser -------------------------------------------------------------------------


async def test_open_chat_after_a_send(
    start_lsp: Starter, local_server: LocalServer, tmp_path: Path
) -> None:
    session = await start_lsp(
        configuration={"neptun": {"chatUrl": f"{local_server.url}/#chat-{{chatId}}"}}
    )
    uri = await open_sample(session, tmp_path)
    session.replies += ["Open chat"]
    await session.execute("neptun.sendBuffer", {"uri": uri, **target(local_server)})
    for _ in range(500):
        if session.client.shown_documents:
            break
        await asyncio.sleep(0.01)
    shown = session.client.shown_documents
    assert [(d.uri, d.external) for d in shown] == [
        (f"{local_server.url}/#chat-{local_server.chat_id}", True)
    ]
    assert session.prompts[-1].message.startswith("Sent s.py (6 B) to")
    assert [a.title for a in session.prompts[-1].actions or []] == ["Open chat"]
    page = httpx.get(
        shown[0].uri.split("#")[0],
        headers={"Cookie": f"neptun-session={local_server.login_session()}"},
    )
    assert page.status_code == 200
    assert "s = 1" in page.text


async def test_receipt_is_a_plain_message_where_documents_cannot_be_opened(
    start_lsp: Starter, local_server: LocalServer, tmp_path: Path
) -> None:
    session = await start_lsp(capabilities=vscode_capabilities(show_document=False))
    uri = await open_sample(session, tmp_path)
    await session.execute("neptun.sendBuffer", {"uri": uri, **target(local_server)})
    await wait_for_message(session, "Sent s.py (6 B)")
    assert session.prompts == []
    assert [m.type for m in session.client.messages if m.message.startswith("Sent")] == [
        types.MessageType.Info
    ]


async def test_emacs_eglot_preset_end_to_end(
    start_lsp: Starter, local_server: LocalServer, tmp_path: Path
) -> None:
    """eglot declares no window capabilities: plain receipts, no prompts unless asked for."""
    session = await start_lsp("emacs")
    uri = await open_sample(session, tmp_path)
    result = await session.execute("neptun.sendBuffer", {"uri": uri, **target(local_server)})
    assert result["chatFiles"][0]["text"] == "s = 1\n"
    await wait_for_message(session, "Sent s.py (6 B)")
    assert session.prompts == []
