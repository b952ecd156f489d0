"""The terminal commands as a user runs them: real processes, real local server, real files."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.local_server import LocalServer

_INITIALIZE = json.dumps(
    {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"capabilities": {}, "processId": None},
    }
).encode()
INITIALIZE_FRAME = b"Content-Length: %d\r\n\r\n%s" % (len(_INITIALIZE), _INITIALIZE)


def run(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NEPTUN_")}
    environment.update(
        NEPTUN_STATE_DIR=str(tmp_path / "state"),
        NEPTUN_CONFIG_FILE=str(tmp_path / "config" / "config.toml"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "neptun_lsp", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        cwd=tmp_path,
    )


def login_as_demo(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run(
        tmp_path,
        "login",
        "--email",
        "demo@neptun.local",
        "--password-stdin",
        env=env,
        stdin="neptun-demo\n",
    )


def stored(server: LocalServer) -> list[dict[str, str]]:
    cookie = server.login_session()
    files: list[dict[str, str]] = httpx.get(
        f"{server.url}/api/users/{server.user_id}/chats/{server.chat_id}/files",
        headers={"Cookie": f"neptun-session={cookie}"},
    ).json()["chatFiles"]
    return files


def test_version_and_help(tmp_path: Path) -> None:
    assert run(tmp_path, "--version").stdout.startswith("neptun-lsp ")
    help_text = run(tmp_path, "--help").stdout
    for word in ("send", "login", "logout", "local-server", "demo", "serve"):
        assert word in help_text


def test_login_send_logout(tmp_path: Path, local_server: LocalServer) -> None:
    env = {"NEPTUN_BASE_URL": local_server.url}
    login = login_as_demo(tmp_path, env)
    assert login.returncode == 0, login.stderr
    assert f"as demo@neptun.local (user {local_server.user_id})" in login.stdout
    stored_file = tmp_path / "config" / "credentials.json"
    assert stat.S_IMODE(stored_file.stat().st_mode) == 0o600
    assert str(stored_file) in login.stdout
    secret = json.loads(stored_file.read_text())[local_server.url]["session"]
    assert secret not in login.stdout + login.stderr

    (tmp_path / "a.py").write_text("a = 'ü'\n")
    (tmp_path / "Makefile").write_text("all:\n\techo hi\n")
    sent = run(
        tmp_path,
        "send",
        "a.py",
        "Makefile",
        "--chat",
        str(local_server.chat_id),
        "--message",
        str(local_server.message_id),
        env=env,
    )
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout == (
        f"Sent a.py (9 B), Makefile (14 B) to “Project Discussion” (chat "
        f"{local_server.chat_id}), message {local_server.message_id}.\n"
    )
    titles = {(f["title"], f["text"]) for f in stored(local_server)}
    assert {("a.py", "a = 'ü'\n"), ("Makefile", "all:\n\techo hi\n")} <= titles

    # The target is remembered for this directory: no --chat/--message needed now.
    again = run(tmp_path, "send", "a.py", env=env)
    assert again.returncode == 0, again.stderr

    logout = run(tmp_path, "logout", env=env)
    assert logout.returncode == 0
    assert f"Signed out of {local_server.url}" in logout.stdout
    after = run(tmp_path, "send", "a.py", env=env)
    assert after.returncode == 1
    assert "not signed in" in after.stderr
    # The old session was revoked on the server too.
    check = httpx.head(
        f"{local_server.url}/api/auth/check", headers={"Cookie": f"neptun-session={secret}"}
    )
    assert check.status_code == 401


def test_login_from_cli_config(tmp_path: Path, local_server: LocalServer) -> None:
    cookie = local_server.login_session()
    document = httpx.get(
        f"{local_server.url}/api/users/{local_server.user_id}/cli",
        headers={"Cookie": f"neptun-session={cookie}"},
    ).text
    result = run(tmp_path, "login", "--from-cli-config", "-", stdin=document)
    assert result.returncode == 0, result.stderr
    assert f"Signed in to {local_server.url} as user {local_server.user_id}" in result.stdout
    assert cookie not in result.stdout + result.stderr
    bad = run(tmp_path, "login", "--from-cli-config", "-", stdin='{"auth": {}}')
    assert bad.returncode == 1
    assert "not Neptun's CLI configuration document" in bad.stderr


@pytest.mark.parametrize(
    ("content", "words"),
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", "looks binary", id="binary"),
        pytest.param(b"caf\xe9\n", "is not UTF-8 text", id="latin-1"),
    ],
)
def test_send_refuses_files_that_are_not_text(
    tmp_path: Path, local_server: LocalServer, content: bytes, words: str
) -> None:
    (tmp_path / "f.bin").write_bytes(content)
    result = run(
        tmp_path,
        "send",
        "f.bin",
        "--chat",
        "1",
        "--message",
        "1",
        env={
            "NEPTUN_BASE_URL": local_server.url,
            "NEPTUN_SESSION": "s" * 20,
            "NEPTUN_USER_ID": "1",
        },
    )
    assert result.returncode == 1
    assert words in result.stderr
    assert "f.bin" in result.stderr


def test_send_without_target_says_how(tmp_path: Path, local_server: LocalServer) -> None:
    (tmp_path / "a.py").write_text("a\n")
    result = run(tmp_path, "send", "a.py", env={"NEPTUN_BASE_URL": local_server.url})
    assert result.returncode == 1
    assert "Pass --chat and --message" in result.stderr


def test_wrong_password(tmp_path: Path, local_server: LocalServer) -> None:
    result = run(
        tmp_path,
        "login",
        "--email",
        "demo@neptun.local",
        "--password-stdin",
        env={"NEPTUN_BASE_URL": local_server.url},
        stdin="nope\n",
    )
    assert result.returncode == 1
    assert "Sign in again" in result.stderr or "expired or is invalid" in result.stderr


def test_the_demo_passes_and_shows_the_unsaved_edit(tmp_path: Path) -> None:
    result = run(tmp_path, "demo")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Code actions offered: 'Send buffer to Neptun chat'" in result.stdout
    assert "# unsaved edit" in result.stdout.split("Read back through GET")[1]
    assert "Demo passed" in result.stdout


def test_login_uses_the_os_keyring_when_one_works(
    tmp_path: Path, local_server: LocalServer
) -> None:
    keyring_file = tmp_path / "keyring.json"
    env = {
        "NEPTUN_BASE_URL": local_server.url,
        "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.FileKeyring",
        "TEST_KEYRING_FILE": str(keyring_file),
        "PYTHONPATH": str(Path(__file__).parents[1]),
    }
    login = login_as_demo(tmp_path, env)
    assert login.returncode == 0, login.stderr
    assert "Session stored in the OS keyring" in login.stdout
    secret = json.loads(keyring_file.read_text())[f"neptun-lsp\n{local_server.url}"]
    credentials_file = (tmp_path / "config" / "credentials.json").read_text()
    assert secret not in credentials_file  # only the user id is in the file
    (tmp_path / "k.py").write_text("k = 1\n")
    sent = run(
        tmp_path,
        "send",
        "k.py",
        "--chat",
        str(local_server.chat_id),
        "--message",
        str(local_server.message_id),
        env=env,
    )
    assert sent.returncode == 0, sent.stderr
    assert run(tmp_path, "logout", env=env).returncode == 0
    assert json.loads(keyring_file.read_text()) == {}


def test_serve_over_tcp(tmp_path: Path) -> None:
    import socket
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "neptun_lsp", "--tcp", f"127.0.0.1:{port}"], stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=30)
                break
            except ConnectionRefusedError:
                assert time.monotonic() < deadline, "the server never listened"
                time.sleep(0.05)
        with connection:
            connection.sendall(INITIALIZE_FRAME)
            answer = b""
            while b"codeActionProvider" not in answer:
                chunk = connection.recv(65536)
                assert chunk, answer
                answer += chunk
        assert b"source.neptun.sendBuffer" in answer
    finally:
        process.kill()
        process.wait()


def test_stdio_flag_is_accepted(tmp_path: Path) -> None:
    """Clients such as vscode-languageclient append --stdio to the server command."""
    result = subprocess.run(
        [sys.executable, "-m", "neptun_lsp", "--stdio"],
        input=INITIALIZE_FRAME,
        capture_output=True,
        timeout=60,
    )
    assert b"source.neptun.sendBuffer" in result.stdout, result.stderr
