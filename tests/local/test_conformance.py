"""Conformance of the local server, over real HTTP on 127.0.0.1 with plain httpx (not our client),
so that the server is proven independently of the code that talks to it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from http.cookiejar import DefaultCookiePolicy
from typing import Any

import httpx
import pytest

from tests.support.local_server import LocalServer

FILE = {"text": "print('hi')\n", "title": "hi.py", "language": "python", "extension": "py"}


@pytest.fixture(scope="module")
def http(local_server: LocalServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=local_server.url, timeout=30) as client:
        # Every test says which session it uses: the jar must never add one of its own.
        client.cookies.jar.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        yield client


@pytest.fixture(scope="module")
def cookie(local_server: LocalServer) -> dict[str, str]:
    return {"Cookie": f"neptun-session={local_server.login_session()}"}


def files_url(server: LocalServer, chat: Any = None, message: Any = None, user: Any = None) -> str:
    return (
        f"/api/users/{user or server.user_id}/chats/{chat or server.chat_id}"
        f"/files/{message or server.message_id}"
    )


def new_user(http: httpx.Client, email: str) -> tuple[int, dict[str, str]]:
    response = http.post("/api/auth/sign-up", json={"email": email, "password": "pw-123456"})
    assert response.status_code == 200, response.text
    return response.json()["user"]["id"], {
        "Cookie": f"neptun-session={response.cookies['neptun-session']}"
    }


def assert_envelope(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["statusCode"] == status
    assert isinstance(body["statusMessage"], str)
    return body


# ---- auth --------------------------------------------------------------------------------


def test_sign_up_sets_an_httponly_lax_session_cookie(http: httpx.Client) -> None:
    response = http.post("/api/auth/sign-up", json={"email": "New@Example.com", "password": "x"})
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["primary_email"] == "new@example.com"
    assert body["loggedInAt"].endswith("Z")
    set_cookie = response.headers["set-cookie"].lower()
    assert "neptun-session=" in set_cookie
    assert "httponly" in set_cookie
    assert "samesite=lax" in set_cookie


@pytest.mark.parametrize(
    ("body", "status"),
    [
        pytest.param({"email": "not-an-email", "password": "x"}, 400, id="bad-email"),
        pytest.param({"email": "a@b.co", "password": ""}, 400, id="empty-password"),
        pytest.param({"email": "a@b.co"}, 400, id="missing-password"),
        pytest.param({"email": "demo@neptun.local", "password": "x"}, 409, id="exists"),
    ],
)
def test_sign_up_refusals(http: httpx.Client, body: dict[str, str], status: int) -> None:
    assert_envelope(http.post("/api/auth/sign-up", json=body), status)


def test_login_check_logout_cycle(http: httpx.Client, local_server: LocalServer) -> None:
    token = local_server.login_session()
    auth = {"Cookie": f"neptun-session={token}"}
    assert http.head("/api/auth/check", headers=auth).status_code == 200
    again = http.post(
        "/api/auth/login",
        headers=auth,
        json={"email": "demo@neptun.local", "password": "neptun-demo"},
    )
    assert_envelope(again, 403)  # as deployed: no login while signed in
    logout = http.post("/api/auth/logout", headers=auth)
    assert logout.status_code == 200
    assert logout.json() is True
    assert http.head("/api/auth/check", headers=auth).status_code == 401
    assert_envelope(http.post("/api/auth/logout", headers=auth), 401)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"email": "demo@neptun.local", "password": "wrong"}, id="wrong-password"),
        pytest.param({"email": "nobody@neptun.local", "password": "neptun-demo"}, id="no-user"),
    ],
)
def test_login_with_bad_credentials_is_401(http: httpx.Client, body: dict[str, str]) -> None:
    assert_envelope(http.post("/api/auth/login", json=body), 401)


def test_check_without_session_is_401(http: httpx.Client) -> None:
    assert http.head("/api/auth/check").status_code == 401
    assert (
        http.head("/api/auth/check", headers={"Cookie": "neptun-session=forged"}).status_code == 401
    )


# ---- chats and messages ------------------------------------------------------------------


def test_chats_newest_first_and_messages_oldest_first(
    http: httpx.Client, local_server: LocalServer, cookie: dict[str, str]
) -> None:
    base = f"/api/users/{local_server.user_id}/chats"
    created = http.post(base, headers=cookie, json={"model": "m", "name": "Later chat"})
    assert created.status_code == 200
    chat = created.json()["chat"]
    listed = http.get(base, headers=cookie).json()["chats"]
    assert listed[0]["id"] == chat["id"]
    assert {c["name"] for c in listed} >= {"Project Discussion", "Later chat"}

    messages = f"{base}/{chat['id']}/messages"
    one = http.post(messages, headers=cookie, json={"message": "first", "actor": "user"})
    assert one.json()["chatMessage"]["message"] == "first"
    batch = http.post(
        messages,
        headers=cookie,
        json={
            "messages": [
                {"content": "second", "role": "assistant"},
                {"content": "third", "role": "user"},
            ]
        },
    )
    assert [m["actor"] for m in batch.json()["chatMessages"]] == ["assistant", "user"]
    listed_messages = http.get(messages, headers=cookie).json()["chatMessages"]
    assert [m["message"] for m in listed_messages] == ["first", "second", "third"]
    assert_envelope(
        http.post(messages, headers=cookie, json={"message": "x", "actor": "boss"}), 400
    )
    assert_envelope(http.post(base, headers=cookie, json={"model": "m"}), 400)


def test_cli_configuration_document(
    http: httpx.Client, local_server: LocalServer, cookie: dict[str, str]
) -> None:
    response = http.get(f"/api/users/{local_server.user_id}/cli", headers=cookie)
    assert response.status_code == 200
    body = response.json()
    assert body["auth"]["user"]["id"] == local_server.user_id
    assert body["auth"]["neptun_session_cookie"] == cookie["Cookie"].split("=", 1)[1]
    assert body["utils"]["neptun_api_server_host"] == f"{local_server.url}/api"


# ---- the files endpoint ------------------------------------------------------------------


def test_single_file_form(
    http: httpx.Client, local_server: LocalServer, cookie: dict[str, str]
) -> None:
    response = http.post(files_url(local_server), headers=cookie, json=FILE)
    assert response.status_code == 200
    created = response.json()["chatFile"]
    assert {k: created[k] for k in FILE} == FILE
    assert created["chat_conversation_id"] == local_server.chat_id
    assert created["chat_conversation_message_id"] == local_server.message_id
    assert created["neptun_user_id"] == local_server.user_id
    assert created["created_at"].endswith("Z")


def test_batch_form_with_unicode_and_multiline_text_reads_back(
    http: httpx.Client, local_server: LocalServer, cookie: dict[str, str]
) -> None:
    files = [
        {
            "text": "def grüß():\n    return '日本語 😀 𠀋'\n\r\n\ttab\n",
            "title": "ünï.py",
            "language": "python",
            "extension": "py",
        },
        {"text": "", "title": "empty.txt", "language": "plaintext", "extension": "txt"},
    ]
    response = http.post(files_url(local_server), headers=cookie, json={"files": files})
    assert response.status_code == 200
    created = response.json()["chatFiles"]
    assert [{k: c[k] for k in FILE} for c in created] == files
    stored = http.get(
        f"/api/users/{local_server.user_id}/chats/{local_server.chat_id}/files", headers=cookie
    ).json()["chatFiles"]
    by_id = {f["id"]: f for f in stored}
    assert [by_id[c["id"]]["text"] for c in created] == [f["text"] for f in files]


def test_a_4_mb_file_is_accepted(
    http: httpx.Client, local_server: LocalServer, cookie: dict[str, str]
) -> None:
    text = ("x" * 99 + "\n") * 40_000  # 4,000,000 bytes
    response = http.post(files_url(local_server), headers=cookie, json={**FILE, "text": text})
    assert response.status_code == 200
    file_id = response.json()["chatFile"]["id"]
    stored = http.get(
        f"/api/users/{local_server.user_id}/chats/{local_server.chat_id}/files", headers=cookie
    ).json()["chatFiles"]
    assert next(f for f in stored if f["id"] == file_id)["text"] == text


def test_a_body_over_the_limit_is_413_plain_text(
    http: httpx.Client, local_server: LocalServer, cookie: dict[str, str]
) -> None:
    text = "y" * 4_600_000
    response = http.post(files_url(local_server), headers=cookie, json={**FILE, "text": text})
    assert response.status_code == 413
    assert "FUNCTION_PAYLOAD_TOO_LARGE" in response.text
    assert not response.headers["content-type"].startswith("application/json")


def test_max_body_bytes_option(tmp_path: Any) -> None:
    server = LocalServer(db=tmp_path / "small.sqlite3", max_body_bytes=1_000).start()
    try:
        auth = {"Cookie": f"neptun-session={server.login_session()}"}
        small = httpx.post(server.url + files_url(server), headers=auth, json=FILE)
        big = httpx.post(
            server.url + files_url(server), headers=auth, json={**FILE, "text": "z" * 1_000}
        )
        assert (small.status_code, big.status_code) == (200, 413)
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("content", "path"),
    [
        pytest.param(b"{not json", [], id="non-json"),
        pytest.param(
            b'{"title": "a.py", "language": "python", "extension": "py"}',
            ["text"],
            id="missing-text",
        ),
        pytest.param(
            b'{"text": 1, "title": "a", "language": "python", "extension": "py"}',
            ["text"],
            id="mistyped-text",
        ),
        pytest.param(
            b'{"text": "a", "title": null, "language": "python", "extension": "py"}',
            ["title"],
            id="null-title",
        ),
        pytest.param(b'{"files": []}', ["files"], id="empty-files"),
        pytest.param(b'{"files": {"text": "a"}}', ["files"], id="files-not-a-list"),
        pytest.param(
            b'{"files": [{"text": "a", "title": "a", "language": "c"}]}',
            ["files", 0, "extension"],
            id="batch-missing-extension",
        ),
        pytest.param(b"[1, 2]", [], id="array-body"),
    ],
)
def test_bad_bodies_are_400_with_issues(
    http: httpx.Client,
    local_server: LocalServer,
    cookie: dict[str, str],
    content: bytes,
    path: list[Any],
) -> None:
    response = http.post(
        files_url(local_server),
        headers={**cookie, "Content-Type": "application/json"},
        content=content,
    )
    body = assert_envelope(response, 400)
    issues = body["data"]["issues"]
    assert issues
    assert all({"code", "message", "path"} <= set(i) for i in issues)
    assert issues[0]["path"] == path


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "1.5"])
@pytest.mark.parametrize("where", ["user", "chat", "message"])
def test_ids_must_be_positive_integers(
    http: httpx.Client, local_server: LocalServer, cookie: dict[str, str], bad: str, where: str
) -> None:
    response = http.post(files_url(local_server, **{where: bad}), headers=cookie, json=FILE)
    body = assert_envelope(response, 400)
    assert body["data"]["issues"][0]["path"] == [f"{where}_id"]


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-cookie"),
        pytest.param({"Cookie": "neptun-session=forged-token"}, id="forged-cookie"),
    ],
)
def test_files_without_a_valid_session_is_401(
    http: httpx.Client, local_server: LocalServer, headers: dict[str, str]
) -> None:
    assert_envelope(http.post(files_url(local_server), headers=headers, json=FILE), 401)


def test_targets_that_are_missing_or_not_yours_are_404(
    http: httpx.Client, local_server: LocalServer, cookie: dict[str, str]
) -> None:
    other_id, other_cookie = new_user(http, "other@neptun.local")
    other_chat = http.post(
        f"/api/users/{other_id}/chats", headers=other_cookie, json={"model": "m", "name": "Theirs"}
    ).json()["chat"]["id"]
    other_message = http.post(
        f"/api/users/{other_id}/chats/{other_chat}/messages",
        headers=other_cookie,
        json={"message": "theirs", "actor": "user"},
    ).json()
    other_message_id = other_message["chatMessage"]["id"]
    mine = f"/api/users/{local_server.user_id}/chats"
    second_chat = http.post(mine, headers=cookie, json={"model": "m", "name": "Second"}).json()[
        "chat"
    ]["id"]
    cases = {
        "someone else's user id": files_url(local_server, user=other_id),
        "missing chat": files_url(local_server, chat=999_999),
        "missing message": files_url(local_server, message=999_999),
        "someone else's chat": files_url(local_server, chat=other_chat),
        "someone else's message": files_url(local_server, message=other_message_id),
        "message of another chat": files_url(local_server, chat=second_chat),
    }
    for case, url in cases.items():
        response = http.post(url, headers=cookie, json=FILE)
        assert response.status_code == 404, case
        assert_envelope(response, 404)


def _fail_inserts(db: Any, when: str) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(
            f"CREATE TRIGGER fail_insert BEFORE INSERT ON chat_conversation_file "
            f"WHEN {when} BEGIN SELECT RAISE(ABORT, 'disk is full'); END"
        )


def test_storage_failure_is_500_and_a_batch_is_all_or_nothing(fresh_server: LocalServer) -> None:
    auth = {"Cookie": f"neptun-session={fresh_server.login_session()}"}
    _fail_inserts(fresh_server.db, "NEW.title = 'second.py'")
    with httpx.Client(base_url=fresh_server.url) as http:
        batch = {"files": [FILE, {**FILE, "title": "second.py"}]}
        response = http.post(files_url(fresh_server), headers=auth, json=batch)
        assert_envelope(response, 500)
        listed = http.get(
            f"/api/users/{fresh_server.user_id}/chats/{fresh_server.chat_id}/files", headers=auth
        )
        assert listed.json()["chatFiles"] == []


def test_files_and_sessions_survive_a_restart(fresh_server: LocalServer) -> None:
    token = fresh_server.login_session()
    auth = {"Cookie": f"neptun-session={token}"}
    created = httpx.post(fresh_server.url + files_url(fresh_server), headers=auth, json=FILE)
    assert created.status_code == 200
    fresh_server.restart()
    listed = httpx.get(
        f"{fresh_server.url}/api/users/{fresh_server.user_id}/chats/{fresh_server.chat_id}/files",
        headers=auth,
    )
    assert listed.status_code == 200
    assert [f["text"] for f in listed.json()["chatFiles"]] == [FILE["text"]]


def test_passwords_and_sessions_are_not_stored_in_clear(fresh_server: LocalServer) -> None:
    token = fresh_server.login_session()
    dump = "\n".join(sqlite3.connect(fresh_server.db).iterdump())
    assert "neptun-demo" not in dump
    assert token not in dump


def test_the_read_only_page_at_the_root(
    http: httpx.Client, local_server: LocalServer, cookie: dict[str, str]
) -> None:
    anonymous = http.get("/")
    assert anonymous.status_code == 200
    assert "Sign in" in anonymous.text
    http.post(
        files_url(local_server),
        headers=cookie,
        json={**FILE, "title": "page.html", "text": "<script>alert(1)</script>"},
    )
    signed_in = http.get("/", headers=cookie)
    assert "Project Discussion" in signed_in.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in signed_in.text
    assert "<script>alert" not in signed_in.text
