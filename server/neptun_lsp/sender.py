"""The one send pipeline, used by the LSP commands and by `neptun-lsp send`.

capture (done by the caller) -> guard -> batches under the size limit -> client. Nothing here
knows about LSP or the terminal: progress goes through a callback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from neptun_lsp import guard
from neptun_lsp.api.client import NeptunClient
from neptun_lsp.api.errors import NeptunError, NotSignedIn
from neptun_lsp.api.models import Chat, ChatFile, FileInput
from neptun_lsp.credentials import Credentials
from neptun_lsp.settings import Settings
from neptun_lsp.targets import Target

log = logging.getLogger(__name__)
Progress = Callable[[str, int], None]  # (message, percentage)


@dataclass(frozen=True)
class Receipt:
    target: Target
    sent: tuple[FileInput, ...]
    created: tuple[ChatFile, ...]

    def summary(self) -> str:
        """`Sent a.py (1.2 kB), b.py (30 B) to “Chat” (chat 1), message 2.`"""
        names = ", ".join(
            f"{file.title} ({guard.human_size(len(file.text.encode('utf-8')))})"
            for file in self.sent
        )
        return f"Sent {names} to {self.target.describe()}."


class PartlySent(NeptunError):
    """A later batch failed after earlier ones were stored: say exactly which went."""

    def __init__(self, cause: NeptunError, sent: Sequence[FileInput]) -> None:
        names = ", ".join(file.title for file in sent)
        super().__init__(
            f"Only {names} reached the chat before this failure: {cause.user_message}",
            hint=cause.hint,
            status=cause.status,
        )
        self.cause = cause


def plan_batches(files: Sequence[FileInput], max_request_bytes: int) -> list[list[FileInput]]:
    """Pure: consecutive files packed into as few requests as the size limit allows."""
    batches: list[list[FileInput]] = []
    for file in files:
        if batches and guard.request_size([*batches[-1], file]) <= max_request_bytes:
            batches[-1].append(file)
        else:
            batches.append([file])
    return batches


def open_client(settings: Settings, credentials: Credentials) -> NeptunClient:
    if credentials.session is None:
        raise NotSignedIn()
    user_id = settings.user_id or credentials.user_id
    if user_id is None:
        raise NotSignedIn(
            "Your Neptun user id is unknown.", hint="Run `neptun-lsp login`, or set NEPTUN_USER_ID."
        )
    return NeptunClient(
        settings.base_url,
        session=credentials.session,
        user_id=user_id,
    )


def newest_first(chats: list[Chat]) -> list[Chat]:
    """Newest first by last activity; a stable sort keeps the server's order among equals."""

    def when(chat: Chat) -> float:
        moment = chat.updated_at or chat.created_at
        return moment.timestamp() if moment else 0.0

    return sorted(chats, key=when, reverse=True)


def chat_names(chats: Iterable[Chat]) -> dict[int, str]:
    return {chat.id: chat.name for chat in chats if chat.name}


async def named_target(client: NeptunClient, target: Target, known: dict[int, str]) -> Target:
    """The target with its chat's name, for the messages people read. Best effort: `known`
    is consulted (and filled) first; a failed lookup keeps the bare id."""
    if target.chat_name:
        return target
    if target.chat_id not in known:
        try:
            known.update(chat_names(await client.list_chats()))
        except NeptunError as error:
            log.info("could not look up chat names: %s", error.user_message)
            return target
    return replace(target, chat_name=known.get(target.chat_id))


async def send(
    client: NeptunClient,
    target: Target,
    files: Sequence[FileInput],
    *,
    max_request_bytes: int,
    progress: Progress | None = None,
) -> Receipt:
    guard.check(files, max_request_bytes)
    batches = plan_batches(files, max_request_bytes)
    created: list[ChatFile] = []
    done: list[FileInput] = []
    for index, batch in enumerate(batches):
        if progress:
            titles = ", ".join(file.title for file in batch)
            progress(f"Uploading {titles}", int(100 * index / len(batches)))
        try:
            created += await client.create_files(target.chat_id, target.message_id, batch)
        except NeptunError as error:
            raise (PartlySent(error, done) if done else error) from None
        done += batch
    return Receipt(target=target, sent=tuple(files), created=tuple(created))
