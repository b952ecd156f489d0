import { strict as assert } from "node:assert";
import { test } from "node:test";
import { chatItems, excerpt, hasTarget, messageItems, NEW_MESSAGE_LABEL, relativeTime, statusText, TargetMemory } from "../src/core/targets";

const NOW = new Date("2026-11-24T12:00:00Z");

test("relative times", () => {
  assert.equal(relativeTime("2026-11-24T11:59:30Z", NOW), "just now");
  assert.equal(relativeTime("2026-11-24T11:55:00Z", NOW), "5 min ago");
  assert.equal(relativeTime("2026-11-24T09:00:00Z", NOW), "3 h ago");
  assert.equal(relativeTime("2026-11-23T10:00:00Z", NOW), "yesterday");
  assert.equal(relativeTime("2026-11-20T12:00:00Z", NOW), "4 days ago");
  assert.equal(relativeTime(null, NOW), "");
  assert.equal(relativeTime("garbage", NOW), "");
});

test("chat items keep the server's order and are labelled by name", () => {
  const items = chatItems([
    { id: 2, name: "Newest", model: "m", updated_at: "2026-11-24T11:00:00Z" },
    { id: 1, name: "", created_at: "2026-11-20T12:00:00Z" },
  ], NOW);
  assert.deepEqual(items.map((i) => [i.label, i.chatId, i.detail]), [["Newest", 2, "1 h ago"], ["Chat 1", 1, "4 days ago"]]);
});

test("message items: New message first, then newest first with actor and excerpt", () => {
  const items = messageItems([
    { id: 1, actor: "user", message: "first\nsecond line", created_at: "2026-11-24T10:00:00Z" },
    { id: 2, actor: "assistant", message: "x".repeat(100), created_at: "2026-11-24T11:58:00Z" },
  ], NOW);
  assert.equal(items[0].label, NEW_MESSAGE_LABEL);
  assert.equal(items[0].messageId, undefined);
  assert.deepEqual(items.slice(1).map((i) => [i.messageId, i.label.slice(0, 12), i.description]), [
    [2, "assistant: x", "2 min ago"], [1, "user: first", "2 h ago"]]);
  assert.ok(items[1].label.endsWith("…"));
  assert.equal(excerpt("\n\n  hello  \nworld"), "hello");
  assert.equal(excerpt(""), "(empty)");
});

test("status text", () => {
  assert.equal(statusText(undefined, false), "Neptun: sign in");
  assert.equal(statusText(undefined, true), "Neptun: choose target");
  assert.equal(statusText({ chatId: 3, messageId: 456, chatName: "Project Discussion" }, true), "Neptun: Project Discussion › #456");
  assert.equal(statusText({ chatId: 3, messageId: 456 }, true), "Neptun: chat 3 › #456");
});

test("target memory is per server origin and ignores damaged entries", async () => {
  const data = new Map<string, unknown>();
  const storage = { get: <T>(key: string) => data.get(key) as T | undefined, update: async (key: string, value: unknown) => { data.set(key, value); } };
  const memory = new TargetMemory(storage);
  await memory.remember("https://a", { chatId: 1, messageId: 2, chatName: "A" });
  assert.deepEqual(memory.get("https://a"), { chatId: 1, messageId: 2, chatName: "A" });
  assert.equal(memory.get("http://127.0.0.1:1"), undefined);
  data.set("neptun.target https://b", { chatId: "1", messageId: 2 });
  assert.equal(memory.get("https://b"), undefined);
  await memory.forget("https://a");
  assert.equal(memory.get("https://a"), undefined);
});

test("a send argument has a target only with both positive ids", () => {
  assert.equal(hasTarget({ uri: "u", chatId: 1, messageId: 2 }), true);
  assert.equal(hasTarget({ uri: "u", chatId: 1 }), false);
  assert.equal(hasTarget({ chatId: 0, messageId: 2 }), false);
});
