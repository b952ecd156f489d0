import { strict as assert } from "node:assert";
import { test } from "node:test";
import { login, serverEnvironment, sessionFromCliConfig, sessionFromSetCookie, SignInError } from "../src/core/auth";
import { InsecureBaseUrl, origin } from "../src/core/baseUrl";

const CLI = {
  utils: { neptun_api_server_host: "https://neptun-webui.vercel.app/api", neptun_github_app_url: "x" },
  auth: { neptun_session_cookie: "sealed-value", user: { id: 42, email: "a@b.co", oauth: null } },
  active_chat: { chat_id: -1, chat_name: "c", model: "m" },
};

test("the CLI document gives origin, cookie and user id", () => {
  assert.deepEqual(sessionFromCliConfig(JSON.stringify(CLI)), {
    origin: "https://neptun-webui.vercel.app", cookie: "sealed-value", userId: 42, email: "a@b.co",
  });
  const stringId = { ...CLI, auth: { ...CLI.auth, user: { id: "42" } } };
  assert.equal(sessionFromCliConfig(JSON.stringify(stringId)).userId, 42);
});

test("a bad CLI document names what is missing", () => {
  assert.throws(() => sessionFromCliConfig("not json"), /That is not JSON/);
  assert.throws(() => sessionFromCliConfig("{}"), (error: Error) =>
    error instanceof SignInError && /auth\.neptun_session_cookie, auth\.user\.id, utils\.neptun_api_server_host/.test(error.message));
});

test("Set-Cookie parsing keeps the last non-empty neptun-session", () => {
  assert.equal(sessionFromSetCookie(["a=1; Path=/", "neptun-session=abc; HttpOnly", "neptun-session=; Max-Age=0", "neptun-session=def; Path=/"]), "def");
  assert.equal(sessionFromSetCookie(["other=1"]), undefined);
});

test("base URLs: https anywhere, http only on loopback", () => {
  assert.equal(origin("https://neptun-webui.vercel.app/api/"), "https://neptun-webui.vercel.app");
  assert.equal(origin("http://127.0.0.1:42124"), "http://127.0.0.1:42124");
  assert.equal(origin("http://localhost:1/api"), "http://localhost:1");
  assert.equal(origin("http://[::1]:8080"), "http://[::1]:8080");
  assert.throws(() => origin("http://neptun.example"), InsecureBaseUrl);
  assert.throws(() => origin("ftp://x"), InsecureBaseUrl);
  assert.throws(() => origin("not a url"), InsecureBaseUrl);
});

test("login posts without a cookie and keeps the session it is given", async () => {
  const seen: RequestInit[] = [];
  const fake = async (url: string, init: RequestInit): Promise<Response> => {
    seen.push(init);
    assert.equal(url, "http://127.0.0.1:9/api/auth/login");
    return new Response(JSON.stringify({ user: { id: 7, primary_email: "demo@neptun.local" } }), {
      status: 200, headers: { "Set-Cookie": "neptun-session=s3cret; Path=/; HttpOnly" },
    });
  };
  const session = await login("http://127.0.0.1:9", "demo@neptun.local", "pw", fake);
  assert.deepEqual(session, { origin: "http://127.0.0.1:9", cookie: "s3cret", userId: 7, email: "demo@neptun.local" });
  assert.equal(new Headers(seen[0].headers).get("cookie"), null);
  assert.equal(seen[0].redirect, "manual");
  assert.deepEqual(serverEnvironment(session), { NEPTUN_SESSION: "s3cret", NEPTUN_USER_ID: "7" });
  assert.deepEqual(serverEnvironment(undefined), {});
});

test("login failures are sentences", async () => {
  const answer = (status: number) => async () => new Response("{}", { status });
  await assert.rejects(login("http://127.0.0.1:9", "a@b.co", "x", answer(401)), /did not accept that email and password/);
  await assert.rejects(login("http://127.0.0.1:9", "a@b.co", "x", answer(502)), /answered 502/);
  await assert.rejects(login("http://127.0.0.1:9", "a@b.co", "x", answer(200)), /sent no session/);
  await assert.rejects(login("http://127.0.0.1:9", "a@b.co", "x", async () => { throw new TypeError("fetch failed"); }), /Could not reach/);
});
