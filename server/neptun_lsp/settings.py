"""One Settings object, merged from its sources in one documented order.

Highest first: command arguments (applied by the caller), the LSP `neptun` section
(`workspace/configuration`, else `initializationOptions`), the environment, the config file
(`config.toml` in the platformdirs user config dir). A bad value never stops the server: it is
reported with where it came from (`neptun.maxRequestBytes (LSP settings): ...`) and the next
source, or the default, is used instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_config_path, user_state_path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

APP_NAME = "neptun-lsp"
DEFAULT_BASE_URL = "https://neptun-webui.vercel.app"
DEFAULT_MAX_REQUEST_BYTES = 4_000_000


@dataclass(frozen=True)
class Setting:
    key: str  # the LSP / config-file key, camelCase as in VS Code settings
    env: str
    kind: type
    attribute: str  # the field of Settings


# The one table of settings: LSP key, environment variable, type. Defaults live on Settings.
SETTINGS = (
    Setting("baseUrl", "NEPTUN_BASE_URL", str, "base_url"),
    Setting("userId", "NEPTUN_USER_ID", int, "user_id"),
    Setting("chatId", "NEPTUN_CHAT_ID", int, "chat_id"),
    Setting("messageId", "NEPTUN_MESSAGE_ID", int, "message_id"),
    Setting("maxRequestBytes", "NEPTUN_MAX_REQUEST_BYTES", int, "max_request_bytes"),
    Setting("chatUrl", "NEPTUN_CHAT_URL", str, "chat_url"),
    Setting("prompt", "NEPTUN_PROMPT", bool, "prompt"),
)


@dataclass(frozen=True)
class Settings:
    base_url: str = DEFAULT_BASE_URL
    user_id: int | None = None
    chat_id: int | None = None
    message_id: int | None = None
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    chat_url: str | None = None
    # None: prompt when the client declares window.showMessage; True/False force it.
    prompt: bool | None = None
    problems: tuple[str, ...] = field(default=(), compare=False)

    def chat_url_for(self, chat_id: int | None) -> str:
        """The web page of a chat: the `chatUrl` template, else the web app's root."""
        template = self.chat_url or self.base_url.rstrip("/") + "/"
        return template.replace("{chatId}", "" if chat_id is None else str(chat_id))


def config_file_path() -> Path:
    override = os.environ.get("NEPTUN_CONFIG_FILE")
    return Path(override) if override else user_config_path(APP_NAME) / "config.toml"


def state_dir() -> Path:
    override = os.environ.get("NEPTUN_STATE_DIR")
    return Path(override) if override else user_state_path(APP_NAME)


_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")


def _convert(value: Any, kind: type) -> Any:
    if kind is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE + _FALSE:
            return text in _TRUE
        raise ValueError(f"expected true or false, got {value!r}")
    if kind is int:
        problem = ValueError(f"expected a positive whole number, got {value!r}")
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise problem
        try:
            number = int(value)
        except ValueError:
            raise problem from None
        if number <= 0:
            raise problem
        return number
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected a non-empty string, got {value!r}")
    return value.strip()


def lsp_section(raw: Any) -> Mapping[str, Any]:
    """The `neptun` section, whether a client sent it nested (`{"neptun": {...}}`) or bare."""
    if not isinstance(raw, Mapping):
        return {}
    nested = raw.get("neptun")
    return nested if isinstance(nested, Mapping) else raw


def read_config_file(path: Path) -> tuple[Mapping[str, Any], list[str]]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return {}, []
    except (OSError, tomllib.TOMLDecodeError) as error:
        return {}, [f"{path}: could not be read ({error}); it is ignored"]
    return lsp_section(data), []


def merge(
    lsp: Mapping[str, Any], env: Mapping[str, str], config_file: Mapping[str, Any]
) -> Settings:
    """Pure: the three sources (highest first) merged into Settings, with the problems found."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    sources = (("LSP settings", lsp), ("environment", None), ("config file", config_file))
    for setting in SETTINGS:
        for source_name, source in sources:
            raw = env.get(setting.env) if source is None else source.get(setting.key)
            if raw is None or raw == "":
                continue
            where = setting.env if source is None else f"neptun.{setting.key}"
            try:
                values[setting.attribute] = _convert(raw, setting.kind)
                break
            except ValueError as error:
                problems.append(f"{where} ({source_name}): {error}; it is ignored")
    return Settings(**values, problems=tuple(problems))


def load(lsp_raw: Any = None, env: Mapping[str, str] | None = None) -> Settings:
    file_values, file_problems = read_config_file(config_file_path())
    merged = merge(lsp_section(lsp_raw), os.environ if env is None else env, file_values)
    if not file_problems:
        return merged
    return Settings(**{**merged.__dict__, "problems": (*file_problems, *merged.problems)})
