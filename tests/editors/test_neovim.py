"""Headless Neovim 0.7 sends an unsaved buffer and a selection through its own LSP client."""

from __future__ import annotations

from pathlib import Path

from tests.editors.harness import (
    HERE,
    check_editor_run,
    editor_environment,
    make_scenario,
    require_program,
    run_editor,
    write_brief,
)
from tests.support.local_server import LocalServer


def test_neovim_sends_unsaved_buffer_and_selection(
    tmp_path: Path, fresh_server: LocalServer
) -> None:
    nvim = require_program("nvim")
    scenario = make_scenario(tmp_path)
    brief = write_brief(tmp_path, scenario, fresh_server, fresh_server.login_session())
    env = editor_environment(tmp_path)
    env["NEPTUN_EDITOR_BRIEF"] = str(brief)
    run = run_editor(
        [nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-S", str(HERE / "nvim_driver.lua")],
        env=env,
        cwd=scenario.workspace,
        result=tmp_path / "result.json",
        # Neovim's LSP log holds the server's stderr; the server's own log is --log-file.
        logs=[Path(env["XDG_CACHE_HOME"]) / "nvim" / "lsp.log", tmp_path / "server.log"],
    )
    check_editor_run(run, scenario, fresh_server)
