// The pieces of the end-to-end test: the local Neptun server, a fresh code-server (VS Code 1.100
// in the browser), headless Debian Chromium driven by playwright-core, and the workbench moves
// (command palette, quick picks, notifications) written once. See vscode.e2e.test.mjs.
//
// Every wait here is on a selector, an event or an HTTP answer, bounded by a timeout; nothing
// sleeps a fixed time to decide an outcome.

import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const E2E_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(E2E_DIR, '..', '..');
export const CODE_SERVER_VERSION = '4.100.3';

const started = Date.now();
/** Progress on stderr, with seconds since the test file was loaded. */
export function log(...args) {
  const s = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  console.error(`[e2e ${s}s]`, ...args);
}

export function cacheDir() {
  return process.env.NEPTUN_E2E_CACHE || path.join(os.homedir(), '.cache', 'neptun-lsp-e2e');
}

/** code-server's executable: $NEPTUN_CODE_SERVER, else what scripts/install-vscode-e2e.sh wrote. */
export function codeServerPath() {
  if (process.env.NEPTUN_CODE_SERVER) return process.env.NEPTUN_CODE_SERVER;
  const recorded = path.join(cacheDir(), 'code-server-path');
  const candidates = [];
  if (existsSync(recorded)) candidates.push(readFileSync(recorded, 'utf8').trim());
  candidates.push(
    path.join(cacheDir(), `code-server-${CODE_SERVER_VERSION}`, 'node_modules', '.bin', 'code-server'),
  );
  const found = candidates.find((p) => p && existsSync(p));
  if (!found) {
    throw new Error(
      `code-server ${CODE_SERVER_VERSION} not found (looked at ${candidates.join(', ')}): ` +
        'run scripts/install-vscode-e2e.sh, or set NEPTUN_CODE_SERVER',
    );
  }
  return found;
}

/** The .vsix under test: $NEPTUN_VSIX, else the one vscode-extension/*.vsix. */
export function vsixPath() {
  if (process.env.NEPTUN_VSIX) return path.resolve(process.env.NEPTUN_VSIX);
  const dir = path.join(REPO, 'vscode-extension');
  const found = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.vsix')) : [];
  if (found.length !== 1) {
    throw new Error(
      `set NEPTUN_VSIX to the extension package (found ${found.length} .vsix in ${dir}; ` +
        'build one with `npm run package` there)',
    );
  }
  return path.join(dir, found[0]);
}

// ---- child processes ---------------------------------------------------------------------------

/** A spawned child whose output is kept (and searched for lines as they arrive). */
class Child {
  constructor(name, command, args, options) {
    this.name = name;
    this.output = '';
    this.proc = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = once(this.proc, 'exit').then(([code, signal]) => ({ code, signal }));
    this.exitInfo = null;
    this.exited.then((info) => {
      this.exitInfo = info;
    });
    this.waiters = [];
    for (const stream of [this.proc.stdout, this.proc.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        this.output += chunk;
        for (const w of [...this.waiters]) w.check();
      });
    }
  }

  get pid() {
    return this.proc.pid;
  }

  /** Resolves with the first match of `regex` in the output so far or to come. */
  waitForOutput(regex, timeoutMs) {
    return new Promise((resolve, reject) => {
      const waiter = {
        check: () => {
          const m = this.output.match(regex);
          if (m) {
            done();
            resolve(m);
          }
        },
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.name}: no ${regex} within ${timeoutMs} ms; output:\n${this.tail()}`));
      }, timeoutMs);
      const onExit = this.exited.then((info) => {
        if (!this.waiters.includes(waiter)) return;
        done();
        reject(new Error(`${this.name} exited (${JSON.stringify(info)}) before ${regex}; output:\n${this.tail()}`));
      });
      const done = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
      };
      void onExit;
      this.waiters.push(waiter);
      waiter.check();
    });
  }

  tail(n = 3000) {
    return this.output.slice(-n);
  }

  /** SIGTERM this very PID; SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 8000) {
    if (this.exitInfo) return this.exitInfo;
    this.proc.kill('SIGTERM');
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve(null), graceMs);
    });
    const info = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (info) return info;
    log(`${this.name} (pid ${this.pid}) still running ${graceMs} ms after SIGTERM: SIGKILL`);
    this.proc.kill('SIGKILL');
    return this.exited;
  }
}

// ---- the local Neptun server -------------------------------------------------------------------

/** `python -m neptun_lsp local-server --port 0 --seed-demo`; resolves with its JSON line. */
export async function startLocalServer({ python, dbFile, cwd }) {
  const child = new Child('local-server', python, [
    '-m', 'neptun_lsp', 'local-server', '--port', '0', '--seed-demo', '--db', dbFile,
  ], { cwd, env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  const [line] = await child.waitForOutput(/^\{.*\}$/m, 30_000);
  const info = JSON.parse(line);
  for (const key of ['url', 'email', 'password', 'user_id', 'chat_id', 'message_id']) {
    if (!(key in info)) throw new Error(`local-server's JSON line has no ${key}: ${line}`);
  }
  return { child, info };
}

/** POST /api/auth/login; returns the `neptun-session` cookie value. */
export async function login(url, email, password) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login: HTTP ${res.status} ${await res.text()}`);
  const cookies = res.headers.getSetCookie();
  for (const c of cookies) {
    const m = c.match(/^neptun-session=([^;]+)/);
    if (m) return m[1];
  }
  throw new Error(`login: no neptun-session cookie in ${JSON.stringify(cookies)}`);
}

/** The files stored in a chat, as the web app reads them. */
export async function chatFiles({ url, userId, chatId, cookie }) {
  const res = await fetch(`${url}/api/users/${userId}/chats/${chatId}/files`, {
    headers: { cookie: `neptun-session=${cookie}` },
  });
  if (!res.ok) throw new Error(`chat files: HTTP ${res.status} ${await res.text()}`);
  const body = await res.json();
  if (!Array.isArray(body.chatFiles)) throw new Error(`chat files: no chatFiles in ${JSON.stringify(body)}`);
  return body.chatFiles;
}

/** Poll the chat's files until one satisfies `predicate` (an HTTP answer, not a fixed sleep). */
export async function waitForChatFile(args, predicate, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let files = [];
  while (Date.now() < deadline) {
    files = await chatFiles(args);
    const hit = files.find(predicate);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no matching chat file within ${timeoutMs} ms; titles: ${JSON.stringify(files.map((f) => f.title))}`);
}

