// The Neptun extension (.vsix) in a real VS Code: code-server 4.100.3 (VS Code 1.100.3) in
// headless Debian Chromium, driven by playwright-core, against the local Neptun server.
//
//   scripts/install-vscode-e2e.sh                       # once: chromium, code-server, npm ci
//   NEPTUN_VSIX=vscode-extension/neptun-lsp-0.1.0-linux-x64.vsix \
//     node --test vscode-extension/e2e/                  # or: npm test in vscode-extension/e2e
//
// Environment: NEPTUN_VSIX (default: the one vscode-extension/*.vsix), NEPTUN_PYTHON (the local
// server's interpreter, default .venv/bin/python), NEPTUN_CODE_SERVER (default: what the install
// script recorded), NEPTUN_CHROMIUM (default /usr/bin/chromium), NEPTUN_E2E_TIMEOUT_MS (whole
// flow, default 180000), NEPTUN_E2E_KEEP=1 keeps the temporary directory of a passing run too
// (a failing run always keeps it, and saves a screenshot; both paths are printed).
//
// The flow: sign in with "Neptun: Sign In" (email and password), type an unsaved line into
// greet.py, "Neptun: Send buffer to Neptun chat" answering both quick picks, check over HTTP that
// the chat holds exactly the buffer and that greet.py on disk is unchanged; then select lines
// 1-2 and use the editor context menu's "Send to Neptun Chat" (no question asked again); last,
// no session token is in any log file or in settings.json, while the Neptun log holds the LSP
// trace. Screenshots: docs/screenshots/vscode-chat-quickpick.png, vscode-sent-notification.png.

import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import * as h from './harness.mjs';

const OVERALL_MS = Number(process.env.NEPTUN_E2E_TIMEOUT_MS) || 180_000;
const SCREENSHOTS = path.join(h.REPO, 'docs', 'screenshots');

const GREET_PY = [
  'def greet(name):',
  '    return f"Hello, {name}!"',
  '',
  '',
  'if __name__ == "__main__":',
  '    print(greet("Neptun"))',
  '',
].join('\n');

