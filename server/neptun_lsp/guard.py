"""Checks before anything leaves the machine. Pure: files in, refusal (or nothing) out.

Nothing is ever truncated: a file that cannot go whole is refused with its name and size.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from neptun_lsp.api.errors import NeptunError
from neptun_lsp.api.models import FileInput


class Refused(NeptunError):
    default_message = "Nothing was sent."


def human_size(size: int) -> str:
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1_000_000:.2f} MB"


def request_size(files: Sequence[FileInput]) -> int:
    """Bytes of the JSON body the client will send for these files (same encoding)."""
    if len(files) == 1:
        body: object = files[0].model_dump()
    else:
        body = {"files": [file.model_dump() for file in files]}
    return len(json.dumps(body, ensure_ascii=False).encode("utf-8"))


def check(files: Sequence[FileInput], max_request_bytes: int) -> None:
    if not files:
        raise Refused("There is nothing to send.")
    for file in files:
        if "\x00" in file.text:
            raise Refused(
                f"{file.title} looks binary (it contains NUL characters): "
                "only text can be attached to a chat."
            )
        size = request_size([file])
        if size > max_request_bytes:
            raise Refused(
                f"{file.title} is {human_size(size)} as a request, over the "
                f"{human_size(max_request_bytes)} limit (`neptun.maxRequestBytes`).",
                hint="Send a selection of it instead; nothing was cut or sent.",
            )
