"""Typed failures of the Neptun API, each with one sentence a user understands.

This is the one place where HTTP statuses and transport failures become words. Every error
carries `user_message` (what happened) and `hint` (what to do); neither ever contains the
session cookie, because nothing here is given the cookie.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from pydantic import ValidationError

from neptun_lsp.api.models import ErrorEnvelope

SIGN_IN_HINT = "Sign in again: run `neptun-lsp login` (or 'Neptun: Sign In' in VS Code)."


class NeptunError(Exception):
    """Base of every failure the user may see. `str(error)` is the user-facing sentence."""

    default_message = "The Neptun request failed."
    default_hint = ""

    def __init__(
        self,
        user_message: str | None = None,
        *,
        hint: str | None = None,
        status: int | None = None,
        detail: str | None = None,
    ) -> None:
        self.user_message = user_message or self.default_message
        self.hint = self.default_hint if hint is None else hint
        self.status = status
        # Server-provided detail (validation issues...): shown after the sentence.
        self.detail = detail
        super().__init__(self.describe())

    def describe(self) -> str:
        """One line: what happened, the server's detail if any, then what to do."""
        text = self.user_message
        if self.detail:
            text = f"{text.rstrip('.')}: {self.detail}."
        return f"{text} {self.hint}".strip()


class NotSignedIn(NeptunError):
    default_message = "You are not signed in to Neptun."
    default_hint = "Run `neptun-lsp login`, or set NEPTUN_SESSION and NEPTUN_USER_ID."


class Unauthorized(NeptunError):
    default_message = "Your Neptun session has expired or is invalid."
    default_hint = SIGN_IN_HINT


class NotFound(NeptunError):
    default_message = "The chat or message was not found, or it is not yours."
    default_hint = "Choose another chat and message."


class Invalid(NeptunError):
    default_message = "The Neptun server refused the request as invalid."
    default_hint = ""


class Conflict(Invalid):
    default_message = "That already exists on the Neptun server."


class TooLarge(NeptunError):
    default_message = "The upload is larger than the Neptun server accepts."
    default_hint = "Send fewer or smaller files, or a selection."


class RateLimited(NeptunError):
    default_message = "The Neptun server is rate-limiting requests."
    default_hint = "Wait a moment and try again."

    def __init__(
        self,
        user_message: str | None = None,
        *,
        retry_after: float | None = None,
        status: int | None = None,
    ) -> None:
        self.retry_after = retry_after
        hint = None if retry_after is None else f"Try again in {retry_after:g} s."
        super().__init__(user_message, hint=hint, status=status)


class ServerError(NeptunError):
    default_message = "The Neptun server failed to handle the request."
    default_hint = "Try again later; nothing was lost on your side."


class EmptyAnswer(ServerError):
    """A 200 that created nothing (`{"chatFile": null}`): the deployed service's insert failure."""

    default_message = "The Neptun server answered but stored nothing."


class UnexpectedAnswer(ServerError):
    default_message = "The Neptun server gave an answer this client does not understand."
    default_hint = "Check `neptun.baseUrl`: it must point at a Neptun server."


class Unreachable(NeptunError):
    default_message = "Could not reach the Neptun server."
    default_hint = "Check your network and `neptun.baseUrl`."

    def __init__(self, user_message: str | None = None, *, maybe_delivered: bool = False) -> None:
        # A timeout after the body went out may still have created files upstream.
        self.maybe_delivered = maybe_delivered
        super().__init__(user_message)


class InsecureBaseUrl(NeptunError):
    default_message = "Refusing plain http:// to a host that is not this machine."
    default_hint = "Use an https:// base URL (http:// is allowed only for 127.0.0.1/localhost)."


def _parse_envelope(body: bytes) -> ErrorEnvelope | None:
    try:
        raw = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(raw, dict):
        return None
    try:
        return ErrorEnvelope.model_validate(raw)
    except ValidationError:
        return None


def _retry_after(headers: Mapping[str, str]) -> float | None:
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: rare enough that "wait a moment" is fine


_NO_ACCESS_MARKERS = ("do not have access", "not have access to this resource")


def error_for_status(status: int, headers: Mapping[str, str], body: bytes) -> NeptunError:
    """Map a non-success answer to a typed error. Pure: no I/O, never sees the cookie."""
    envelope = _parse_envelope(body)
    detail = envelope.summary() if envelope else None
    if status == 401:
        text = (detail or "").lower()
        if envelope and any(marker in text for marker in _NO_ACCESS_MARKERS):
            # The deployed service says 401 "no access" for someone else's (or a missing)
            # chat or message: that is a wrong target, not an expired session.
            return NotFound(status=status)
        return Unauthorized(status=status)
    if status == 403:
        return Unauthorized("The Neptun server refused access (403).", status=status, detail=detail)
    if status == 404:
        return NotFound(status=status, detail=detail)
    if status == 409:
        return Conflict(status=status, detail=detail)
    if status == 413:
        return TooLarge(status=status)
    if status == 429:
        return RateLimited(status=status, retry_after=_retry_after(headers))
    if 400 <= status < 500:
        return Invalid(status=status, detail=detail)
    if status in (502, 503, 504):
        return ServerError(f"The Neptun server is unavailable right now ({status}).", status=status)
    return ServerError(status=status, detail=detail if envelope else None)
