#!/usr/bin/env bash
# Make .venv on a bare Debian machine (python3 only) and install exactly what the lock says.
# Re-running is cheap: nothing is reinstalled unless the lock file changed.
set -euo pipefail
cd "$(dirname "$0")/.."

lock=requirements-dev.txt
venv=.venv
stamp="$venv/.installed-lock"

if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
    # Debian splits venv/ensurepip out of python3.
    echo "bootstrap: installing python3-venv (Debian)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >&2
fi

want="$(sha256sum "$lock" pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0
fi

echo "bootstrap: creating $venv from $lock" >&2
python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r "$lock"
# The project itself: editable, built with the hatchling pinned above (no isolated build env).
"$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
"$venv/bin/python" -m pip check >&2
echo "$want" > "$stamp"
