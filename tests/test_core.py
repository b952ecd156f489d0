"""The pure core, without I/O: capture, settings merge, target resolution, guard, batching."""

from __future__ import annotations

import pytest

from neptun_lsp import guard, settings
from neptun_lsp.api.models import FileInput
from neptun_lsp.capture import Document, capture, name_from_uri
from neptun_lsp.sender import plan_batches
from neptun_lsp.settings import Settings, merge
from neptun_lsp.targets import Target, resolve


@pytest.mark.parametrize(
    ("uri", "name"),
    [
        pytest.param("file:///a/b%20c.py", "b c.py", id="quoted"),
        pytest.param("untitled:Untitled-1", "Untitled-1", id="untitled"),
        pytest.param("file:///C%3A/src/x.ts", "x.ts", id="windows"),
        pytest.param("vscode-notebook-cell:/n.ipynb#W1", "n.ipynb", id="cell"),
    ],
)
def test_name_from_uri(uri: str, name: str) -> None:
    assert name_from_uri(uri) == name


def test_capture_keeps_text_byte_for_byte() -> None:
    text = "a\r\nb\n\tc 😀 𠀋\n\n"
    file = capture(Document("file:///x/y.py", text, "python"))
    assert file == FileInput(text=text, title="y.py", language="python", extension="py")


def test_capture_title_override() -> None:
    file = capture(Document("file:///x/y.py", "t", "python"), title="y.py#L1-2")
    assert file.title == "y.py#L1-2"


def test_settings_precedence_and_problems() -> None:
    merged = merge(
        lsp={"chatId": 3, "maxRequestBytes": "many", "baseUrl": ""},
        env={
            "NEPTUN_CHAT_ID": "4",
            "NEPTUN_MESSAGE_ID": "9",
            "NEPTUN_MAX_REQUEST_BYTES": "500",
            "NEPTUN_USER_ID": "-2",
        },
        config_file={"messageId": 10, "baseUrl": "https://file.example", "userId": 7},
    )
    assert (merged.chat_id, merged.message_id) == (3, 9)
    assert merged.max_request_bytes == 500  # the bad LSP value falls through to env
    assert merged.base_url == "https://file.example"
    assert merged.user_id == 7
    assert merged.problems == (
        "NEPTUN_USER_ID (environment): expected a positive whole number, got '-2'; it is ignored",
        "neptun.maxRequestBytes (LSP settings): expected a positive whole number, got 'many'; "
        "it is ignored",
    )


def test_defaults() -> None:
    defaults = merge({}, {}, {})
    assert defaults.base_url == "https://neptun-webui.vercel.app"
    assert defaults.max_request_bytes == 4_000_000
    assert defaults.chat_url_for(5) == "https://neptun-webui.vercel.app/"
    templated = Settings(chat_url="https://x.example/chat/{chatId}")
    assert templated.chat_url_for(5) == "https://x.example/chat/5"


def test_lsp_section_nested_or_bare() -> None:
    assert settings.lsp_section({"neptun": {"chatId": 1}}) == {"chatId": 1}
    assert settings.lsp_section({"chatId": 1}) == {"chatId": 1}
    assert settings.lsp_section(None) == {}


REMEMBERED = Target(1, 2, "Remembered")
CONFIGURED = Settings(chat_id=5, message_id=6)


@pytest.mark.parametrize(
    ("chat", "message", "remembered", "configured", "expected", "source"),
    [
        pytest.param(7, 8, REMEMBERED, CONFIGURED, Target(7, 8), "arguments", id="arguments"),
        pytest.param(
            1,
            3,
            REMEMBERED,
            CONFIGURED,
            Target(1, 3, "Remembered"),
            "arguments",
            id="arguments-keep-known-name",
        ),
        pytest.param(None, None, REMEMBERED, CONFIGURED, REMEMBERED, "remembered", id="remembered"),
        pytest.param(
            1, None, REMEMBERED, CONFIGURED, REMEMBERED, "remembered", id="same-chat-remembered"
        ),
        pytest.param(None, None, None, CONFIGURED, Target(5, 6), "settings", id="settings"),
        pytest.param(9, None, REMEMBERED, CONFIGURED, None, "none", id="chat-alone-never-mixed"),
        pytest.param(None, None, None, Settings(chat_id=5), None, "none", id="half-settings"),
    ],
)
def test_target_resolution(
    chat: int | None,
    message: int | None,
    remembered: Target | None,
    configured: Settings,
    expected: Target | None,
    source: str,
) -> None:
    resolved = resolve(chat, message, remembered, configured)
    assert (resolved.target, resolved.source) == (expected, source)


def file(title: str, size: int) -> FileInput:
    return FileInput(text="x" * size, title=title, language="plaintext", extension="txt")


def test_guard() -> None:
    guard.check([file("ok.txt", 10)], 1000)
    with pytest.raises(guard.Refused, match="nothing to send"):
        guard.check([], 1000)
    with pytest.raises(guard.Refused, match=r"b\.bin looks binary"):
        guard.check([FileInput(text="a\x00b", title="b.bin", language="x", extension="bin")], 1000)
    with pytest.raises(guard.Refused, match=r"big\.txt is 2\.1 kB as a request, over the 1\.0 kB"):
        guard.check([file("big.txt", 2000)], 1000)


def test_request_size_matches_the_wire_encoding() -> None:
    one = FileInput(text="ü😀", title="a", language="b", extension="c")
    assert guard.request_size([one]) == len(
        '{"text": "ü😀", "title": "a", "language": "b", "extension": "c"}'.encode()
    )


def test_batches_pack_in_order_under_the_limit() -> None:
    files = [file(f"{n}.txt", 300) for n in range(5)]
    batches = plan_batches(files, 1000)
    assert [[f.title for f in batch] for batch in batches] == [
        ["0.txt", "1.txt"],
        ["2.txt", "3.txt"],
        ["4.txt"],
    ]
    assert all(guard.request_size(batch) <= 1000 for batch in batches)
    assert plan_batches(files, 10_000) == [files]
