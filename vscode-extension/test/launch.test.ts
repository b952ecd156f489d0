import { strict as assert } from "node:assert";
import { test } from "node:test";
import { Candidate, candidates, choose, failureMessage } from "../src/core/launch";

test("candidates come in order: setting, Python extension, bundled", () => {
  const list = candidates({ settingPath: " /opt/py ", pythonExtensionPath: "/venv/bin/python", bundledLibs: "/ext/bundled/libs", systemPython: "python3" });
  assert.deepEqual(list.map((c) => [c.source, c.python]), [["setting", "/opt/py"], ["python-extension", "/venv/bin/python"], ["bundled", "python3"]]);
  assert.deepEqual(list[2].env, { PYTHONPATH: "/ext/bundled/libs" });
});

test("empty settings and a missing bundle are left out", () => {
  assert.deepEqual(candidates({ settingPath: "", pythonExtensionPath: undefined, bundledLibs: undefined, systemPython: "python3" }), []);
});

test("the first candidate that probes well is chosen, earlier failures are kept", async () => {
  const list = candidates({ settingPath: "/bad", pythonExtensionPath: "/no-lsp", bundledLibs: "/libs", systemPython: "python3" });
  const reasons: Record<string, string> = { "/bad": "not found", "/no-lsp": "neptun-lsp is not installed there" };
  const choice = await choose(list, async (c: Candidate) => (reasons[c.python] ? { ok: false, reason: reasons[c.python] } : { ok: true }));
  assert.equal(choice.chosen?.source, "bundled");
  assert.deepEqual(choice.tried.map((t) => t.reason), ["not found", "neptun-lsp is not installed there"]);
});

test("the failure message says what was tried and what to install", async () => {
  const list = candidates({ settingPath: "/bad", pythonExtensionPath: undefined, bundledLibs: "/libs", systemPython: "python3" });
  const choice = await choose(list, async () => ({ ok: false, reason: "not found" }));
  assert.equal(choice.chosen, undefined);
  const message = failureMessage(choice.tried);
  assert.match(message, /neptun\.server\.pythonPath \(\/bad\): not found/);
  assert.match(message, /the server bundled with this extension \(python3\): not found/);
  assert.match(message, /Install Python 3\.10 or newer/);
  assert.match(failureMessage([]), /no Python interpreter was found/);
});
