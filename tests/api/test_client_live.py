"""NeptunClient against the real local server over HTTP on 127.0.0.1."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from neptun_lsp.api import errors
from neptun_lsp.api.client import NeptunClient
from neptun_lsp.api.models import FileInput
from tests.support.local_server import LocalServer

FILE = FileInput(text="x = 1\n", title="x.py", language="python", extension="py")


@pytest.fixture
async def client(local_server: LocalServer) -> AsyncIterator[NeptunClient]:
    async with NeptunClient(local_server.url) as signed_out:
        await signed_out.login("demo@neptun.local", "neptun-demo")
        yield signed_out


async def test_login_then_every_endpoint(client: NeptunClient, local_server: LocalServer) -> None:
    assert client.user_id == local_server.user_id
    assert await client.check_session()
    chats = await client.list_chats()
    assert chats[0].name == "Project Discussion"
    chat = await client.create_chat("Client chat", "m")
    message = await client.create_message(chat.id, "please review")
    assert (message.actor, message.message) == ("user", "please review")
    assert [m.id for m in await client.list_messages(chat.id)] == [message.id]
    one = await client.create_files(chat.id, message.id, [FILE])
    two = await client.create_files(
        chat.id,
        message.id,
        [FILE, FILE.model_copy(update={"title": "y.py", "text": "y = 'ü😀'\n"})],
    )
    assert len(one) == 1
    assert [f.title for f in two] == ["x.py", "y.py"]
    stored = await client.list_files(chat.id)
    assert [f.text for f in stored] == ["x = 1\n", "x = 1\n", "y = 'ü😀'\n"]
    config = await client.cli_config()
    assert config.auth.user.id == local_server.user_id
    assert config.auth.neptun_session_cookie.get_secret_value() == (
        client.session.get_secret_value() if client.session else None
    )


async def test_sign_up_and_logout(local_server: LocalServer) -> None:
    async with NeptunClient(local_server.url) as client:
        result = await client.sign_up("client-signup@neptun.local", "pw")
        assert result.user.primary_email == "client-signup@neptun.local"
        assert await client.logout() is True
        assert not await client.check_session()
        with pytest.raises(errors.Unauthorized, match="Sign in again"):
            await client.list_chats()


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        pytest.param({"chat_id": 999_999}, errors.NotFound, id="missing-chat"),
        pytest.param({"message_id": 999_999}, errors.NotFound, id="missing-message"),
    ],
)
async def test_wrong_targets(
    client: NeptunClient, local_server: LocalServer, kwargs: dict[str, int], error: type[Exception]
) -> None:
    target = {"chat_id": local_server.chat_id, "message_id": local_server.message_id, **kwargs}
    with pytest.raises(error):
        await client.create_files(files=[FILE], **target)


async def test_expired_session_is_unauthorized(local_server: LocalServer) -> None:
    async with NeptunClient(
        local_server.url, session=SecretStr("expired"), user_id=local_server.user_id
    ) as client:
        with pytest.raises(errors.Unauthorized) as raised:
            await client.create_files(local_server.chat_id, local_server.message_id, [FILE])
    assert "Your Neptun session has expired or is invalid" in str(raised.value)


async def test_too_large_and_wrong_credentials(
    client: NeptunClient, local_server: LocalServer
) -> None:
    huge = FILE.model_copy(update={"text": "z" * 4_600_000})
    with pytest.raises(errors.TooLarge):
        await client.create_files(local_server.chat_id, local_server.message_id, [huge])
    async with NeptunClient(local_server.url) as other:
        with pytest.raises(errors.Unauthorized):
            await other.login("demo@neptun.local", "wrong password")


async def test_storage_failure_is_a_server_error(fresh_server: LocalServer) -> None:
    with sqlite3.connect(fresh_server.db) as conn:
        conn.execute(
            "CREATE TRIGGER f BEFORE INSERT ON chat_conversation_file "
            "BEGIN SELECT RAISE(ABORT, 'disk is full'); END"
        )
    async with NeptunClient(fresh_server.url) as client:
        await client.login("demo@neptun.local", "neptun-demo")
        with pytest.raises(errors.ServerError):
            await client.create_files(fresh_server.chat_id, fresh_server.message_id, [FILE])


async def test_server_down_is_unreachable(fresh_server: LocalServer) -> None:
    url = fresh_server.url
    fresh_server.stop()
    async with NeptunClient(url, session=SecretStr("s"), user_id=1) as client:
        with pytest.raises(errors.Unreachable, match="Could not connect"):
            await client.list_chats()


async def test_the_cookie_appears_in_no_log_or_error(
    local_server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    async with NeptunClient(local_server.url) as client:
        result = await client.login("demo@neptun.local", "neptun-demo")
        cookie = result.session.get_secret_value()
        await client.list_chats()
        for call in (
            client.create_files(999_999, 1, [FILE]),
            client.create_files(
                local_server.chat_id,
                local_server.message_id,
                [FILE.model_copy(update={"text": "q" * 4_600_000})],
            ),
        ):
            with pytest.raises(errors.NeptunError) as raised:
                await call
            texts += [str(raised.value), repr(raised.value), repr(raised.value.__cause__)]
        texts += [repr(client.session), repr(result), str(result)]
    assert len(cookie) > 20
    assert cookie not in caplog.text
    assert all(cookie not in text for text in texts)
