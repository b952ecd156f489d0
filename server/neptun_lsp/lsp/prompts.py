"""Choosing a chat and a message over plain LSP, for editors without the VS Code extension.

LSP has no free-text input, so the choice goes through `window/showMessageRequest`: the
user's most recent chats, then that chat's most recent messages (plus "New message"). Every odd
answer (none, an unknown title, "", an error, a timeout) counts as "dismissed": editors differ
here (headless Neovim never answers, Emacs in batch answers "" or an error).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lsprotocol import types

from neptun_lsp.api.client import NeptunClient
from neptun_lsp.api.models import Chat, ChatMessage
from neptun_lsp.lsp import feedback
from neptun_lsp.lsp.server import NeptunLanguageServer
from neptun_lsp.sender import newest_first
from neptun_lsp.targets import Target

MAX_CHOICES = 8
EXCERPT_LENGTH = 40
PROMPT_TIMEOUT = 300.0  # a person is choosing: generous, but never forever
NEW_MESSAGE = "New message"
NEW_MESSAGE_TEXT = "Files from my editor:"
CHAT_QUESTION = "Send to which Neptun chat?"


class NoChats(Exception):
    """The user has no chat to send to."""


def can_prompt(server: NeptunLanguageServer) -> bool:
    """The `neptun.prompt` setting decides; by default, whether the client declares
    `window.showMessage` (eglot 1.9 answers prompts but declares nothing: set it there)."""
    if server.settings.prompt is not None:
        return server.settings.prompt
    window = server.client_capabilities.window
    return bool(window and window.show_message)


def excerpt(text: str) -> str:
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first_line) <= EXCERPT_LENGTH:
        return first_line or "(empty)"
    return first_line[: EXCERPT_LENGTH - 1].rstrip() + "…"


def unique_titles(labels: Sequence[tuple[int, str]]) -> dict[str, int]:
    """Title -> id; a label seen twice gets its id appended, so every title is unambiguous."""
    counts: dict[str, int] = {}
    for _, label in labels:
        counts[label] = counts.get(label, 0) + 1
    return {
        (label if counts[label] == 1 else f"{label} (#{item_id})"): item_id
        for item_id, label in labels
    }


def chat_choices(chats: Sequence[Chat]) -> dict[str, int]:
    recent = newest_first(list(chats))[:MAX_CHOICES]
    return unique_titles([(chat.id, chat.name or f"Chat {chat.id}") for chat in recent])


def message_choices(messages: Sequence[ChatMessage]) -> dict[str, int]:
    recent = list(reversed(messages))[:MAX_CHOICES]  # the API lists oldest first
    return unique_titles([(m.id, f"{m.actor}: {excerpt(m.message)}") for m in recent])


async def ask(server: NeptunLanguageServer, question: str, titles: Sequence[str]) -> str | None:
    """The chosen title, or None for any kind of dismissal."""
    answer = await feedback.ask_client(
        server.window_show_message_request_async(
            types.ShowMessageRequestParams(
                type=types.MessageType.Info,
                message=question,
                actions=[types.MessageActionItem(title=title) for title in titles],
            )
        ),
        "window/showMessageRequest",
        timeout=PROMPT_TIMEOUT,
    )
    title = getattr(answer, "title", None)
    return title if isinstance(title, str) and title in titles else None


@dataclass(frozen=True)
class Choice:
    target: Target | None  # None: the user dismissed a prompt


async def choose_target(server: NeptunLanguageServer, client: NeptunClient) -> Choice:
    chats = await client.list_chats()
    if not chats:
        raise NoChats()
    by_title = chat_choices(chats)
    chat_title = await ask(server, CHAT_QUESTION, list(by_title))
    if chat_title is None:
        return Choice(None)
    chat = next(chat for chat in chats if chat.id == by_title[chat_title])
    messages = message_choices(await client.list_messages(chat.id))
    question = f"Attach to which message in “{chat.name}”?"
    message_title = await ask(server, question, [*messages, NEW_MESSAGE])
    if message_title is None:
        return Choice(None)
    if message_title == NEW_MESSAGE:
        message_id = (await client.create_message(chat.id, NEW_MESSAGE_TEXT)).id
    else:
        message_id = messages[message_title]
    return Choice(Target(chat.id, message_id, chat.name or None))
