"""Emacs 28 in batch with eglot 1.9 sends an unsaved buffer and a selection."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.editors.harness import (
    HERE,
    INSTALL_HINT,
    check_editor_run,
    editor_environment,
    make_scenario,
    require_program,
    run_editor,
    write_brief,
)
from tests.support.local_server import LocalServer

ELPA = Path("/usr/share/emacs/site-lisp/elpa")


def test_emacs_eglot_sends_unsaved_buffer_and_selection(
    tmp_path: Path, fresh_server: LocalServer
) -> None:
    emacs = require_program("emacs")
    if not list(ELPA.glob("eglot-*")):
        pytest.fail(f"eglot is not installed under {ELPA}: {INSTALL_HINT}", pytrace=False)
    scenario = make_scenario(tmp_path)
    eglot_log = tmp_path / "eglot.log"
    brief = write_brief(
        tmp_path, scenario, fresh_server, fresh_server.login_session(), eglot_log=str(eglot_log)
    )
    env = editor_environment(tmp_path)
    env["NEPTUN_EDITOR_BRIEF"] = str(brief)
    run = run_editor(
        [emacs, "--batch", "-Q", "-l", str(HERE / "emacs_driver.el")],
        env=env,
        cwd=scenario.workspace,
        result=tmp_path / "result.json",
        # eglot's events and stderr buffers (the server's stderr), then the server's own log.
        logs=[eglot_log, tmp_path / "server.log"],
    )
    check_editor_run(run, scenario, fresh_server)
