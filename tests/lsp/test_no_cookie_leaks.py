"""The session cookie appears in no LSP message (either direction) and no server log line,
even with the server at DEBUG, through successes and failures."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from pygls.exceptions import JsonRpcException

from tests.lsp.conftest import Session, Starter
from tests.lsp.test_send_buffer import code_actions, target
from tests.support.local_server import LocalServer


async def exercise(session: Session, server: LocalServer, tmp_path: Path) -> None:
    uri = (tmp_path / "leak.py").as_uri()
    await session.open(uri, "secret_free = True\n")
    await code_actions(session, uri)
    await session.execute("neptun.status")
    for arguments in (
        {"uri": uri, **target(server)},
        {"uri": uri, "chatId": 999_999, "messageId": 1},
        {"uri": uri, "chatId": 10**19, "messageId": 1},
    ):
        with contextlib.suppress(JsonRpcException):
            await session.execute("neptun.sendBuffer", arguments)
    for command, argument in (
        ("neptun.listChats", {}),
        ("neptun.listMessages", {"chatId": server.chat_id}),
        ("neptun.listMessages", {"chatId": 999_999}),
    ):
        with contextlib.suppress(JsonRpcException):
            await session.execute(command, argument)


def everything_seen(session: Session, log_file: Path) -> str:
    client = session.client
    return "\n".join(
        [
            session.traffic(),
            log_file.read_text() if log_file.exists() else "",
            *(m.message for m in client.messages),
            *(m.message for m in client.log_messages),
        ]
    )


@pytest.mark.parametrize("signed_in_with", ["real", "forged"])
async def test_the_cookie_is_nowhere(
    start_lsp: Starter,
    local_server: LocalServer,
    session_cookie: str,
    tmp_path: Path,
    signed_in_with: str,
) -> None:
    cookie = session_cookie if signed_in_with == "real" else "forged-but-secret-0123456789abcdef"
    log_file = tmp_path / "server.log"
    session = await start_lsp(
        env={"NEPTUN_SESSION": cookie},
        server_args=["--log-level", "DEBUG", "--log-file", str(log_file)],
    )
    await exercise(session, local_server, tmp_path)
    await session.close()
    seen = everything_seen(session, log_file)
    # The session really did run (and log) a lot: this check is not vacuous.
    assert "workspace/executeCommand" in seen
    assert "neptun.sendBuffer" in log_file.read_text()
    assert cookie in session.env["NEPTUN_SESSION"]
    assert cookie not in seen
