// "Neptun: Sign In" and "Neptun: Sign Out": the only place the extension talks HTTP itself.

import * as vscode from "vscode";
import { login, Session, sessionFromCliConfig, SignInError } from "./core/auth";
import { origin } from "./core/baseUrl";

const METHODS = {
  password: "Email and password",
  cliConfig: "Neptun CLI configuration (GitHub accounts)",
  cookie: "Session cookie",
} as const;

async function withPassword(baseUrl: string): Promise<Session | undefined> {
  const email = await vscode.window.showInputBox({
    title: "Sign in to Neptun", prompt: "Neptun email", placeHolder: "Neptun email", ignoreFocusOut: true,
    validateInput: (value) => (/^\S+@\S+\.\S+$/.test(value.trim()) ? undefined : "Enter an email address"),
  });
  if (email === undefined) return undefined;
  const password = await vscode.window.showInputBox({
    title: "Sign in to Neptun", prompt: "Neptun password", placeHolder: "Neptun password", password: true,
    ignoreFocusOut: true,
  });
  if (password === undefined) return undefined;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: "Signing in to Neptun…" },
    () => login(baseUrl, email.trim(), password, fetch),
  );
}

async function withCliConfig(): Promise<Session | undefined> {
  const text = await vscode.window.showInputBox({
    title: "Sign in to Neptun",
    prompt: "Paste the JSON shown by Neptun's CLI page (/api/users/<your id>/cli)",
    placeHolder: '{"utils": …, "auth": {"neptun_session_cookie": …}}', password: true, ignoreFocusOut: true,
  });
  return text === undefined ? undefined : sessionFromCliConfig(text);
}

async function withCookie(baseUrl: string): Promise<Session | undefined> {
  const cookie = await vscode.window.showInputBox({
    title: "Sign in to Neptun", prompt: "The value of your neptun-session cookie", password: true,
    ignoreFocusOut: true,
  });
  if (!cookie) return undefined;
  const userId = await vscode.window.showInputBox({
    title: "Sign in to Neptun", prompt: "Your Neptun user id (a number)", ignoreFocusOut: true,
    validateInput: (value) => (/^[1-9]\d*$/.test(value.trim()) ? undefined : "A positive whole number"),
  });
  if (!userId) return undefined;
  return { origin: origin(baseUrl), cookie: cookie.trim(), userId: Number(userId.trim()) };
}

/** Asks how, signs in, returns the session (not yet stored); undefined when cancelled. */
export async function signIn(baseUrl: string): Promise<Session | undefined> {
  const picked = await vscode.window.showQuickPick(Object.values(METHODS), {
    title: "Sign in to Neptun", placeHolder: "How do you want to sign in to Neptun?", ignoreFocusOut: true,
  });
  try {
    if (picked === METHODS.password) return await withPassword(baseUrl);
    if (picked === METHODS.cliConfig) return await withCliConfig();
    if (picked === METHODS.cookie) return await withCookie(baseUrl);
    return undefined;
  } catch (error) {
    if (error instanceof SignInError || error instanceof Error) {
      void vscode.window.showErrorMessage(error.message);
      return undefined;
    }
    throw error;
  }
}