/** SHA-256 digests of every session token the local server has handed out (its SQLite file). */
export function sessionDigests(python, dbFile) {
  const code = [
    'import sqlite3, sys',
    'db = sqlite3.connect(sys.argv[1])',
    'print("\\n".join(r[0] for r in db.execute("SELECT token_sha256 FROM neptun_session")))',
  ].join('\n');
  const r = spawnSync(python, ['-c', code, dbFile], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`reading sessions from ${dbFile}: ${r.stderr}`);
  return new Set(r.stdout.split('\n').filter(Boolean));
}

// ---- code-server -------------------------------------------------------------------------------

/** Settings that keep the workbench offline, quiet and from saving typed text by itself. */
export const QUIET_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'files.autoSave': 'off',
  'npm.fetchOnlinePackageInfo': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  // What is typed lands as typed: no suggestion accepted by Enter, no auto-closing.
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.acceptSuggestionOnEnter': 'off',
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  // Screenshots without the word under the cursor highlighted.
  'editor.occurrencesHighlight': 'off',
  'editor.selectionHighlight': false,
};

/** The environment of code-server: its config, data and temporary files stay in `root`. */
function codeServerEnv(root) {
  return {
    ...process.env,
    XDG_CONFIG_HOME: path.join(root, 'xdg-config'),
    XDG_DATA_HOME: path.join(root, 'xdg-data'),
    XDG_CACHE_HOME: path.join(root, 'xdg-cache'),
    TMPDIR: path.join(root, 'tmp'),
  };
}

export async function prepareCodeServerDirs(root, settings) {
  const dirs = {
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
  };
  for (const d of ['xdg-config', 'xdg-data', 'xdg-cache', 'tmp']) await mkdir(path.join(root, d), { recursive: true });
  await mkdir(path.join(dirs.userData, 'User'), { recursive: true });
  await mkdir(dirs.extensions, { recursive: true });
  dirs.settingsFile = path.join(dirs.userData, 'User', 'settings.json');
  await writeFile(dirs.settingsFile, JSON.stringify(settings, null, 2) + '\n');
  return dirs;
}

/** `code-server --install-extension VSIX` into the fresh dirs. */
export async function installExtension({ codeServer, root, dirs, vsix }) {
  const child = new Child('code-server --install-extension', codeServer, [
    '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions,
    '--disable-telemetry', '--install-extension', vsix,
  ], { cwd: root, env: codeServerEnv(root) });
  const { code } = await child.exited;
  if (code !== 0 || !/successfully installed/i.test(child.output)) {
    throw new Error(`installing ${vsix} failed (exit ${code}):\n${child.tail()}`);
  }
  return child.output.trim();
}

