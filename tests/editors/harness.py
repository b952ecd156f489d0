"""Real editors (headless Neovim, Emacs + eglot in batch) as the LSP client of neptun-lsp.

Each test writes a sample file and a JSON brief for its driver (nvim_driver.lua,
emacs_driver.el), runs the editor under a hard timeout, and lets the editor's own LSP client
start `python -m neptun_lsp`. The driver edits the buffer without saving, runs "Send buffer to
Neptun chat" and then "Send selection to Neptun chat" through the editor's code-action menu,
answers the server's chat and message prompts, and writes what it saw to a JSON result. The
checks below then read the stored files back over plain HTTP: what the editor held is what
arrived, and the file on disk never changed.

The shared scenario lives here so that both editors are held to exactly the same expectations.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from neptun_lsp.local.serve import DEMO_CHAT, DEMO_MESSAGE
from tests.support.local_server import LocalServer

HERE = Path(__file__).parent
EDITOR_TIMEOUT = 60.0
INSTALL_HINT = "run scripts/install-editors.sh (as root) to install neovim, emacs-nox, elpa-eglot"

SEND_BUFFER_TITLE = "Send buffer to Neptun chat"
SEND_SELECTION_TITLE = "Send selection to Neptun chat"
CHAT_PROMPT = "Send to which Neptun chat?"
MESSAGE_PROMPT = "Attach to which message"
SENT_PROMPT = "Sent "
MESSAGE_CHOICE = f"user: {DEMO_MESSAGE}"
NEW_MESSAGE = "New message"

SAVED_TEXT = (
    '"""Sample for the real-editor tests: the editor sends what it holds."""\n'
    "\n"
    "\n"
    "def greet(name: str) -> str:\n"
    '    return f"hello {name}"\n'
)
INSERT_AT = 3  # 0-based: the typed line goes right before `def greet`


def require_program(name: str) -> str:
    """The editor's path; a missing editor fails the test: it is part of the suite."""
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: {INSTALL_HINT}", pytrace=False)
    return found


@dataclass(frozen=True)
class Scenario:
    """The sample file, the unsaved line the editor types, and the selection it sends."""

    workspace: Path
    marker: str

    @property
    def sample(self) -> Path:
        return self.workspace / "sample.py"

    @property
    def typed_line(self) -> str:
        # Non-ASCII before the selection start: a UTF-16 / code point mix-up shifts the text.
        return f'unsaved = "ü 😀 {self.marker}"  # typed, never saved'

    @property
    def buffer_lines(self) -> list[str]:
        lines = SAVED_TEXT.splitlines()
        return [*lines[:INSERT_AT], self.typed_line, *lines[INSERT_AT:]]

    @property
    def expected_buffer(self) -> str:
        return "\n".join(self.buffer_lines) + "\n"

    @property
    def selection(self) -> dict[str, int]:
        """0-based lines, code point columns, end inclusive (as a user selects characters):
        from the marker on the typed line through `def greet` on the next."""
        start = self.buffer_lines[INSERT_AT].index(self.marker)
        end = self.buffer_lines[INSERT_AT + 1].index("greet") + len("greet") - 1
        return {
            "start_line": INSERT_AT,
            "start_char": start,
            "end_line": INSERT_AT + 1,
            "end_char": end,
        }

    @property
    def expected_selection(self) -> str:
        s = self.selection
        first = self.buffer_lines[s["start_line"]][s["start_char"] :]
        last = self.buffer_lines[s["end_line"]][: s["end_char"] + 1]
        return first + "\n" + last

    @property
    def selection_title(self) -> str:
        s = self.selection
        return f"{self.sample.name}#L{s['start_line'] + 1}-{s['end_line'] + 1}"


def make_scenario(tmp_path: Path) -> Scenario:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    scenario = Scenario(workspace=workspace, marker=f"neptun-marker-{secrets.token_hex(6)}")
    scenario.sample.write_text(SAVED_TEXT, encoding="utf-8")
    return scenario


def server_command(tmp_path: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "neptun_lsp",
        "--log-level",
        "DEBUG",
        "--log-file",
        str(tmp_path / "server.log"),
    ]


