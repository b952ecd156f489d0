#!/usr/bin/env bash
# The whole test suite, from a bare machine: bootstrap, lint, type-check, every test.
# Extra arguments go to pytest (e.g. scripts/test.sh -k conformance).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/install-editors.sh  # Neovim and Emacs for tests/editors (Debian packages)
py=.venv/bin/python

echo "== ruff" >&2
"$py" -m ruff check server tests benchmarks
"$py" -m ruff format --check server tests benchmarks
echo "== mypy --strict" >&2
"$py" -m mypy
echo "== vscode-extension: tsc --strict, unit tests, bundle" >&2
(cd vscode-extension && npm ci --no-audit --no-fund --loglevel=error && npm test --silent)
echo "== VS Code end to end: the packaged .vsix in code-server, driven in headless Chromium" >&2
(cd vscode-extension && npm run package --silent >/dev/null)
scripts/install-vscode-e2e.sh >/dev/null
(cd vscode-extension/e2e && NEPTUN_VSIX="$(ls "$PWD"/../neptun-lsp-*-linux-x64.vsix)" npm test --silent)
echo "== pytest" >&2
exec "$py" -m pytest "$@"
