"""Pydantic models of the Neptun wire format.

Exact for what we send (the seed document's FileInput and the two request forms), liberal for
what we accept: the deployed service answers a one-element list where the documents promise an
object, `null` when a database insert failed, optional fields, string ids and extra keys
(see shared/neptun-api/README.md, "Real behaviour"). Every answer model normalises those shapes
so that callers see one form.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

# A positive integer id, as the service validates path ids.
PositiveId = Annotated[int, Field(gt=0)]


class _Outgoing(BaseModel):
    """What we send: every field required and nothing extra, so a typo fails here, not upstream."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Incoming(BaseModel):
    """What we accept: unknown keys ignored, so a new upstream field never breaks a user."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)


def _one_or_many(value: Any) -> Any:
    """The real service wraps single records in a one-element list; accept both."""
    if value is None or isinstance(value, list):
        return value
    return [value]


# ---- files -------------------------------------------------------------------------------


class FileInput(_Outgoing):
    """One file to attach: the seed document's FileInput. All four fields are always sent."""

    text: str
    title: str
    language: str
    extension: str


class SingleFileRequest(FileInput):
    """The single-file body form: a FileInput at the top level."""


class MultipleFilesRequest(_Outgoing):
    files: Annotated[list[FileInput], Field(min_length=1)]


class ChatFile(_Incoming):
    id: int
    chat_conversation_id: int
    chat_conversation_message_id: int
    # Documented as an integer, shown as "user123" in one example: keep whatever comes.
    neptun_user_id: int | str | None = None
    title: str | None = None
    text: str
    language: str = "text"
    extension: str = "txt"
    created_at: datetime | None = None
    updated_at: datetime | None = None


class SingleFileResponse(_Incoming):
    """`{"chatFile": {...}}` as documented, `{"chatFile": [{...}]}` or `null` as deployed."""

    chat_file: list[ChatFile] | None = Field(alias="chatFile")

    _normalise = field_validator("chat_file", mode="before")(_one_or_many)


class MultipleFilesResponse(_Incoming):
    chat_files: list[ChatFile] | None = Field(alias="chatFiles")

    _normalise = field_validator("chat_files", mode="before")(_one_or_many)


# ---- chats and messages ------------------------------------------------------------------


class Chat(_Incoming):
    id: int
    neptun_user_id: int | str | None = None
    model: str = ""
    name: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None


class ChatsResponse(_Incoming):
    chats: list[Chat] | None


class CreateChatRequest(_Outgoing):
    model: str
    name: str


class CreateChatResponse(_Incoming):
    chat: list[Chat] | None

    _normalise = field_validator("chat", mode="before")(_one_or_many)


Actor = Literal["user", "assistant", "system"]


class ChatMessage(_Incoming):
    id: int
    message: str = ""
    actor: str = "user"
    neptun_user_id: int | str | None = None
    chat_conversation_id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class MessagesResponse(_Incoming):
    chat_messages: list[ChatMessage] | None = Field(alias="chatMessages")


class CreateMessageRequest(_Outgoing):
    message: str
    actor: Actor


class CreateMessageResponse(_Incoming):
    """`{"chatMessage": {...}}` documented; `{"chatMessage": [{...}]}` deployed."""

    chat_message: list[ChatMessage] | None = Field(alias="chatMessage")

    _normalise = field_validator("chat_message", mode="before")(_one_or_many)


# ---- auth --------------------------------------------------------------------------------


class Credentials(_Outgoing):
    email: str
    password: str


class UserInfo(_Incoming):
    id: int
    primary_email: str | None = None


class LoginResponse(_Incoming):
    user: UserInfo
    logged_in_at: datetime | None = Field(default=None, alias="loggedInAt")


class CliUser(_Incoming):
    id: int
    email: str | None = None


class CliAuth(_Incoming):
    neptun_session_cookie: SecretStr
    user: CliUser


class CliUtils(_Incoming):
    neptun_api_server_host: str


class CliActiveChat(_Incoming):
    chat_id: int
    chat_name: str | None = None
    model: str | None = None


class CliConfiguration(_Incoming):
    """The answer of `GET /api/users/{id}/cli`: how GitHub-account users get a session."""

    utils: CliUtils
    auth: CliAuth
    active_chat: CliActiveChat | None = None


# ---- errors ------------------------------------------------------------------------------


class ErrorIssue(_Incoming):
    code: str | None = None
    message: str | None = None
    path: list[str | int] | None = None
    expected: str | None = None
    received: str | None = None


class ErrorData(_Incoming):
    issues: list[ErrorIssue] | None = None
    message: str | None = None


class ErrorEnvelope(_Incoming):
    """`{statusCode, statusMessage, data: {issues|message}}`, plus the deployed `message`."""

    status_code: int | None = Field(default=None, alias="statusCode")
    status_message: str | None = Field(default=None, alias="statusMessage")
    message: str | None = None
    data: ErrorData | None = None

    @field_validator("data", mode="before")
    @classmethod
    def _tolerate_odd_data(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else None

    def summary(self) -> str | None:
        """The most specific human text in the envelope, or None when there is none."""
        if self.data and self.data.issues:
            parts = []
            for issue in self.data.issues:
                where = ".".join(str(p) for p in issue.path or [])
                text = issue.message or issue.code or "invalid"
                parts.append(f"{where}: {text}" if where else text)
            return "; ".join(parts)
        if self.data and self.data.message:
            return self.data.message
        return self.message or self.status_message