def server_environment(tmp_path: Path, server: LocalServer, cookie: str) -> dict[str, str]:
    """What the editor passes to the server on top of its own environment. No chat or message:
    the server has to ask, and the drivers answer."""
    return {
        "NEPTUN_BASE_URL": server.url,
        "NEPTUN_SESSION": cookie,
        "NEPTUN_USER_ID": str(server.user_id),
        "NEPTUN_STATE_DIR": str(tmp_path / "state"),
        "NEPTUN_CONFIG_FILE": str(tmp_path / "config" / "config.toml"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "PYTHONUNBUFFERED": "1",
    }


def editor_environment(tmp_path: Path) -> dict[str, str]:
    """The editor's own environment: no NEPTUN_* from the caller, a private HOME and XDG dirs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEPTUN_")}
    home = tmp_path / "home"
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
    )
    return env


def write_brief(
    tmp_path: Path, scenario: Scenario, server: LocalServer, cookie: str, **extra: Any
) -> Path:
    """The driver's instructions (read by the Lua / Emacs Lisp side as JSON)."""
    brief = {
        "file": str(scenario.sample),
        "root": str(scenario.workspace),
        "server_cmd": server_command(tmp_path),
        "server_env": server_environment(tmp_path, server, cookie),
        "insert_at": INSERT_AT,
        "insert_text": scenario.typed_line,
        "selection": scenario.selection,
        "actions": [SEND_BUFFER_TITLE, SEND_SELECTION_TITLE],
        "answers": {CHAT_PROMPT: DEMO_CHAT, MESSAGE_PROMPT: MESSAGE_CHOICE},
        "dismiss": [SENT_PROMPT],
        "result": str(tmp_path / "result.json"),
        **extra,
    }
    path = tmp_path / "brief.json"
    path.write_text(json.dumps(brief, indent=2), encoding="utf-8")
    return path


@dataclass
class EditorRun:
    command: list[str]
    returncode: int | None
    stdout: str
    stderr: str
    elapsed_note: str
    result: dict[str, Any]
    logs: list[Path] = field(default_factory=list)

    def report(self) -> str:
        """Everything that helps to see why a run failed; printed with every failed check."""
        parts = [
            f"command: {' '.join(self.command)}",
            f"exit code: {self.returncode} {self.elapsed_note}",
            f"--- editor stdout ---\n{self.stdout}",
            f"--- editor stderr ---\n{self.stderr}",
            f"--- driver result ---\n{json.dumps(self.result, indent=2, ensure_ascii=False)}",
        ]
        for log in self.logs:
            text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
            parts.append(f"--- {log} ---\n{text[-20000:] if text else '(missing or empty)'}")
        return "\n".join(parts)


def run_editor(
    command: list[str], env: dict[str, str], cwd: Path, result: Path, logs: list[Path]
) -> EditorRun:
    """Run the editor in a session of its own; on timeout kill that session and report."""
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        start_new_session=True,
    )
    note = ""
    try:
        stdout, stderr = process.communicate(timeout=EDITOR_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        note = f"(killed: no exit within {EDITOR_TIMEOUT:.0f} s)"
    parsed: dict[str, Any] = {}
    if result.exists():
        parsed = json.loads(result.read_text(encoding="utf-8"))
    return EditorRun(
        command=command,
        returncode=None if note else process.returncode,
        stdout=stdout,
        stderr=stderr,
        elapsed_note=note,
        result=parsed,
        logs=logs,
    )


def stored_files(server: LocalServer) -> list[dict[str, Any]]:
    """The chat's files read back over plain HTTP, as any Neptun client would see them."""
    response = httpx.get(
        f"{server.url}/api/users/{server.user_id}/chats/{server.chat_id}/files",
        headers={"Cookie": f"neptun-session={server.login_session()}"},
    )
    response.raise_for_status()
    files: list[dict[str, Any]] = response.json()["chatFiles"]
    return files


def _prompt_kind(message: str) -> str:
    return next((p for p in (CHAT_PROMPT, MESSAGE_PROMPT) if message.startswith(p)), message)


def check_editor_run(run: EditorRun, scenario: Scenario, server: LocalServer) -> None:
    """The shared expectations: both sends went through the editor's menus and prompts, the
    server stored exactly what the editor held, and nothing was saved to disk."""

    def expect(what: str, actual: Any, expected: Any) -> None:
        # Not a bare assert: this module is not rewritten by pytest, so say what differed.
        if actual != expected:
            pytest.fail(
                f"{what}:\n  expected: {expected!r}\n  actual:   {actual!r}\n\n{run.report()}"
            )

    expect("editor exit code", run.returncode, 0)
    result = run.result
    expect("driver error", result.get("error"), None)

    # The editor held the scenario's text, unsaved, and the disk never saw the typed line.
    expect("buffer in the editor", result.get("buffer"), scenario.expected_buffer)
    expect("buffer still unsaved at the end", result.get("modified"), True)
    expect("file on disk", scenario.sample.read_text(encoding="utf-8"), SAVED_TEXT)

    # Both commands ran from the editor's code-action menu and were answered without error.
    # (Whether the first menu also offers the selection depends on the editor: eglot 1.9 asks
    # for the sexp at point, Neovim for an empty range.)
    commands = [(c["command"], c.get("error")) for c in result["commands"]]
    expect(
        "commands run and their errors",
        commands,
        [("neptun.sendBuffer", None), ("neptun.sendSelection", None)],
    )
    expect(
        "actions chosen in the menus",
        [menu["chosen"] for menu in result["menus"]],
        [SEND_BUFFER_TITLE, SEND_SELECTION_TITLE],
    )

    # One chat prompt and one message prompt, for the first send only: the choice is remembered.
    # An answer of None means the wanted title was not among the prompt's actions.
    asked = [p for p in result["prompts"] if not p["message"].startswith(SENT_PROMPT)]
    expect(
        "prompts (other than 'Sent ...') and the answers given",
        [(_prompt_kind(p["message"]), p["answer"]) for p in asked],
        [(CHAT_PROMPT, DEMO_CHAT), (MESSAGE_PROMPT, MESSAGE_CHOICE)],
    )
    expect("last action of the message prompt", asked[1]["titles"][-1], NEW_MESSAGE)

    # What the server stored, read back over plain HTTP.
    files = {f["title"]: f for f in stored_files(server)}
    expect(
        "titles of the stored files",
        sorted(files),
        sorted([scenario.sample.name, scenario.selection_title]),
    )
    buffer_file = files[scenario.sample.name]
    expect("stored buffer text", buffer_file["text"], scenario.expected_buffer)
    expect(
        "stored language and extension",
        (buffer_file["language"], buffer_file["extension"]),
        ("python", "py"),
    )
    expect(
        "stored selection text",
        files[scenario.selection_title]["text"],
        scenario.expected_selection,
    )
