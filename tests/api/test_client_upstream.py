"""What the deployed service (and its platform) does that the local server never does.

respx stands in for the network here, underneath the live tests in test_client_live.py.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import respx
from pydantic import SecretStr

from neptun_lsp.api import errors
from neptun_lsp.api.client import NeptunClient, normalise_base_url
from neptun_lsp.api.models import FileInput

BASE = "https://neptun.example"
COOKIE = "sealed-cookie-value-that-must-never-leak-0123456789"
FILES = "/api/users/7/chats/2/files/3"
FILE = FileInput(text="a\n", title="a.py", language="python", extension="py")
ROW = {
    "id": 1,
    "chat_conversation_id": 2,
    "chat_conversation_message_id": 3,
    "neptun_user_id": 7,
    "title": "a.py",
    "text": "a\n",
    "language": "python",
    "extension": "py",
    "created_at": "2024-03-20T10:00:00Z",
    "surprise": "ignored",
}


@pytest.fixture
def network() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


@pytest.fixture
async def client(network: respx.MockRouter) -> AsyncIterator[NeptunClient]:
    async with NeptunClient(BASE, session=SecretStr(COOKIE), user_id=7) as neptun:
        yield neptun


async def send(client: NeptunClient, count: int = 1) -> list[str | None]:
    created = await client.create_files(2, 3, [FILE] * count)
    return [f.title for f in created]


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param({"chatFile": ROW}, id="documented-object"),
        pytest.param({"chatFile": [ROW]}, id="deployed-one-element-list"),
    ],
)
async def test_single_file_answers(
    client: NeptunClient, network: respx.MockRouter, answer: object
) -> None:
    route = network.post(FILES).respond(200, json=answer)
    assert await send(client) == ["a.py"]
    request = route.calls.last.request
    assert request.headers["cookie"] == f"neptun-session={COOKIE}"
    assert request.headers["content-type"] == "application/json"

    assert json.loads(request.content) == FILE.model_dump()  # all four fields, single form


async def test_batch_form_is_sent_for_several_files(
    client: NeptunClient, network: respx.MockRouter
) -> None:
    route = network.post(FILES).respond(200, json={"chatFiles": [ROW, ROW]})
    assert await send(client, 2) == ["a.py", "a.py"]

    assert json.loads(route.calls.last.request.content) == {"files": [FILE.model_dump()] * 2}


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param({"chatFile": None}, id="chatFile-null"),
        pytest.param({"chatFiles": None}, id="chatFiles-null"),
        pytest.param({"chatFiles": [ROW]}, id="fewer-than-sent"),
    ],
)
async def test_a_200_that_created_nothing_is_a_failure(
    client: NeptunClient, network: respx.MockRouter, answer: object
) -> None:
    network.post(FILES).respond(200, json=answer)
    with pytest.raises(errors.EmptyAnswer, match="stored nothing"):
        await send(client, 2 if "chatFiles" in str(answer) else 1)


@pytest.mark.parametrize(
    ("status", "kwargs", "error", "words"),
    [
        pytest.param(
            401,
            {"json": {"statusCode": 401, "statusMessage": "Unauthorized"}},
            errors.Unauthorized,
            "expired or is invalid",
            id="401-session",
        ),
        pytest.param(
            401,
            {
                "json": {
                    "statusCode": 401,
                    "statusMessage": "Unauthorized",
                    "message": "You do not have access to this resource.",
                }
            },
            errors.NotFound,
            "not found, or it is not yours",
            id="401-no-access",
        ),
        pytest.param(
            404,
            {"json": {"statusCode": 404, "statusMessage": "Not Found"}},
            errors.NotFound,
            "not found",
            id="404",
        ),
        pytest.param(
            400,
            {
                "json": {
                    "statusCode": 400,
                    "statusMessage": "Bad Request",
                    "message": "x",
                    "url": "/api",
                    "stack": "",
                    "data": {
                        "name": "ZodError",
                        "issues": [
                            {
                                "code": "invalid_type",
                                "expected": "string",
                                "received": "undefined",
                                "path": ["files", 0, "text"],
                                "message": "Required",
                            }
                        ],
                    },
                }
            },
            errors.Invalid,
            "files.0.text: Required",
            id="400-zod",
        ),
        pytest.param(
            400,
            {"json": {"statusCode": 400, "statusMessage": "Bad Request"}},
            errors.Invalid,
            "Bad Request",
            id="400-no-data",
        ),
        pytest.param(
            413,
            {"text": "Request Entity Too Large\n\nFUNCTION_PAYLOAD_TOO_LARGE\n"},
            errors.TooLarge,
            "larger than the Neptun server accepts",
            id="413-plain-text",
        ),
        pytest.param(
            429,
            {"headers": {"Retry-After": "7"}, "text": "slow down"},
            errors.RateLimited,
            "Try again in 7 s",
            id="429-retry-after",
        ),
        pytest.param(
            502,
            {"html": "<html><body><h1>502 Bad Gateway</h1></body></html>"},
            errors.ServerError,
            "unavailable right now (502)",
            id="502-html",
        ),
        pytest.param(
            504,
            {"html": "<html>Gateway Timeout</html>"},
            errors.ServerError,
            "unavailable right now (504)",
            id="504-html",
        ),
        pytest.param(
            500,
            {"json": {"statusCode": 500, "statusMessage": "Internal Server Error"}},
            errors.ServerError,
            "failed to handle",
            id="500-envelope",
        ),
    ],
)
async def test_failures_become_typed_errors(
    client: NeptunClient,
    network: respx.MockRouter,
    status: int,
    kwargs: dict[str, object],
    error: type[errors.NeptunError],
    words: str,
) -> None:
    network.post(FILES).respond(status, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(error) as raised:
        await send(client)
    assert words in str(raised.value)
    assert raised.value.status == status
    assert type(raised.value) is error or issubclass(type(raised.value), error)


async def test_429_without_retry_after(client: NeptunClient, network: respx.MockRouter) -> None:
    network.post(FILES).respond(429)
    with pytest.raises(errors.RateLimited) as raised:
        await send(client)
    assert raised.value.retry_after is None
    assert "Wait a moment" in str(raised.value)


async def test_redirect_to_log_in_elsewhere_is_not_followed(
    client: NeptunClient, network: respx.MockRouter
) -> None:
    network.post(FILES).respond(307, headers={"Location": "https://elsewhere.example/log-in"})
    elsewhere = respx.route(host="elsewhere.example").respond(200)
    with pytest.raises(errors.Unauthorized):
        await send(client)
    assert not elsewhere.called  # the cookie never travelled to another host


async def test_other_redirects_are_unexpected(
    client: NeptunClient, network: respx.MockRouter
) -> None:
    network.get("/api/users/7/chats").respond(302, headers={"Location": "/somewhere"})
    with pytest.raises(errors.UnexpectedAnswer, match="redirected"):
        await client.list_chats()


@pytest.mark.parametrize(
    ("failure", "maybe_delivered"),
    [
        pytest.param(httpx.ConnectError("Connection refused"), False, id="refused"),
        pytest.param(httpx.ConnectTimeout("connect timed out"), False, id="connect-timeout"),
        pytest.param(httpx.ReadTimeout("read timed out"), True, id="read-timeout"),
    ],
)
async def test_transport_failures_are_unreachable(
    client: NeptunClient, network: respx.MockRouter, failure: Exception, maybe_delivered: bool
) -> None:
    network.post(FILES).mock(side_effect=failure)
    with pytest.raises(errors.Unreachable) as raised:
        await send(client)
    assert raised.value.maybe_delivered is maybe_delivered
    assert "neptun.example" in str(raised.value)
    assert raised.value.__cause__ is None  # no httpx internals chained into the report


async def test_non_json_success_is_unexpected(
    client: NeptunClient, network: respx.MockRouter
) -> None:
    network.get("/api/users/7/chats").respond(200, html="<html>log in</html>")
    with pytest.raises(errors.UnexpectedAnswer):
        await client.list_chats()


async def test_null_lists_are_failures(client: NeptunClient, network: respx.MockRouter) -> None:
    network.get("/api/users/7/chats").respond(200, json={"chats": None})
    network.get("/api/users/7/chats/2/messages").respond(200, json={"chatMessages": None})
    with pytest.raises(errors.EmptyAnswer):
        await client.list_chats()
    with pytest.raises(errors.EmptyAnswer):
        await client.list_messages(2)


async def test_deployed_message_shapes(client: NeptunClient, network: respx.MockRouter) -> None:
    row = {
        "id": 5,
        "message": "hi",
        "actor": "user",
        "neptun_user_id": 7,
        "chat_conversation_id": 2,
        "created_at": "2024-03-20T10:00:00Z",
        "updated_at": "2024-03-20T10:00:00Z",
    }
    network.post("/api/users/7/chats/2/messages").respond(200, json={"chatMessage": [row]})
    network.get("/api/users/7/chats/2/messages").respond(200, json={"chatMessages": [row]})
    assert (await client.create_message(2, "hi")).id == 5
    assert [m.message for m in await client.list_messages(2)] == ["hi"]


async def test_sliding_session_refresh_is_kept(network: respx.MockRouter) -> None:
    refreshed: list[SecretStr] = []
    network.get("/api/users/7/chats").respond(
        200,
        json={"chats": []},
        headers={"Set-Cookie": "neptun-session=newer-value-0123456789; Path=/; HttpOnly"},
    )
    async with NeptunClient(
        BASE, session=SecretStr(COOKIE), user_id=7, on_session_refreshed=refreshed.append
    ) as client:
        await client.list_chats()
        await client.list_chats()
        assert client.session is not None
        assert client.session.get_secret_value() == "newer-value-0123456789"
        sent = network.routes[0].calls.last.request.headers["cookie"]
    assert sent == "neptun-session=newer-value-0123456789"
    assert len(refreshed) == 1


async def test_login_sends_no_cookie_and_keeps_the_new_session(
    network: respx.MockRouter,
) -> None:
    route = network.post("/api/auth/login").respond(
        200,
        json={"user": {"id": 7, "primary_email": "a@b.co"}},
        headers={"Set-Cookie": f"neptun-session={COOKIE}; Path=/; HttpOnly; Secure"},
    )
    async with NeptunClient(BASE) as client:
        result = await client.login("a@b.co", "pw")
    assert "cookie" not in route.calls.last.request.headers
    assert (result.user.id, result.session.get_secret_value()) == (7, COOKIE)


async def test_not_signed_in_is_said_before_any_request(network: respx.MockRouter) -> None:
    async with NeptunClient(BASE) as client:
        with pytest.raises(errors.NotSignedIn, match="neptun-lsp login"):
            await client.list_chats()
    assert not network.calls


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        pytest.param(
            "https://neptun-webui.vercel.app", "https://neptun-webui.vercel.app", id="https"
        ),
        pytest.param(
            "https://neptun-webui.vercel.app/api/", "https://neptun-webui.vercel.app", id="api-root"
        ),
        pytest.param("http://127.0.0.1:42124", "http://127.0.0.1:42124", id="loopback-v4"),
        pytest.param("http://localhost:42124/api", "http://localhost:42124", id="localhost"),
        pytest.param("http://[::1]:8080", "http://[::1]:8080", id="loopback-v6"),
    ],
)
def test_base_urls(url: str, origin: str) -> None:
    assert str(normalise_base_url(url)).rstrip("/") == origin


@pytest.mark.parametrize(
    "url",
    ["http://neptun.example", "http://10.0.0.5:42124", "ftp://neptun.example", "neptun.example"],
)
def test_plain_http_and_odd_schemes_are_refused(url: str) -> None:
    with pytest.raises(errors.InsecureBaseUrl):
        NeptunClient(url)


async def test_no_error_or_log_carries_the_cookie(
    client: NeptunClient, network: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    for answer in (
        httpx.Response(401),
        httpx.Response(500, text=COOKIE[:5]),
        httpx.Response(307, headers={"Location": "/log-in"}),
        httpx.ReadTimeout("t"),
        httpx.ConnectError("c"),
    ):
        network.post(FILES).mock(side_effect=[answer])
        with pytest.raises(errors.NeptunError) as raised:
            await send(client)
        texts += [str(raised.value), repr(raised.value), repr(raised.value.args)]
    texts.append(repr(client.session))
    assert all(COOKIE not in text for text in texts)
    assert COOKIE not in caplog.text
