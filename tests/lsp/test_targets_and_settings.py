"""Target resolution (arguments > remembered > settings > a clear error) and settings sources."""

from __future__ import annotations

from pathlib import Path

import pytest
from pygls.exceptions import JsonRpcException

from tests.lsp.conftest import Session, Starter, vscode_capabilities
from tests.lsp.test_send_buffer import wait_for_message
from tests.support.local_server import LocalServer


async def sent_to(session: Session, uri: str, **ids: int) -> tuple[int, int]:
    result = await session.execute("neptun.sendBuffer", {"uri": uri, **ids})
    file = result["chatFiles"][0]
    return file["chat_conversation_id"], file["chat_conversation_message_id"]


async def test_resolution_order(
    start_lsp: Starter, local_server: LocalServer, session_cookie: str, tmp_path: Path
) -> None:
    from_settings = local_server.new_chat(session_cookie, "settings", "settings")
    from_arguments = local_server.new_chat(session_cookie, "arguments", "arguments")
    other = local_server.new_chat(session_cookie, "other", "other")
    session = await start_lsp(
        configuration={"neptun": {"chatId": from_settings[0], "messageId": from_settings[1]}}
    )
    uri = (tmp_path / "t.py").as_uri()
    await session.open(uri, "t\n")
    # Nothing remembered yet: the settings.
    assert await sent_to(session, uri) == from_settings
    # Arguments win over settings, and are remembered for this workspace...
    assert (
        await sent_to(session, uri, chatId=from_arguments[0], messageId=from_arguments[1])
        == from_arguments
    )
    # ...so the next send without arguments goes to the remembered target, not the settings.
    assert await sent_to(session, uri) == from_arguments
    # Arguments still win over what is remembered.
    assert await sent_to(session, uri, chatId=other[0], messageId=other[1]) == other
    status = await session.execute("neptun.status")
    assert status["target"]["chatId"] == other[0]

    # A new server process for the same workspace still remembers (state dir on disk).
    again = await start_lsp()
    await again.open(uri, "t\n")
    assert await sent_to(again, uri) == other


async def test_environment_target(
    start_lsp: Starter, local_server: LocalServer, tmp_path: Path
) -> None:
    session = await start_lsp(
        env={
            "NEPTUN_CHAT_ID": str(local_server.chat_id),
            "NEPTUN_MESSAGE_ID": str(local_server.message_id),
        }
    )
    uri = (tmp_path / "e.py").as_uri()
    await session.open(uri, "e\n")
    assert await sent_to(session, uri) == (local_server.chat_id, local_server.message_id)


async def test_no_target_says_how_to_choose_one(start_lsp: Starter, tmp_path: Path) -> None:
    # A client that cannot show choices.
    session = await start_lsp(capabilities=vscode_capabilities(show_message=False))
    uri = (tmp_path / "n.py").as_uri()
    await session.open(uri, "n\n")
    with pytest.raises(JsonRpcException) as raised:
        await session.execute("neptun.sendBuffer", {"uri": uri})
    assert "No Neptun chat and message chosen" in str(raised.value)
    assert "neptun.chatId" in str(raised.value)
    await wait_for_message(session, "No Neptun chat and message chosen")
    # A chat alone is not enough: a message of another chat must never be guessed.
    with pytest.raises(JsonRpcException, match="No Neptun chat and message chosen"):
        await session.execute("neptun.sendBuffer", {"uri": uri, "chatId": 5})


async def test_initialization_options_for_clients_without_configuration(
    start_lsp: Starter, local_server: LocalServer, tmp_path: Path
) -> None:
    session = await start_lsp(
        capabilities=vscode_capabilities(configuration=False),
        initialization_options={
            "neptun": {"chatId": local_server.chat_id, "messageId": local_server.message_id}
        },
    )
    uri = (tmp_path / "i.py").as_uri()
    await session.open(uri, "i\n")
    assert await sent_to(session, uri) == (local_server.chat_id, local_server.message_id)


async def test_settings_are_reread_on_change_and_bad_values_reported(
    start_lsp: Starter, local_server: LocalServer, tmp_path: Path
) -> None:
    from lsprotocol import types

    session = await start_lsp(configuration={"neptun": {"maxRequestBytes": "lots"}})
    await wait_for_message(
        session,
        "neptun.maxRequestBytes (LSP settings): expected a "
        "positive whole number, got 'lots'; it is ignored",
    )
    status = await session.execute("neptun.status")
    assert status["baseUrl"] == local_server.url  # from the environment
    session.client.set_configuration({"neptun": {"baseUrl": "https://neptun.invalid"}})
    session.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings=None)
    )
    for _ in range(100):
        status = await session.execute("neptun.status")
        if status["baseUrl"] == "https://neptun.invalid":
            break
    assert status["baseUrl"] == "https://neptun.invalid"  # LSP settings beat the environment


async def test_config_file_is_the_lowest_source(
    start_lsp: Starter, local_server: LocalServer, tmp_path: Path
) -> None:
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        f"chatId = {local_server.chat_id}\nmessageId = {local_server.message_id}\n"
        'baseUrl = "https://from-the-file.invalid"\n'
    )
    session = await start_lsp()
    status = await session.execute("neptun.status")
    assert status["baseUrl"] == local_server.url  # the environment beats the file
    assert status["defaultTarget"] == {
        "chatId": local_server.chat_id,
        "messageId": local_server.message_id,
    }
