#!/usr/bin/env bash
# The demo, from a bare machine: a real LSP client drives neptun-lsp against a local server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/python -m neptun_lsp demo "$@"
