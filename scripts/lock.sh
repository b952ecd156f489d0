#!/usr/bin/env bash
# Regenerate the hash-pinned lock files from pyproject.toml (needs network to the registry).
# uv writes no index URLs into them; the check below keeps it that way.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools" && "$tools/bin/pip" install -q uv
for extra in "" dev; do
    out=requirements${extra:+-$extra}.txt
    "$tools/bin/uv" pip compile pyproject.toml ${extra:+--extra $extra} --universal \
        --python-version 3.10 --generate-hashes --custom-compile-command "scripts/lock.sh" \
        -q -o "$out"
done
if grep -nE '(https?|file)://|--(extra-)?index-url|--find-links' requirements*.txt; then
    echo "lock: a URL leaked into the lock files" >&2; exit 1
fi