/** A fresh code-server on 127.0.0.1 (a free port), no auth; resolves once it listens. */
export async function startCodeServer({ codeServer, root, dirs }) {
  const child = new Child('code-server', codeServer, [
    '--bind-addr', '127.0.0.1:0', '--auth', 'none',
    '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
  ], { cwd: root, env: codeServerEnv(root) });
  const m = await child.waitForOutput(/HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//, 60_000);
  return { child, url: m[1] };
}

// ---- Chromium ----------------------------------------------------------------------------------

export async function launchBrowser(profileDir) {
  const executablePath = process.env.NEPTUN_CHROMIUM || '/usr/bin/chromium';
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    viewport: { width: 1400, height: 900 },
    env: { ...process.env, HOME: profileDir, XDG_CONFIG_HOME: profileDir },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
    ],
  });
  return context;
}

// ---- workbench moves ---------------------------------------------------------------------------

/** The visible quick input (palette, quick pick or input box). */
export function quickInput(page) {
  return page.locator('.quick-input-widget:visible');
}

/**
 * Wait for a quick input whose placeholder, prompt or title matches `regex`; returns its widget.
 * A modal dialog (e.g. "Command ... resulted in an error") or an error notification showing up
 * instead fails at once, with its text.
 */
export async function waitForQuickInput(page, regex, timeoutMs = 20_000) {
  const handle = await page.waitForFunction(
    ({ source, flags }) => {
      const re = new RegExp(source, flags);
      for (const w of document.querySelectorAll('.quick-input-widget')) {
        if (getComputedStyle(w).display === 'none') continue;
        const input = w.querySelector('.quick-input-box input');
        const texts = [
          input && input.getAttribute('placeholder'),
          input && input.getAttribute('aria-label'),
          w.querySelector('.quick-input-message')?.textContent,
          w.querySelector('.quick-input-title')?.textContent,
        ];
        if (texts.some((t) => t && re.test(t))) return { ok: true };
      }
      const dialog = document.querySelector('.monaco-dialog-box');
      if (dialog) return { ok: false, what: `dialog: ${dialog.innerText.replace(/\s+/g, ' ').trim()}` };
      for (const toast of document.querySelectorAll('.notifications-toasts .notification-toast')) {
        if (toast.querySelector('.codicon-error, .codicon-notifications-error')) {
          return { ok: false, what: `error notification: ${toast.innerText.replace(/\s+/g, ' ').trim()}` };
        }
      }
      return null;
    },
    { source: regex.source, flags: regex.flags },
    { timeout: timeoutMs },
  );
  const result = await handle.jsonValue();
  if (!result.ok) throw new Error(`waiting for a quick input ${regex}, got a ${result.what}`);
  return quickInput(page);
}

/** The text of a modal dialog or of error notifications on screen (for failure reports). */
export async function errorsOnScreen(page) {
  return page
    .evaluate(() => {
      const out = [];
      const dialog = document.querySelector('.monaco-dialog-box');
      if (dialog) out.push(`dialog: ${dialog.innerText.replace(/\s+/g, ' ').trim()}`);
      for (const toast of document.querySelectorAll('.notifications-toasts .notification-toast')) {
        out.push(`notification: ${toast.innerText.replace(/\s+/g, ' ').trim()}`);
      }
      return out;
    })
    .catch(() => []);
}

/** The focused row of the visible quick pick, once its text matches `regex`. */
export async function waitForFocusedRow(page, regex, timeoutMs = 15_000) {
  const row = page.locator('.quick-input-widget:visible .quick-input-list .monaco-list-row.focused', { hasText: regex });
  await row.first().waitFor({ state: 'visible', timeout: timeoutMs });
  return row.first();
}

/** Type into the visible quick pick until the focused row matches `rowRegex`, then Enter. */
export async function pick(page, text, rowRegex) {
  await page.keyboard.type(text);
  await waitForFocusedRow(page, rowRegex);
  await page.keyboard.press('Enter');
}

/**
 * Run a command from the palette (F1, type its title, Enter). The extension host may register
 * the command after the palette first lists commands; then the palette says "No matching
 * commands" and does not refresh: close it and try again.
 */
