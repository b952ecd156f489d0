"""The local Neptun-compatible API: upstream's documented paths and shapes, on SQLite.

It follows the documents (not the deployed quirks, which the client's unit tests cover) so that
the whole path of the product runs on one machine: the README's demo and every end-to-end test.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from neptun_lsp.local import page, validation
from neptun_lsp.local.store import AlreadyExists, Store, utc_now

SESSION_COOKIE = "neptun-session"
HOSTED_BODY_LIMIT = 4_500_000  # the hosted platform's 4.5 MB request body limit


def envelope(status: int, status_message: str, **extra: Any) -> JSONResponse:
    return JSONResponse(
        {"statusCode": status, "statusMessage": status_message, **extra}, status_code=status
    )


def unauthorized() -> JSONResponse:
    return envelope(401, "Unauthorized", message="You must be signed in.")


def not_found(what: str) -> JSONResponse:
    return envelope(404, "Not Found", data={"message": f"{what} not found"})


class _Failure(Exception):
    """Raised inside a handler to answer with `response` (keeps handlers flat)."""

    def __init__(self, response: Response) -> None:
        self.response = response


Handler = Callable[[Request], Awaitable[Response]]


def _handler(store: Store, endpoint: Callable[[Store, Request], Awaitable[Response]]) -> Handler:
    async def handle(request: Request) -> Response:
        try:
            return await endpoint(store, request)
        except _Failure as failure:
            return failure.response
        except validation.Invalid as invalid:
            return envelope(400, invalid.status_message, data={"issues": invalid.issues})
        except sqlite3.Error as error:
            return envelope(500, "Internal Server Error", message=f"Storage failure: {error}")

    return handle


async def _json(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise validation.Invalid(
            "Bad Request. Body is not JSON.", [validation.issue([], "Invalid JSON")]
        ) from None


def _session_user(store: Store, request: Request) -> int:
    token = request.cookies.get(SESSION_COOKIE)
    user_id = store.user_for_session(token) if token else None
    if user_id is None:
        raise _Failure(unauthorized())
    return user_id


def _owned_ids(store: Store, request: Request) -> dict[str, int]:
    """Session user, then valid path ids, then ownership: the upstream order of checks."""
    session_user = _session_user(store, request)
    ids = validation.route_ids(dict(request.path_params))
    if ids["user_id"] != session_user:
        raise _Failure(not_found("User"))
    if "chat_id" in ids and store.chat(session_user, ids["chat_id"]) is None:
        raise _Failure(not_found("Chat"))
    if "message_id" in ids:
        message = store.message(session_user, ids["message_id"])
        if message is None or message["chat_conversation_id"] != ids["chat_id"]:
            raise _Failure(not_found("Message"))
    return ids


def _with_session(body: dict[str, Any], token: str) -> JSONResponse:
    response = JSONResponse(body)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", path="/")
    return response


# ---- auth ----------------------------------------------------------------------------------


async def sign_up(store: Store, request: Request) -> Response:
    email, password = validation.credentials_body(await _json(request))
    try:
        user = store.create_user(email, password)
    except AlreadyExists:
        return envelope(409, "Conflict", data={"message": "User already exists"})
    token = store.create_session(user["id"])
    return _with_session({"user": user, "loggedInAt": utc_now()}, token)


async def login(store: Store, request: Request) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token and store.user_for_session(token) is not None:
        # As deployed: signing in again while signed in is refused.
        return envelope(403, "Forbidden", message="Already signed in.")
    email, password = validation.credentials_body(await _json(request))
    user = store.user_by_credentials(email, password)
    if user is None:
        return envelope(401, "Unauthorized", data={"message": "Invalid credentials"})
    return _with_session({"user": user}, store.create_session(user["id"]))


async def logout(store: Store, request: Request) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if not token or store.user_for_session(token) is None:
        return envelope(401, "Unauthorized", data={"message": "No valid session"})
    response = JSONResponse(store.revoke_session(token))
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def check(store: Store, request: Request) -> Response:
    _session_user(store, request)
    return Response(status_code=200)


# ---- users' data ---------------------------------------------------------------------------


async def chats(store: Store, request: Request) -> Response:
    ids = _owned_ids(store, request)
    if request.method == "GET":
        return JSONResponse({"chats": store.list_chats(ids["user_id"])})
    name, model = validation.chat_body(await _json(request))
    return JSONResponse({"chat": store.create_chat(ids["user_id"], name, model)})


async def messages(store: Store, request: Request) -> Response:
    ids = _owned_ids(store, request)
    if request.method == "GET":
        return JSONResponse({"chatMessages": store.list_messages(ids["chat_id"])})
    body = await _json(request)
    pairs = validation.messages_body(body)
    created = store.create_messages(ids["user_id"], ids["chat_id"], pairs)
    if isinstance(body, dict) and "messages" in body:
        return JSONResponse({"chatMessages": created})
    return JSONResponse({"chatMessage": created[0]})


async def create_files(store: Store, request: Request) -> Response:
    ids = _owned_ids(store, request)
    body = await _json(request)
    files = validation.files_body(body)
    created = store.create_files(ids["user_id"], ids["chat_id"], ids["message_id"], files)
    if "files" in body:
        return JSONResponse({"chatFiles": created})
    return JSONResponse({"chatFile": created[0]})


async def list_files(store: Store, request: Request) -> Response:
    ids = _owned_ids(store, request)
    return JSONResponse({"chatFiles": store.list_files(ids["chat_id"])})


async def cli_config(store: Store, request: Request) -> Response:
    ids = _owned_ids(store, request)
    base = str(request.base_url).rstrip("/")
    return JSONResponse(
        {
            "utils": {
                "neptun_api_server_host": f"{base}/api",
                "neptun_github_app_url": f"{base}/github-app",
            },
            "auth": {
                "neptun_session_cookie": request.cookies[SESSION_COOKIE],
                "user": {
                    "id": ids["user_id"],
                    "email": store.user_email(ids["user_id"]),
                    "oauth": None,
                },
            },
            "active_chat": {"chat_id": -1, "chat_name": f"chat-{utc_now()}", "model": "default"},
        }
    )


# ---- body limit ----------------------------------------------------------------------------


class BodyLimit:
    """Refuse request bodies over `limit` bytes like the hosted platform: 413, plain text.

    The body is read (and dropped) before answering, so a client that is still writing gets
    the 413 instead of a broken connection.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size <= self.limit:
                chunks.append(chunk)
            more = message.get("more_body", False)
        if size > self.limit:
            response = PlainTextResponse(
                "Request Entity Too Large\n\nFUNCTION_PAYLOAD_TOO_LARGE\n", status_code=413
            )
            await response(scope, receive, send)
            return
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def create_app(store: Store, *, max_body_bytes: int = HOSTED_BODY_LIMIT) -> ASGIApp:
    def route(
        path: str, endpoint: Callable[[Store, Request], Awaitable[Response]], methods: list[str]
    ) -> Route:
        return Route(path, _handler(store, endpoint), methods=methods)

    users = "/api/users/{user_id}"
    app = Starlette(
        routes=[
            route("/api/auth/sign-up", sign_up, ["POST"]),
            route("/api/auth/login", login, ["POST"]),
            route("/api/auth/logout", logout, ["POST"]),
            route("/api/auth/check", check, ["HEAD", "GET"]),
            route(f"{users}/chats", chats, ["GET", "POST"]),
            route(f"{users}/chats/{{chat_id}}/messages", messages, ["GET", "POST"]),
            route(f"{users}/chats/{{chat_id}}/files/{{message_id}}", create_files, ["POST"]),
            route(f"{users}/chats/{{chat_id}}/files", list_files, ["GET"]),
            route(f"{users}/cli", cli_config, ["GET"]),
            route("/", page.home, ["GET"]),
        ]
    )
    return BodyLimit(app, max_body_bytes)
