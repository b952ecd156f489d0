"""Reading files that are not open in an editor: text only, exactly, or a refusal by name."""

from __future__ import annotations

from pathlib import Path

from neptun_lsp.guard import Refused


def read_text_file(path: Path) -> str:
    """A file's text, byte for byte (no newline translation); a binary, non-UTF-8 or
    unreadable file is refused with its name and the reason."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise Refused(f"{path} cannot be read ({error.strerror or error}).") from None
    if b"\x00" in data:
        raise Refused(f"{path} looks binary: only text files can be attached to a chat.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(f"{path} is not UTF-8 text: only text files can be attached.") from None
