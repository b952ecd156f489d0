"""Request validation of the local server, answering with zod-style issues like upstream.

Pure functions: a parsed JSON value in, either the typed values or a list of issues out.
"""

from __future__ import annotations

import re
from typing import Any

from neptun_lsp.local.store import NewFile

Issue = dict[str, Any]
Path = list[str | int]

_POSITIVE_INT = re.compile(r"[1-9][0-9]{0,17}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
FILE_FIELDS = ("text", "title", "language", "extension")


class Invalid(Exception):
    def __init__(self, status_message: str, issues: list[Issue]) -> None:
        super().__init__(status_message)
        self.status_message = status_message
        self.issues = issues


def issue(path: Path, message: str, code: str = "invalid_type", **extra: Any) -> Issue:
    return {"code": code, "message": message, "path": path, **extra}


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else "string"


def _string_issue(obj: dict[str, Any], key: str, path: Path) -> Issue | None:
    if key not in obj:
        return issue([*path, key], "Required", expected="string", received="undefined")
    if not isinstance(obj[key], str):
        return issue(
            [*path, key],
            f"Expected string, received {_type_name(obj[key])}",
            expected="string",
            received=_type_name(obj[key]),
        )
    return None


def route_ids(params: dict[str, str]) -> dict[str, int]:
    """Path ids as positive integers (`abc`, `0`, `-1`, `1.5` are refused)."""
    ids: dict[str, int] = {}
    issues: list[Issue] = []
    for name, raw in params.items():
        if _POSITIVE_INT.fullmatch(raw):
            ids[name] = int(raw)
        else:
            issues.append(
                issue([name], f"{name} must be a positive integer", code="invalid_id", received=raw)
            )
    if issues:
        raise Invalid("Bad Request. Invalid route parameters.", issues)
    return ids


def _file(obj: Any, path: Path) -> tuple[NewFile | None, list[Issue]]:
    if not isinstance(obj, dict):
        return None, [issue(path, f"Expected object, received {_type_name(obj)}")]
    issues = [found for key in FILE_FIELDS if (found := _string_issue(obj, key, path))]
    if issues:
        return None, issues
    return NewFile(
        text=obj["text"], title=obj["title"], language=obj["language"], extension=obj["extension"]
    ), []


def files_body(body: Any) -> list[NewFile]:
    """The seed endpoint's two body forms: one FileInput, or `{"files": [FileInput, ...]}`."""
    message = "Bad Request. Invalid body(file | files)."
    if not isinstance(body, dict):
        raise Invalid(message, [issue([], f"Expected object, received {_type_name(body)}")])
    if "files" not in body:
        file, issues = _file(body, [])
        if file is None:
            raise Invalid(message, issues)
        return [file]
    files = body["files"]
    if not isinstance(files, list):
        raise Invalid(message, [issue(["files"], f"Expected array, received {_type_name(files)}")])
    if not files:
        raise Invalid(
            message,
            [issue(["files"], "Array must contain at least 1 element(s)", code="too_small")],
        )
    parsed: list[NewFile] = []
    all_issues: list[Issue] = []
    for index, item in enumerate(files):
        file, issues = _file(item, ["files", index])
        all_issues.extend(issues)
        if file is not None:
            parsed.append(file)
    if all_issues:
        raise Invalid(message, all_issues)
    return parsed


def credentials_body(body: Any) -> tuple[str, str]:
    message = "Bad Request. Invalid body(email, password)."
    if not isinstance(body, dict):
        raise Invalid(message, [issue([], f"Expected object, received {_type_name(body)}")])
    issues = [found for key in ("email", "password") if (found := _string_issue(body, key, []))]
    if issues:
        raise Invalid(message, issues)
    email, password = body["email"], body["password"]
    if not _EMAIL.fullmatch(email):
        issues.append(issue(["email"], "Invalid email", code="invalid_string"))
    if not password:
        issues.append(issue(["password"], "Password must not be empty", code="too_small"))
    if issues:
        raise Invalid(message, issues)
    return email, password


def chat_body(body: Any) -> tuple[str, str]:
    message = "Bad Request. Invalid body(model, name)."
    if not isinstance(body, dict):
        raise Invalid(message, [issue([], f"Expected object, received {_type_name(body)}")])
    issues = [found for key in ("model", "name") if (found := _string_issue(body, key, []))]
    issues += [
        issue([key], "Must not be empty", code="too_small")
        for key in ("model", "name")
        if not issues and not body[key].strip()
    ]
    if issues:
        raise Invalid(message, issues)
    return body["name"], body["model"]


_ACTORS = ("user", "assistant", "system")


def messages_body(body: Any) -> list[tuple[str, str]]:
    """`{message, actor}` or `{messages: [{content, role}]}` as (actor, text) pairs."""
    message = "Bad Request. Invalid body(message | messages)."
    if not isinstance(body, dict):
        raise Invalid(message, [issue([], f"Expected object, received {_type_name(body)}")])
    base: Path
    if "messages" in body:
        items, text_key, actor_key, base = body["messages"], "content", "role", ["messages"]
        if not isinstance(items, list) or not items:
            raise Invalid(message, [issue(base, "Expected a non-empty array")])
    else:
        items, text_key, actor_key, base = [body], "message", "actor", []
    pairs: list[tuple[str, str]] = []
    issues: list[Issue] = []
    for index, item in enumerate(items):
        path: Path = [*base, index] if base else []
        if not isinstance(item, dict):
            issues.append(issue(path, "Expected object"))
            continue
        found = [f for key in (text_key, actor_key) if (f := _string_issue(item, key, path))]
        if not found and item[actor_key] not in _ACTORS:
            found.append(issue([*path, actor_key], "Invalid enum value", code="invalid_enum_value"))
        issues.extend(found)
        if not found:
            pairs.append((item[actor_key], item[text_key]))
    if issues:
        raise Invalid(message, issues)
    return pairs
