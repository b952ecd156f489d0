"""A document as the editor holds it -> FileInput. Pure: no disk, no LSP.

The title is the file name; the extension comes from the name, else (untitled and extension-less
buffers) from the language id. Files that are known by their whole name (Makefile, Dockerfile,
dotfiles) keep that name as the title.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from neptun_lsp import languages
from neptun_lsp.api.models import FileInput

FALLBACK_LANGUAGE = "plaintext"
FALLBACK_EXTENSION = "txt"


@dataclass(frozen=True)
class Document:
    uri: str
    text: str
    language_id: str | None


def name_from_uri(uri: str) -> str:
    """The last path segment: `file:///a/b%20c.py` -> `b c.py`, `untitled:Untitled-1` ->
    `Untitled-1`."""
    parts = urlsplit(uri)
    path = parts.path or parts.netloc or uri
    return PurePosixPath(unquote(path)).name or unquote(path).strip("/") or "untitled"


def _suffix(name: str) -> str:
    if languages.is_name_only_file(name):
        return ""
    stem, dot, extension = name.rpartition(".")
    return extension if dot and stem else ""


def capture(document: Document, title: str | None = None) -> FileInput:
    name = name_from_uri(document.uri)
    language_id = (document.language_id or "").strip()
    language = (
        languages.canonical_language(language_id)
        if language_id
        else (languages.language_for_filename(name) or FALLBACK_LANGUAGE)
    )
    extension = _suffix(name) or (
        languages.extension_for_language(language)
        or (languages.extension_for_language(languages.language_for_filename(name) or ""))
        or FALLBACK_EXTENSION
    )
    if title is None:
        title = name
        if urlsplit(document.uri).scheme == "untitled" and not _suffix(name):
            title = f"{name}.{extension}"  # "Untitled-1.py": the chat shows what it is
    return FileInput(
        text=document.text, title=title, language=language, extension=extension.lower()
    )
