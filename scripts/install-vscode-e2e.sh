#!/usr/bin/env bash
# What vscode-extension/e2e needs to drive a real VS Code (code-server in headless Chromium):
#   - Debian: chromium, libkrb5-dev (code-server's native `kerberos` module), ripgrep;
#   - code-server (pinned) installed with npm into a cache directory outside the clone,
#     keyed by version: ${NEPTUN_E2E_CACHE:-$HOME/.cache/neptun-lsp-e2e}/code-server-<version>;
#   - `npm ci` in vscode-extension/e2e (playwright-core, no browser download: Debian's chromium).
# Re-running is cheap: each step is skipped when its result is already there.
# The last line printed on stdout is the path of the code-server executable; it is also written
# to <cache>/code-server-path, where the test looks when NEPTUN_CODE_SERVER is not set.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
e2e="$repo/vscode-extension/e2e"
cache="${NEPTUN_E2E_CACHE:-$HOME/.cache/neptun-lsp-e2e}"
dest="$cache/code-server-$CODE_SERVER_VERSION"
code_server="$dest/node_modules/.bin/code-server"
marker="$dest/.neptun-e2e-installed"

log() { echo "install-vscode-e2e: $*" >&2; }

# npm settings the install needs, for this process only (the user's npm config is left alone):
# code-server's postinstall refuses to run as root without unsafe-perm; node-pty's install runs
# `npx node-gyp`, which a `yes=false` config cancels; node-gyp builds against the local headers.
# They are exported only around that install (see install_code_server below).
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
install_code_server() {
    (
        export npm_config_unsafe_perm=true npm_config_yes=true
        if [ -d /usr/include/node ]; then
            export npm_config_nodedir=/usr
        fi
        cd "$dest" && npm install --no-audit --no-fund "code-server@$CODE_SERVER_VERSION"
    )
}

# --- 1. Debian packages ------------------------------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
[ -e /usr/include/gssapi/gssapi.h ] || dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        log "${missing[*]} needed; run this script as root (or: sudo apt-get install ${missing[*]})"
        exit 1
    fi
    log "installing ${missing[*]} (Debian)"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != 20 ]; then
    log "code-server $CODE_SERVER_VERSION needs Node 20; this is Node $(node --version)"
    exit 1
fi

# --- 2. code-server, once per version, outside the clone ---------------------------------------
if [ -f "$marker" ] && [ -x "$code_server" ]; then
    log "code-server $CODE_SERVER_VERSION already in $dest"
else
    started=$SECONDS
    rm -rf "$dest"
    mkdir -p "$dest/tmp"
    # The install's temporary files (and so @vscode/ripgrep's download cache) live in the cache.
    export TMPDIR="$dest/tmp"
    work="$dest/tmp/peek"
    mkdir -p "$work"

    # @vscode/ripgrep (a dependency of code-server's VS Code) downloads rg from GitHub in its
    # postinstall, which fails offline; it looks in a download cache first. Find, from the
    # packages themselves, which @vscode/ripgrep version code-server pins, the cache directory
    # and the asset name that version expects, and put Debian's rg there as that asset.
    (cd "$work" && npm pack --silent "code-server@$CODE_SERVER_VERSION" >/dev/null)
    tar xzf "$work/code-server-$CODE_SERVER_VERSION.tgz" -C "$work" package/lib/vscode/npm-shrinkwrap.json
    rg_version="$(node -e '
        const s = require(process.argv[1]);
        const p = s.packages && s.packages["node_modules/@vscode/ripgrep"];
        if (!p) { console.error("no @vscode/ripgrep in the shrinkwrap"); process.exit(1); }
        console.log(p.version);' "$work/package/lib/vscode/npm-shrinkwrap.json")"
    rm -rf "$work/package"
    (cd "$work" && npm pack --silent "@vscode/ripgrep@$rg_version" >/dev/null)
    tar xzf "$work/vscode-ripgrep-$rg_version.tgz" -C "$work"
    read -r rg_cache rg_asset < <(node -e '
        const fs = require("fs"), os = require("os"), path = require("path");
        const dir = process.argv[1];
        const pkg = require(path.join(dir, "package.json"));
        const post = fs.readFileSync(path.join(dir, "lib/postinstall.js"), "utf8");
        const dl = fs.readFileSync(path.join(dir, "lib/download.js"), "utf8");
        const version = (post.match(/const VERSION = [\x27"]([^\x27"]+)[\x27"]/) || [])[1];
        const cacheExpr = (dl.match(/path\.join\(os\.tmpdir\(\), `vscode-ripgrep-cache-\$\{packageVersion\}`\)/) || [])[0];
        const assetExpr = /\[.ripgrep., opts\.version, opts\.target\]\.join\(.-.\) \+ extension/.test(dl);
        const targets = { x64: "x86_64-unknown-linux-musl", arm64: "aarch64-unknown-linux-musl" };
        const target = targets[os.arch()];
        if (!version || !cacheExpr || !assetExpr || !target || !post.includes(target)) {
            console.error("@vscode/ripgrep " + pkg.version + ": its download cache layout is not the one this script knows");
            process.exit(1);
        }
        console.log(path.join(os.tmpdir(), "vscode-ripgrep-cache-" + pkg.version),
                    "ripgrep-" + version + "-" + target + ".tar.gz");' "$work/package")
    rm -rf "$work"
    mkdir -p "$rg_cache"
    tar czf "$rg_cache/$rg_asset" -C "$(dirname "$(command -v rg)")" rg
    log "rg from Debian cached as $rg_cache/$rg_asset (@vscode/ripgrep $rg_version)"

    log "npm install code-server@$CODE_SERVER_VERSION into $dest (native modules build: ~1-2 min)"
    printf '{ "private": true }\n' >"$dest/package.json"
    if ! install_code_server >"$dest/install.log" 2>&1; then
        tail -n 40 "$dest/install.log" >&2
        log "npm install of code-server failed; full log: $dest/install.log"
        exit 1
    fi
    [ -x "$code_server" ] || { log "installed, but $code_server is missing"; exit 1; }
    rm -rf "$dest/tmp"
    touch "$marker"
    log "code-server installed in $((SECONDS - started)) s"
fi
printf '%s\n' "$code_server" >"$cache/code-server-path"

# --- 3. the test's own dependencies ------------------------------------------------------------
lock="$e2e/package-lock.json"
stamp="$e2e/node_modules/.neptun-e2e-lock"
if [ -f "$stamp" ] && cmp -s "$lock" "$stamp"; then
    log "vscode-extension/e2e/node_modules up to date"
else
    log "npm ci in vscode-extension/e2e"
    (cd "$e2e" && npm ci --no-audit --no-fund >&2)
    cp "$lock" "$stamp"
fi

echo "$code_server"
