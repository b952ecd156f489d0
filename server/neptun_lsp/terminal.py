"""The terminal commands `send`, `login` and `logout`: thin shells over the same core as the
language server (capture -> sender -> client), printing for a person instead of an editor."""

from __future__ import annotations

import asyncio
import getpass
import sys
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from neptun_lsp import credentials, settings
from neptun_lsp.api.client import NeptunClient, normalise_base_url
from neptun_lsp.api.errors import NeptunError
from neptun_lsp.api.models import CliConfiguration, FileInput
from neptun_lsp.capture import Document, capture
from neptun_lsp.disk import read_text_file
from neptun_lsp.sender import named_target, open_client, send
from neptun_lsp.targets import HOW_TO_CHOOSE, TargetMemory, resolve


def _origin(base_url: str) -> str:
    return str(normalise_base_url(base_url)).rstrip("/")


def capture_files(paths: Sequence[Path], language: str | None) -> list[FileInput]:
    return [
        capture(
            Document(uri=path.resolve().as_uri(), text=read_text_file(path), language_id=language)
        )
        for path in paths
    ]


async def _send(
    paths: Sequence[Path],
    chat_id: int | None,
    message_id: int | None,
    language: str | None,
    out: TextIO,
) -> int:
    current = settings.load()
    origin = _origin(current.base_url)
    memory, workspace = TargetMemory(), Path.cwd().resolve().as_uri()
    resolved = resolve(chat_id, message_id, memory.get(origin, workspace), current)
    if resolved.target is None:
        raise NeptunError(
            HOW_TO_CHOOSE.replace(
                "Pass chatId and messageId to the command", "Pass --chat and --message"
            )
        )
    files = capture_files(paths, language)
    async with open_client(current, credentials.load(origin)) as client:
        receipt = await send(
            client,
            resolved.target,
            files,
            max_request_bytes=current.max_request_bytes,
            progress=lambda text, _: print(f"{text}...", file=sys.stderr),
        )
        receipt = replace(receipt, target=await named_target(client, receipt.target, {}))
    memory.remember(origin, workspace, receipt.target)
    print(receipt.summary(), file=out)
    return 0


def run_send(
    paths: Sequence[Path],
    chat_id: int | None,
    message_id: int | None,
    language: str | None,
    out: TextIO = sys.stdout,
) -> int:
    return _report(lambda: _send(paths, chat_id, message_id, language, out))


async def _login(base_url: str | None, email: str | None, password_stdin: bool, out: TextIO) -> int:
    base = base_url or settings.load().base_url
    if email is None:
        email = input("Neptun email: ").strip()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Neptun password: ")
    async with NeptunClient(base) as client:
        result = await client.login(email, password)
    where = credentials.save(_origin(base), result.session, result.user.id)
    print(
        f"Signed in to {_origin(base)} as {result.user.primary_email or email} "
        f"(user {result.user.id}). Session stored in {where}.",
        file=out,
    )
    return 0


async def _login_from_cli_config(path: str, base_url: str | None, out: TextIO) -> int:
    raw = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    try:
        document = CliConfiguration.model_validate_json(raw)
    except ValidationError as error:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in error.errors())
        raise NeptunError(
            f"That is not Neptun's CLI configuration document (problem with: {fields}).",
            hint="Copy the whole JSON of your Neptun CLI page (GET /api/users/{id}/cli).",
        ) from None
    base = base_url or document.utils.neptun_api_server_host
    session, user_id = document.auth.neptun_session_cookie, document.auth.user.id
    async with NeptunClient(base, session=session, user_id=user_id) as client:
        valid = await client.check_session()
    if not valid:
        raise NeptunError(
            "The session in that CLI document has expired.",
            hint="Open the Neptun CLI page again and copy a fresh document.",
        )
    where = credentials.save(_origin(base), session, user_id)
    print(f"Signed in to {_origin(base)} as user {user_id}. Session stored in {where}.", file=out)
    return 0


def run_login(
    base_url: str | None,
    email: str | None,
    password_stdin: bool,
    cli_config: str | None,
    out: TextIO = sys.stdout,
) -> int:
    if cli_config is not None:
        return _report(lambda: _login_from_cli_config(cli_config, base_url, out))
    return _report(lambda: _login(base_url, email, password_stdin, out))


async def _logout(base_url: str | None, out: TextIO) -> int:
    base = base_url or settings.load().base_url
    origin = _origin(base)
    found = credentials.load(origin, env={})
    if found.session is not None:
        try:
            async with NeptunClient(base, session=found.session) as client:
                await client.logout()
        except NeptunError as error:
            print(f"(The server was not told: {error.user_message})", file=sys.stderr)
    forgot = credentials.clear(origin)
    print(f"Signed out of {origin}." if forgot else f"No stored session for {origin}.", file=out)
    return 0


def run_logout(base_url: str | None, out: TextIO = sys.stdout) -> int:
    return _report(lambda: _logout(base_url, out))


def _report(make: Callable[[], Coroutine[Any, Any, int]]) -> int:
    """Run a coroutine factory; a NeptunError becomes one line on stderr and exit code 1."""
    try:
        code: int = asyncio.run(make())
    except NeptunError as error:
        print(f"neptun-lsp: {error}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, EOFError):
        print("neptun-lsp: cancelled; nothing was sent or stored.", file=sys.stderr)
        return 130
    return code
