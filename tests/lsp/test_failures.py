"""Every failure shows one clear message, answers with a JSON-RPC error, and leaves the server
alive and answering."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from tests.lsp.conftest import PRESETS, Session, Starter
from tests.lsp.test_send_buffer import code_actions, stored_files, target, wait_for_message
from tests.support.local_server import LocalServer


async def assert_alive(session: Session, uri: str) -> None:
    status = await session.execute("neptun.status")
    assert "baseUrl" in status
    assert await code_actions(session, uri)


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


async def send_expecting_error(session: Session, arguments: dict[str, Any]) -> JsonRpcException:
    with pytest.raises(JsonRpcException) as raised:
        await session.execute("neptun.sendBuffer", arguments)
    return raised.value


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize(
    ("case", "words"),
    [
        pytest.param("400", "refused the request as invalid", id="400"),
        pytest.param("401", "session has expired or is invalid", id="401"),
        pytest.param("404", "not found, or it is not yours", id="404"),
        pytest.param("413", "larger than the Neptun server accepts", id="413"),
        pytest.param("down", "Could not connect to the Neptun server", id="server-down"),
    ],
)
async def test_http_failures(
    start_lsp: Starter,
    local_server: LocalServer,
    tmp_path: Path,
    preset: str,
    case: str,
    words: str,
) -> None:
    env: dict[str, str] = {}
    configuration: dict[str, Any] | None = None
    text = "x = 1\n"
    arguments: dict[str, Any] = target(local_server)
    if case == "400":
        arguments["chatId"] = 10**19  # a positive integer the server's id check refuses
    elif case == "401":
        env["NEPTUN_SESSION"] = "forged-session-value"
    elif case == "404":
        arguments["messageId"] = 999_999
    elif case == "413":
        configuration = {"neptun": {"maxRequestBytes": 9_000_000}}  # past our own guard
        text = "y" * 4_600_000
    elif case == "down":
        env["NEPTUN_BASE_URL"] = closed_port_url()
    session = await start_lsp(preset, env=env, configuration=configuration)
    uri = (tmp_path / "f.py").as_uri()
    await session.open(uri, text)
    error = await send_expecting_error(session, {"uri": uri, **arguments})
    assert words in str(error)
    shown = await wait_for_message(session, words)
    assert [m.type for m in session.client.messages if m.message == shown] == [
        types.MessageType.Error
    ]
    await assert_alive(session, uri)


async def test_storage_failure_500(
    start_lsp: Starter, local_server: LocalServer, tmp_path: Path
) -> None:
    with sqlite3.connect(local_server.db) as conn:
        conn.execute(
            "CREATE TRIGGER fail500 BEFORE INSERT ON chat_conversation_file "
            "WHEN NEW.title = 'boom.py' BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
    try:
        session = await start_lsp()
        uri = (tmp_path / "boom.py").as_uri()
        await session.open(uri, "boom\n")
        error = await send_expecting_error(session, {"uri": uri, **target(local_server)})
        assert "failed to handle the request" in str(error)
        await wait_for_message(session, "failed to handle the request")
        await assert_alive(session, uri)
    finally:
        with sqlite3.connect(local_server.db) as conn:
            conn.execute("DROP TRIGGER fail500")


async def test_too_large_for_the_limit_is_refused_before_sending(
    start_lsp: Starter, local_server: LocalServer, session_cookie: str, tmp_path: Path
) -> None:
    session = await start_lsp(env={"NEPTUN_MAX_REQUEST_BYTES": "1000"})
    uri = (tmp_path / "big.py").as_uri()
    await session.open(uri, "z" * 2000)
    before = len(stored_files(local_server, session_cookie))
    error = await send_expecting_error(session, {"uri": uri, **target(local_server)})
    assert "big.py is 2.1 kB as a request, over the 1.0 kB limit" in str(error)
    assert "nothing was cut or sent" in str(error)
    assert len(stored_files(local_server, session_cookie)) == before


async def test_not_signed_in(start_lsp: Starter, local_server: LocalServer, tmp_path: Path) -> None:
    session = await start_lsp(signed_in=False)
    uri = (tmp_path / "a.py").as_uri()
    await session.open(uri, "a\n")
    error = await send_expecting_error(session, {"uri": uri, **target(local_server)})
    assert "not signed in" in str(error)
    assert "neptun-lsp login" in str(error)
    assert error.data == {"kind": "NotSignedIn"}


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        pytest.param([], "neptun.sendBuffer: uri: Field required", id="no-argument"),
        pytest.param(
            ["file:///a.py"], "takes one JSON object as its argument, got str", id="string-argument"
        ),
        pytest.param([{"uri": "file:///a.py"}, {}], "got 2 arguments", id="two-arguments"),
        pytest.param([{"uri": 5}], "uri: Input should be a valid string", id="uri-number"),
        pytest.param(
            [{"uri": "URI", "chatId": -1, "messageId": 1}],
            "chatId: Input should be greater than 0",
            id="negative-chat",
        ),
        pytest.param(
            [{"uri": "URI", "chatId": "seven", "messageId": 1}],
            "chatId: Input should be a valid integer",
            id="chat-not-a-number",
        ),
        pytest.param(
            [{"uri": "file:///never/opened.py", "chatId": 1, "messageId": 1}],
            "/never/opened.py is not open in the editor",
            id="not-open",
        ),
    ],
)
async def test_bad_arguments_are_invalid_params(
    start_lsp: Starter, tmp_path: Path, arguments: list[Any], words: str
) -> None:
    session = await start_lsp()
    uri = (tmp_path / "a.py").as_uri()
    await session.open(uri, "a\n")
    resolved = [
        {**a, "uri": uri} if isinstance(a, dict) and a.get("uri") == "URI" else a for a in arguments
    ]
    with pytest.raises(JsonRpcException) as raised:
        await session.execute("neptun.sendBuffer", *resolved)
    assert raised.value.code == -32602
    assert words in str(raised.value)
    await assert_alive(session, uri)


@pytest.mark.parametrize(
    ("command", "argument", "words"),
    [
        pytest.param("neptun.listMessages", {}, "chatId: Field required", id="listMessages"),
        pytest.param(
            "neptun.createMessage", {"chatId": 1}, "message: Field required", id="createMessage"
        ),
        pytest.param("neptun.listChats", [1], "takes one JSON object", id="listChats"),
    ],
)
async def test_other_commands_validate_too(
    start_lsp: Starter, command: str, argument: Any, words: str
) -> None:
    session = await start_lsp()
    with pytest.raises(JsonRpcException) as raised:
        await session.execute(command, argument)
    assert raised.value.code == -32602
    assert words in str(raised.value)


async def test_shutdown_while_a_send_waits_on_a_silent_server(
    start_lsp: Starter, tmp_path: Path
) -> None:
    """pygls 2.1.1 fails `shutdown` while a request runs; neptun_lsp.lsp.protocol repairs it."""
    import asyncio

    accepted = asyncio.Event()
    held: list[asyncio.StreamWriter] = []

    async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)
        accepted.set()

    silent = await asyncio.start_server(never_answer, "127.0.0.1", 0)
    port = silent.sockets[0].getsockname()[1]
    try:
        session = await start_lsp(env={"NEPTUN_BASE_URL": f"http://127.0.0.1:{port}"})
        uri = (tmp_path / "slow.py").as_uri()
        await session.open(uri, "slow\n")
        send = asyncio.ensure_future(
            session.execute("neptun.sendBuffer", {"uri": uri, "chatId": 1, "messageId": 1})
        )
        await asyncio.wait_for(accepted.wait(), 30)  # the send is now waiting on the socket
        await session.client.shutdown_async(None)  # raised -32603 before the repair
        session.closed = True
        session.client.exit(None)
        await session.client.stop()  # type: ignore[no-untyped-call]
        send.cancel()
    finally:
        for writer in held:
            writer.close()
        silent.close()
