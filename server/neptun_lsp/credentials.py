"""Where the session cookie and the user id live.

Order: `NEPTUN_SESSION` (+ `NEPTUN_USER_ID`) from the server's environment (the VS Code
extension passes them so), else the store: the OS keyring where a backend works, else a 0600
JSON file in the platformdirs config dir. Entries are kept per server origin, because a
session of the local server means nothing to the hosted one. The cookie is never a setting and
never travels in an LSP message.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr

from neptun_lsp import redaction
from neptun_lsp.settings import APP_NAME, config_file_path

log = logging.getLogger(__name__)
KEYRING_SERVICE = APP_NAME


@dataclass(frozen=True)
class Credentials:
    session: SecretStr | None
    user_id: int | None
    source: str  # "environment", "keyring", "file" or "none": shown by neptun.status


def credentials_file() -> Path:
    return config_file_path().parent / "credentials.json"


def _keyring_get(origin: str) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            value = keyring.get_password(KEYRING_SERVICE, origin)
        except KeyringError:
            return None
        return value if isinstance(value, str) else None
    except Exception:
        return None


def _keyring_set(origin: str, value: str | None) -> bool:
    try:
        import keyring

        if value is None:
            keyring.delete_password(KEYRING_SERVICE, origin)
        else:
            keyring.set_password(KEYRING_SERVICE, origin, value)
    except Exception:
        return False
    return True


def _read_file() -> dict[str, dict[str, object]]:
    try:
        data = json.loads(credentials_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_file(data: Mapping[str, object]) -> Path:
    path = credentials_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    # Created 0600 from the start: never a moment where others could read it.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
    os.replace(temporary, path)
    return path


def load(origin: str, env: Mapping[str, str] | None = None) -> Credentials:
    environment = os.environ if env is None else env
    user_id = _user_id(environment.get("NEPTUN_USER_ID"))
    if environment.get("NEPTUN_SESSION"):
        secret = environment["NEPTUN_SESSION"]
        redaction.register(secret)
        return Credentials(SecretStr(secret), user_id, "environment")
    entry = _read_file().get(origin, {})
    stored_user = _user_id(entry.get("user_id"))
    from_keyring = _keyring_get(origin)
    session, source = (from_keyring, "keyring") if from_keyring else (entry.get("session"), "file")
    if not isinstance(session, str) or not session:
        return Credentials(None, user_id or stored_user, "none")
    redaction.register(session)
    return Credentials(SecretStr(session), user_id or stored_user, source)


def save(origin: str, session: SecretStr, user_id: int) -> str:
    """Store a session for `origin`; returns where it went ("keyring" or the file's path)."""
    data = _read_file()
    in_keyring = _keyring_set(origin, session.get_secret_value())
    entry: dict[str, object] = {"user_id": user_id}
    if not in_keyring:
        entry["session"] = session.get_secret_value()
    data[origin] = entry
    path = _write_file(data)
    return "the OS keyring" if in_keyring else str(path)


def clear(origin: str) -> bool:
    """Forget the session of `origin`; True when there was one."""
    data = _read_file()
    had_file = data.pop(origin, None) is not None
    had_keyring = _keyring_get(origin) is not None and _keyring_set(origin, None)
    if had_file:
        _write_file(data)
    return had_file or had_keyring


def _user_id(raw: object) -> int | None:
    try:
        value = int(str(raw)) if raw not in (None, "") else None
    except ValueError:
        log.warning("ignoring a user id that is not a number")
        return None
    return value if value and value > 0 else None
