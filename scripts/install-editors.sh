#!/usr/bin/env bash
# The real editors that tests/editors drives: Neovim, Emacs (no X) and eglot, from Debian.
# Re-running is cheap: nothing is asked of apt when all three are already there.
set -euo pipefail

have_all() {
    command -v nvim >/dev/null 2>&1 &&
        command -v emacs >/dev/null 2>&1 &&
        compgen -G '/usr/share/emacs/site-lisp/elpa/eglot-*' >/dev/null
}

if have_all; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-editors: neovim, emacs-nox and elpa-eglot are needed;" \
        "run this script as root (or: sudo apt-get install neovim emacs-nox elpa-eglot)" >&2
    exit 1
fi

echo "install-editors: installing neovim emacs-nox elpa-eglot (Debian)" >&2
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim emacs-nox elpa-eglot >/dev/null
have_all || {
    echo "install-editors: apt-get finished but nvim, emacs or eglot is still missing" >&2
    exit 1
}
