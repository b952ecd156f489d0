"""Which chat and message a send goes to: resolution order and per-workspace memory.

Order: command arguments, then the target remembered for this workspace (and server), then the
`neptun.chatId`/`neptun.messageId` settings. Memory is a small JSON file in the platformdirs
state dir, keyed by server origin and workspace root, so two projects keep their own chats.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from neptun_lsp.settings import Settings, state_dir

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Target:
    chat_id: int
    message_id: int
    chat_name: str | None = None

    def describe(self) -> str:
        chat = (
            f"“{self.chat_name}” (chat {self.chat_id})"
            if self.chat_name
            else (f"chat {self.chat_id}")
        )
        return f"{chat}, message {self.message_id}"


@dataclass(frozen=True)
class Resolved:
    target: Target | None
    source: str  # "arguments", "remembered", "settings" or "none"


def resolve(
    chat_id: int | None, message_id: int | None, remembered: Target | None, settings: Settings
) -> Resolved:
    """Pure. Ids travel as a pair: a chat from one source with a message from another could
    name a message of a different chat, which the deployed service does not catch."""
    if chat_id is not None and message_id is not None:
        name = remembered.chat_name if remembered and remembered.chat_id == chat_id else None
        return Resolved(Target(chat_id, message_id, name), "arguments")
    if remembered is not None and chat_id in (None, remembered.chat_id):
        return Resolved(remembered, "remembered")
    if (
        settings.chat_id is not None
        and settings.message_id is not None
        and chat_id in (None, settings.chat_id)
    ):
        return Resolved(Target(settings.chat_id, settings.message_id), "settings")
    return Resolved(None, "none")


HOW_TO_CHOOSE = (
    "No Neptun chat and message chosen. Pass chatId and messageId to the command, set "
    "`neptun.chatId` and `neptun.messageId` (or NEPTUN_CHAT_ID and NEPTUN_MESSAGE_ID), "
    "or use 'Neptun: Choose Target' in VS Code."
)


class TargetMemory:
    """The last target used, per (server origin, workspace root)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or state_dir() / "targets.json"

    @staticmethod
    def key(origin: str, workspace: str | None) -> str:
        return f"{origin} {workspace or '-'}"

    def _read(self) -> dict[str, dict[str, object]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, origin: str, workspace: str | None) -> Target | None:
        entry = self._read().get(self.key(origin, workspace))
        if not isinstance(entry, dict):
            return None
        try:
            chat_id, message_id = int(str(entry["chat_id"])), int(str(entry["message_id"]))
        except (KeyError, ValueError):
            return None
        name = entry.get("chat_name")
        return Target(chat_id, message_id, name if isinstance(name, str) else None)

    def remember(self, origin: str, workspace: str | None, target: Target) -> None:
        data = self._read()
        data[self.key(origin, workspace)] = asdict(target)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(json.dumps(data, indent=2), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as error:
            # Forgetting a target is an inconvenience, never a reason to fail a send.
            log.warning("could not remember the target in %s: %s", self.path, error)
