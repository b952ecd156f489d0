// Entry point: wires the output channel, the session store, the server and the commands.

import * as vscode from "vscode";
import { origin } from "./core/baseUrl";
import { TargetMemory } from "./core/targets";
import { SessionStore } from "./secrets";
import { NeptunServer } from "./server";
import { signIn } from "./signIn";
import { TargetStatus } from "./status";

const RESTART_SETTINGS = ["neptun.server.pythonPath", "neptun.baseUrl", "http.proxy"];
const RESTART_DELAY_MS = 500;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel("Neptun", { log: true });
  const sessions = new SessionStore(context.secrets);
  const memory = new TargetMemory(context.workspaceState);
  const status = new TargetStatus();

  const doSignIn = async (): Promise<void> => {
    const session = await signIn(server.baseUrl());
    if (!session) return;
    await sessions.store(session);
    output.info(`signed in to ${session.origin} as user ${session.userId}`);
    void vscode.window.showInformationMessage(`Signed in to ${session.origin} as ${session.email ?? `user ${session.userId}`}.`);
    await server.restart();
  };
  const server: NeptunServer = new NeptunServer(context, output, sessions, memory, doSignIn);

  const refreshStatus = async (): Promise<void> => {
    let target;
    try {
      target = memory.get(server.origin());
    } catch {
      target = undefined;
    }
    status.show(target, await server.signedIn());
  };

  let pending: NodeJS.Timeout | undefined;
  context.subscriptions.push(
    output, status, server,
    server.onDidChange(() => void refreshStatus()),
    vscode.commands.registerCommand("neptun.vscode.signIn", doSignIn),
    vscode.commands.registerCommand("neptun.vscode.signOut", async () => {
      const serverOrigin = origin(server.baseUrl());
      const session = await sessions.get(serverOrigin);
      if (session) {
        // Best effort: tell the server too, so the session cannot be reused.
        await fetch(`${serverOrigin}/api/auth/logout`, {
          method: "POST", headers: { Cookie: `neptun-session=${session.cookie}` }, redirect: "manual",
        }).catch(() => undefined);
      }
      await sessions.delete(serverOrigin);
      void vscode.window.showInformationMessage(`Signed out of ${serverOrigin}.`);
      await server.restart();
    }),
    vscode.commands.registerCommand("neptun.vscode.chooseTarget", () => server.chooseTarget()),
    vscode.commands.registerCommand("neptun.vscode.showLogs", () => output.show()),
    vscode.commands.registerCommand("neptun.vscode.restartServer", () => server.restart()),
    vscode.commands.registerCommand("neptun.vscode.sendToChat", async (clicked?: vscode.Uri) => {
      const editor = vscode.window.activeTextEditor;
      const uri = (clicked ?? editor?.document.uri)?.toString();
      if (editor && !editor.selection.isEmpty && (!clicked || clicked.toString() === editor.document.uri.toString())) {
        const { start, end } = editor.selection;
        const range = { start: { line: start.line, character: start.character }, end: { line: end.line, character: end.character } };
        return vscode.commands.executeCommand("neptun.sendSelection", { uri, range });
      }
      return vscode.commands.executeCommand("neptun.sendBuffer", uri ? { uri } : {});
    }),
    vscode.commands.registerCommand("neptun.vscode.sendFiles", (clicked?: vscode.Uri, selected?: vscode.Uri[]) => {
      const uris = (selected?.length ? selected : clicked ? [clicked] : []).map((uri) => uri.toString());
      if (!uris.length) return undefined;
      return vscode.commands.executeCommand("neptun.sendFiles", { uris });
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("neptun.baseUrl")) void refreshStatus();
      if (!RESTART_SETTINGS.some((setting) => event.affectsConfiguration(setting))) return;
      clearTimeout(pending);
      pending = setTimeout(() => void server.restart(), RESTART_DELAY_MS);
    }),
    sessions.onDidChange(() => void refreshStatus()),
  );
  await refreshStatus();
  await server.restart();
}

export function deactivate(): void {
  // Disposables registered on the context stop the client.
}