export async function runCommand(page, title, { attempts = 6, timeoutMs = 10_000 } = {}) {
  const exact = new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget:visible .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: timeoutMs });
    await input.fill(`>${title}`);
    const focused = page.locator('.quick-input-widget:visible .quick-input-list .monaco-list-row.focused .label-name');
    const none = page.locator('.quick-input-widget:visible .quick-input-list .monaco-list-row', { hasText: /No matching commands/ });
    await focused.or(none).first().waitFor({ state: 'visible', timeout: timeoutMs });
    // The list may still be filtering: wait until the focused label is the title or no row matches.
    const ok = await page
      .waitForFunction(
        ({ source }) => {
          const re = new RegExp(source);
          const w = [...document.querySelectorAll('.quick-input-widget')].find((e) => getComputedStyle(e).display !== 'none');
          if (!w) return null;
          const label = w.querySelector('.quick-input-list .monaco-list-row.focused .label-name');
          if (label && re.test(label.textContent)) return 'found';
          const rows = [...w.querySelectorAll('.quick-input-list .monaco-list-row')];
          if (rows.some((r) => /No matching commands/.test(r.textContent))) return 'none';
          return null;
        },
        { source: exact.source },
        { timeout: timeoutMs },
      )
      .then((h) => h.jsonValue())
      .catch(() => 'timeout');
    if (ok === 'found') {
      await page.keyboard.press('Enter');
      return attempt;
    }
    log(`palette: "${title}" not listed yet (${ok}, attempt ${attempt}); closing and retrying`);
    await page.keyboard.press('Escape');
    await input.waitFor({ state: 'hidden', timeout: timeoutMs });
    // Give the extension host a moment between attempts (the outcome is still decided by the
    // palette's next answer, not by this pause).
    await page.waitForTimeout(1000 * attempt);
  }
  throw new Error(`command "${title}" never appeared in the palette`);
}

/** A notification toast whose message matches `regex`, visible and done fading in. */
export async function waitForToast(page, regex, timeoutMs = 30_000) {
  const toast = page.locator('.notifications-toasts .notification-toast.notification-fade-in-done', {
    has: page.locator('.notification-list-item-message', { hasText: regex }),
  });
  await toast.first().waitFor({ state: 'visible', timeout: timeoutMs });
  return toast.first();
}

/** Close a notification toast with its "Clear Notification" action; resolves once it is gone. */
export async function closeToast(page, toast) {
  await toast.hover();
  await toast.locator('.action-label.codicon-notifications-clear').click();
  await toast.waitFor({ state: 'detached', timeout: 10_000 });
}

/** Open a file of the workspace with Quick Open; resolves when its tab is the active one. */
export async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget:visible .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await waitForFocusedRow(page, new RegExp(escapeRegExp(name)));
  await page.keyboard.press('Enter');
  const tab = page.locator('.tabs-container .tab.active', { hasText: name });
  await tab.waitFor({ state: 'visible' });
  await page.locator('.editor-instance .monaco-editor.focused').waitFor({ state: 'visible' });
  return tab;
}

/**
 * Right-click `target` (at `position`) and choose the context menu item labelled `label`.
 * VS Code's menu items listen for mouseup only 100 ms after they are rendered (menu.ts,
 * `runOnceToEnableMouseUp`, so that releasing the right button does not pick an item): a click
 * sooner is ignored and the menu stays open. So the click waits those 100 ms (plus margin), it
 * counts once the menu has closed, and an ignored one is repeated (at most 3 times).
 */
export async function contextMenu(page, target, position, label) {
  await target.click({ button: 'right', position });
  const menu = page.locator('.monaco-menu');
  const item = page.locator('.monaco-menu .action-item:not(.disabled) .action-label', {
    hasText: new RegExp(`^${escapeRegExp(label)}$`),
  });
  for (let attempt = 1; attempt <= 3; attempt++) {
    await item.first().waitFor({ state: 'visible', timeout: 10_000 });
    await item.first().hover();
    await page.waitForTimeout(250); // the menu's own arming delay (100 ms), not an outcome
    await item.first().click();
    const closed = await menu
      .first()
      .waitFor({ state: 'detached', timeout: 2_000 })
      .then(() => true, () => false);
    if (closed) return attempt;
    log(`context menu: the click on "${label}" was ignored (attempt ${attempt}); clicking again`);
  }
  throw new Error(`the context menu item "${label}" did not respond to 3 clicks`);
}

export function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---- files -------------------------------------------------------------------------------------

/** Every regular file under `dir` (recursively); [] when `dir` does not exist. */
export function walkFiles(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop();
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) stack.push(p);
      else if (entry.isFile()) out.push(p);
    }
  }
  return out.sort();
}

/** The log files of the extension's "Neptun" output channel under a user-data dir. */
export function neptunLogFiles(userDataDir) {
  return walkFiles(path.join(userDataDir, 'logs')).filter((f) => path.basename(f).includes('Neptun'));
}

/**
 * Poll the Neptun output channel's log until `predicate(text)` holds (the log file is the
 * extension's own record of events: a wait on it is a wait on an event, not a fixed sleep).
 */
export async function waitForNeptunLog(userDataDir, predicate, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = neptunLogFiles(userDataDir).map((f) => readFileSync(f, 'utf8')).join('\n');
    if (predicate(text)) return text;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the Neptun log never showed ${what} within ${timeoutMs} ms; its end:\n${text.slice(-2000)}`);
}