test('VS Code: sign in, send the unsaved buffer and a selection to a Neptun chat', { timeout: OVERALL_MS + 30_000 }, async () => {
  const python = process.env.NEPTUN_PYTHON || path.join(h.REPO, '.venv', 'bin', 'python');
  const vsix = h.vsixPath();
  const codeServer = h.codeServerPath();
  assert.ok(existsSync(vsix), `no .vsix at ${vsix}`);
  assert.ok(existsSync(python), `no Python at ${python} (set NEPTUN_PYTHON)`);
  h.log(`vsix ${vsix}`);
  h.log(`code-server ${codeServer}`);

  const root = await mkdtemp(path.join(os.tmpdir(), 'neptun-vscode-e2e-'));
  const workspace = path.join(root, 'workspace');
  await mkdir(workspace);
  const greetFile = path.join(workspace, 'greet.py');
  await writeFile(greetFile, GREET_PY);

  let dirs; // code-server's user-data and extensions dirs
  let local; // { child, info }
  let codeServerProc; // { child, url }
  let context;
  let page;
  let timedOut = false;
  let passed = false;
  const overall = setTimeout(() => {
    timedOut = true;
    h.log(`overall timeout (${OVERALL_MS} ms): closing the browser`);
    void context?.close().catch(() => {});
  }, OVERALL_MS);

  try {
    // ---- the local Neptun server, and a session of our own for reading back -------------------
    local = await h.startLocalServer({ python, dbFile: path.join(root, 'neptun.db'), cwd: root });
    const info = local.info;
    h.log(`local server ${info.url} (pid ${local.child.pid})`);
    const cookie = await h.login(info.url, info.email, info.password);
    const api = { url: info.url, userId: info.user_id, chatId: info.chat_id, cookie };
    assert.deepEqual(await h.chatFiles(api), [], 'the demo chat starts with no files');

    // ---- a fresh code-server with the extension -----------------------------------------------
    dirs = await h.prepareCodeServerDirs(root, {
      ...h.QUIET_SETTINGS,
      'neptun.baseUrl': info.url,
      'neptun.trace.server': 'verbose',
    });
    h.log(await h.installExtension({ codeServer, root, dirs, vsix }));
    codeServerProc = await h.startCodeServer({ codeServer, root, dirs });
    h.log(`code-server ${codeServerProc.url} (pid ${codeServerProc.child.pid})`);

    context = await h.launchBrowser(path.join(root, 'browser'));
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(30_000);
    const outside = [];
    page.on('request', (r) => {
      const u = r.url();
      if (!/^(data|blob):/.test(u) && !u.startsWith(codeServerProc.url)) outside.push(u);
    });
    page.on('pageerror', (e) => h.log(`page error: ${e.message}`));

    await page.goto(`${codeServerProc.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible' });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'greet.py' }).waitFor({ state: 'visible' });
    h.log('workbench and explorer ready');
    const status = page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: /Neptun/ });
    await status.first().waitFor({ state: 'visible', timeout: 60_000 });
    h.log(`extension active: status bar "${(await status.first().innerText()).trim()}"`);

    // ---- sign in: email and password ----------------------------------------------------------
    await h.runCommand(page, 'Neptun: Sign In');
    await h.waitForQuickInput(page, /How do you want to sign in to Neptun\?/);
    await h.pick(page, 'Email and password', /Email and password/);
    await h.waitForQuickInput(page, /Neptun email/);
    await page.keyboard.type(info.email);
    await page.keyboard.press('Enter');
    await h.waitForQuickInput(page, /Neptun password/);
    const passwordType = await page.locator('.quick-input-widget:visible .quick-input-box input').getAttribute('type');
    assert.equal(passwordType, 'password', 'the password box hides what is typed');
    await page.keyboard.type(info.password);
    await page.keyboard.press('Enter');
    const origin = new URL(info.url).origin;
    const signedIn = await h.waitForToast(page, new RegExp(`Signed in to ${h.escapeRegExp(origin)} as ${h.escapeRegExp(info.email)}`));
    await h.closeToast(page, signedIn); // the screenshots below show only what the send does
    h.log(`signed in; status bar "${(await status.first().innerText()).trim()}"`);
    // Signing in restarts the language server (the session travels in its environment); until
    // it has initialized again, the server's commands (neptun.sendBuffer, ...) are not
    // registered and the palette answers "command 'neptun.sendBuffer' not found". Wait for the
    // restart in the extension's log (with trace on: the client's 'initialized' notification).
    await h.waitForNeptunLog(
      dirs.userData,
      (text) => {
        const after = text.split(/signed in to \S+ as user/)[1];
        return after !== undefined && /Sending notification 'initialized'/.test(after);
      },
      'the language server initialized again after signing in',
    );
    h.log('language server restarted after sign-in');

    // ---- an unsaved edit in greet.py ----------------------------------------------------------
    await h.openFile(page, 'greet.py');
    const marker = `neptun-e2e-${randomUUID()}`;
    const typed = `# ${marker}`;
    await page.keyboard.press('Control+End');
    await page.keyboard.type(typed);
    await page.locator('.tabs-container .tab.active.dirty', { hasText: 'greet.py' }).waitFor({ state: 'visible' });
    await page.locator('.editor-instance .view-lines', { hasText: marker }).waitFor({ state: 'visible' });
    const buffer = GREET_PY + typed;
    assert.equal(await readFile(greetFile, 'utf8'), GREET_PY, 'typing did not save greet.py');

    // ---- Send buffer to Neptun chat: choose the chat and the message --------------------------
    await h.runCommand(page, 'Neptun: Send buffer to Neptun chat');
    await h.waitForQuickInput(page, /Send to which Neptun chat\?/);
    await page
      .locator('.quick-input-widget:visible .quick-input-list .monaco-list-row', { hasText: 'Project Discussion' })
      .first()
      .waitFor({ state: 'visible' });
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'vscode-chat-quickpick.png') });
    await h.pick(page, 'Project Discussion', /Project Discussion/);
    await h.waitForQuickInput(page, /Attach to which message\?/);
    const firstRow = page.locator('.quick-input-widget:visible .quick-input-list .monaco-list-row').first();
    await firstRow.waitFor({ state: 'visible' });
    assert.match(await firstRow.innerText(), /New message…/, 'the first item makes a new message');
    await h.pick(page, 'Here is the code', /user: Here is the code/);

    const sentRe = /Sent greet\.py \(([^)]+)\) to “Project Discussion” \(chat 1\), message 1\./;
    const toast = await h.waitForToast(page, sentRe);
    const toastText = await toast.locator('.notification-list-item-message').innerText();
    h.log(`notification: ${toastText}`);
    await toast.locator('.monaco-button', { hasText: 'Open chat' }).waitFor({ state: 'visible' });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'vscode-sent-notification.png') });

    const whole = await h.waitForChatFile(api, (f) => f.title === 'greet.py');
    assert.equal(whole.text, buffer, 'the chat holds the buffer exactly, unsaved line included');
    assert.ok(whole.text.includes(marker));
    assert.equal(await readFile(greetFile, 'utf8'), GREET_PY, 'greet.py on disk is unchanged');
    await page.locator('.tabs-container .tab.active.dirty', { hasText: 'greet.py' }).waitFor({ state: 'visible' });
    h.log(`stored greet.py (${whole.text.length} chars; language ${whole.language}); status bar "${(await status.first().innerText()).trim()}"`);

    // ---- lines 1-2 through the editor context menu: the target is remembered ------------------
    await page.locator('.editor-instance .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    const lines12 = GREET_PY.split('\n').slice(0, 2).map((l) => `${l}\n`).join('');
    await page
      .locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: `(${lines12.length} selected)` })
      .waitFor({ state: 'visible' });
    // Right-click inside the selection (on line 1's text), as a person would: the selection stays.
    const line1 = page.locator('.editor-instance .view-lines .view-line', { hasText: 'def greet(name):' });
    await h.contextMenu(page, line1, { x: 12, y: 6 }, 'Send to Neptun Chat');
    const selToast = await h.waitForToast(page, /greet\.py#L1-2/);
    h.log(`notification: ${await selToast.locator('.notification-list-item-message').innerText()}`);
    const part = await h.waitForChatFile(api, (f) => f.title === 'greet.py#L1-2');
    assert.equal(part.text, lines12, 'the chat holds exactly lines 1-2');
    const askedAgain = await page
      .locator('.quick-input-widget:visible input[placeholder="Send to which Neptun chat?"]')
      .count();
    assert.equal(askedAgain, 0, 'no chat was asked for the second send');
    assert.deepEqual((await h.chatFiles(api)).map((f) => f.title).sort(), ['greet.py', 'greet.py#L1-2']);

    // ---- no session token in the logs or settings.json; the trace is there --------------------
    const logFiles = [
      ...h.walkFiles(path.join(dirs.userData, 'logs')),
      ...h.walkFiles(path.join(root, 'xdg-data', 'code-server', 'coder-logs')),
    ];
    const neptunLogs = h.neptunLogFiles(dirs.userData);
    h.log(`Neptun log file(s): ${neptunLogs.map((f) => path.relative(root, f)).join(', ') || 'none'}`);
    assert.ok(neptunLogs.length > 0, `no log file named *Neptun* under ${path.join(dirs.userData, 'logs')}:\n${logFiles.join('\n')}`);
    const neptunText = neptunLogs.map((f) => readFileSync(f, 'utf8')).join('\n');
    assert.ok(neptunText.length > 0, 'the Neptun log is empty');
    const traceLines = neptunText.split('\n').filter((l) => /(Sending|Received) (request|response|notification)/.test(l));
    assert.ok(traceLines.length > 0, `no LSP trace line in the Neptun log:\n${neptunText.slice(0, 2000)}`);
    assert.ok(traceLines.some((l) => /workspace\/executeCommand/.test(l)), 'the trace shows the send commands');
    h.log(`Neptun log: ${neptunText.length} chars, ${traceLines.length} trace lines`);

    // Every session the local server handed out (ours and the extension's sign-in) is a
    // SHA-256 digest in its database: look for any 43-character token whose digest is one.
    const digests = h.sessionDigests(python, path.join(root, 'neptun.db'));
    assert.ok(digests.size >= 2, `expected our session and the extension's, found ${digests.size}`);
    const checked = [...logFiles, dirs.settingsFile];
    for (const file of checked) {
      const text = readFileSync(file, 'latin1');
      assert.ok(!text.includes(cookie), `our session cookie is in ${file}`);
      for (const run of text.match(/[A-Za-z0-9_-]{43,}/g) ?? []) {
        for (let i = 0; i + 43 <= run.length; i++) {
          const digest = createHash('sha256').update(run.slice(i, i + 43)).digest('hex');
          assert.ok(!digests.has(digest), `a live session token is in ${file}`);
        }
      }
    }
    h.log(`no session token in ${checked.length} files (${digests.size} sessions checked)`);
    assert.deepEqual(outside, [], 'the page asked nothing of any other host');
    passed = true;
  } catch (err) {
    if (timedOut) err.message = `overall timeout (${OVERALL_MS} ms); ${err.message}`;
    if (page && !page.isClosed()) {
      const failDir = await mkdtemp(path.join(os.tmpdir(), 'neptun-vscode-e2e-failure-'));
      const shot = path.join(failDir, 'failure.png');
      await page.screenshot({ path: shot }).catch(() => {});
      h.log(`failure screenshot: ${shot}`);
      for (const line of await h.errorsOnScreen(page)) h.log(`on screen: ${line}`);
    }
    if (dirs) {
      const problems = h
        .neptunLogFiles(dirs.userData)
        .flatMap((f) => readFileSync(f, 'utf8').split('\n'))
        .filter((l) => /\[(error|warning)\]|\[Error|error:/i.test(l));
      for (const line of [...new Set(problems)].slice(-12)) h.log(`Neptun log: ${line}`);
    }
    h.log(`kept for inspection: ${root}`);
    throw err;
  } finally {
    clearTimeout(overall);
    await context?.close().catch(() => {});
    if (codeServerProc) {
      const res = await codeServerProc.child.stop();
      h.log(`code-server stopped ${JSON.stringify(res)}`);
    }
    if (local) await local.child.stop();
    if (passed && !process.env.NEPTUN_E2E_KEEP) await rm(root, { recursive: true, force: true });
    else if (passed) h.log(`kept: ${root}`);
  }
});
