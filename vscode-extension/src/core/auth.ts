// Signing in: the login request, Set-Cookie parsing, and Neptun's CLI document. No vscode here.

import { origin } from "./baseUrl";

export const SESSION_COOKIE = "neptun-session";

export interface Session {
  /** The server origin this session belongs to. */
  origin: string;
  cookie: string;
  userId: number;
  email?: string;
}

export class SignInError extends Error {}

/** The `neptun-session` value among Set-Cookie headers (the last non-empty one), if any. */
export function sessionFromSetCookie(headers: string[]): string | undefined {
  let found: string | undefined;
  for (const header of headers) {
    const [pair] = header.split(";");
    const index = pair.indexOf("=");
    if (index > 0 && pair.slice(0, index).trim() === SESSION_COOKIE) {
      const value = pair.slice(index + 1).trim();
      if (value) {
        found = value;
      }
    }
  }
  return found;
}

function positiveInteger(value: unknown): number | undefined {
  const number = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === "number" && Number.isInteger(number) && number > 0 ? number : undefined;
}

/** The JSON of `GET /api/users/{id}/cli` (for GitHub-account users) -> a Session. */
export function sessionFromCliConfig(text: string): Session {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new SignInError("That is not JSON: copy the whole answer of Neptun's CLI page.");
  }
  const root = (document ?? {}) as Record<string, unknown>;
  const auth = (root.auth ?? {}) as Record<string, unknown>;
  const user = (auth.user ?? {}) as Record<string, unknown>;
  const utils = (root.utils ?? {}) as Record<string, unknown>;
  const missing: string[] = [];
  const cookie = typeof auth.neptun_session_cookie === "string" ? auth.neptun_session_cookie : "";
  if (!cookie) missing.push("auth.neptun_session_cookie");
  const userId = positiveInteger(user.id);
  if (userId === undefined) missing.push("auth.user.id");
  const host = typeof utils.neptun_api_server_host === "string" ? utils.neptun_api_server_host : "";
  if (!host) missing.push("utils.neptun_api_server_host");
  if (missing.length) {
    throw new SignInError(`That is not Neptun's CLI document: missing ${missing.join(", ")}.`);
  }
  return { origin: origin(host), cookie, userId: userId as number, email: typeof user.email === "string" ? user.email : undefined };
}

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** POST /api/auth/login without any cookie (the hosted service refuses a signed-in login). */
export async function login(baseUrl: string, email: string, password: string, fetchImpl: Fetch): Promise<Session> {
  const serverOrigin = origin(baseUrl);
  let response: Response;
  try {
    response = await fetchImpl(`${serverOrigin}/api/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ email, password }),
      redirect: "manual",
    });
  } catch {
    throw new SignInError(`Could not reach the Neptun server at ${serverOrigin}: check neptun.baseUrl and your network.`);
  }
  if (response.status === 401 || response.status === 400) {
    throw new SignInError("Neptun did not accept that email and password.");
  }
  if (!response.ok) {
    throw new SignInError(`The Neptun server answered ${response.status} to the sign-in.`);
  }
  const cookie = sessionFromSetCookie(response.headers.getSetCookie());
  const body = (await response.json().catch(() => ({}))) as { user?: { id?: unknown; primary_email?: unknown } };
  const userId = positiveInteger(body.user?.id);
  if (!cookie || userId === undefined) {
    throw new SignInError("The Neptun server signed you in but sent no session.");
  }
  const shown = typeof body.user?.primary_email === "string" ? body.user.primary_email : email;
  return { origin: serverOrigin, cookie, userId, email: shown };
}

/** The server process's environment for a session: how the cookie reaches it (never LSP). */
export function serverEnvironment(session: Session | undefined): Record<string, string> {
  return session ? { NEPTUN_SESSION: session.cookie, NEPTUN_USER_ID: String(session.userId) } : {};
}
