// The language client: launch (with the session in the environment, never in LSP), restart,
// and the middleware that picks a target before the server's send commands run.

import * as vscode from "vscode";
import {
  ExecuteCommandRequest, LanguageClient, LanguageClientOptions, ResponseError, ServerOptions,
} from "vscode-languageclient/node";
import { serverEnvironment } from "./core/auth";
import { origin } from "./core/baseUrl";
import { candidates, choose, describe, failureMessage } from "./core/launch";
import { Chat, hasTarget, Message, Target, TargetMemory } from "./core/targets";
import { pickTarget, ServerCommands } from "./picker";
import { bundledLibs, probe, pythonExtensionInterpreter } from "./python";
import { SessionStore } from "./secrets";

export const SEND_COMMANDS = new Set([
  "neptun.sendBuffer", "neptun.sendSelection", "neptun.sendFiles", "neptun.sendOpenDocuments",
]);
const NEEDS_SIGN_IN = new Set(["Unauthorized", "NotSignedIn"]);

export class NeptunServer implements ServerCommands, vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<void> = Promise.resolve();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
    private readonly sessions: SessionStore,
    private readonly memory: TargetMemory,
    private readonly signIn: () => Promise<void>,
  ) {}

  baseUrl(): string {
    return vscode.workspace.getConfiguration("neptun").get<string>("baseUrl") || "https://neptun-webui.vercel.app";
  }

  origin(): string {
    return origin(this.baseUrl());
  }

  /** Restarts are serialised: a second request waits for the first to finish. */
  restart(): Promise<void> {
    // Shown in the status bar: until the server is back, its commands are not registered.
    const run = (): Thenable<void> => vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: "Starting the Neptun server…" },
      () => this.stopThenStart(),
    );
    this.starting = this.starting.then(run, run);
    return this.starting;
  }

  private async stopThenStart(): Promise<void> {
    if (this.client) {
      const old = this.client;
      this.client = undefined;
      await old.stop().catch((error: unknown) => this.output.warn(`stopping the server: ${String(error)}`));
      old.dispose();
    }
    await this.start();
    this.changed.fire();
  }

  private async serverOptions(): Promise<ServerOptions | undefined> {
    const resource = vscode.window.activeTextEditor?.document.uri;
    const list = candidates({
      settingPath: vscode.workspace.getConfiguration("neptun").get<string>("server.pythonPath"),
      pythonExtensionPath: await pythonExtensionInterpreter(resource),
      bundledLibs: bundledLibs(this.context.extensionPath),
      systemPython: "python3",
    });
    const { chosen, tried } = await choose(list, probe);
    for (const attempt of tried) this.output.warn(`not using ${describe(attempt.candidate)}: ${attempt.reason}`);
    if (!chosen) {
      const message = failureMessage(tried);
      this.output.error(message);
      void vscode.window.showErrorMessage(message, "Show Logs").then((choice) => choice && this.output.show());
      return undefined;
    }
    this.output.info(`starting the server with ${describe(chosen)}`);
    let session;
    try {
      session = await this.sessions.get(this.origin());
    } catch (error) {
      this.output.warn(`reading the stored session: ${String(error)}`);
    }
    const proxy = vscode.workspace.getConfiguration("http").get<string>("proxy");
    const env = {
      ...process.env, ...chosen.env, ...serverEnvironment(session),
      ...(proxy ? { HTTPS_PROXY: proxy, HTTP_PROXY: proxy } : {}),
    };
    // No `transport`: vscode-languageclient then speaks stdio without adding a --stdio argument.
    return { command: chosen.python, args: ["-m", "neptun_lsp"], options: { env } };
  }

  private async start(): Promise<void> {
    let options: ServerOptions | undefined;
    try {
      options = await this.serverOptions();
    } catch (error) {
      void vscode.window.showErrorMessage(String(error instanceof Error ? error.message : error));
      return;
    }
    if (!options) return;
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: "file" }, { scheme: "untitled" }],
      outputChannel: this.output,
      traceOutputChannel: this.output,
      synchronize: { configurationSection: "neptun" },
      middleware: { executeCommand: (command, args, next) => this.executeCommand(command, args, next) },
    };
    this.client = new LanguageClient("neptun", "Neptun", options, clientOptions);
    try {
      await this.client.start();
    } catch (error) {
      this.output.error(`the server did not start: ${String(error)}`);
      void vscode.window.showErrorMessage("The Neptun language server did not start.", "Show Logs")
        .then((choice) => choice && this.output.show());
    }
  }

  async signedIn(): Promise<boolean> {
    try {
      return (await this.sessions.get(this.origin())) !== undefined;
    } catch {
      return false;
    }
  }

  private async request<T>(command: string, argument: unknown = {}): Promise<T> {
    if (!this.client) throw new Error("The Neptun language server is not running: see 'Neptun: Show Logs'.");
    return this.client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [argument] }) as Promise<T>;
  }

  async listChats(): Promise<Chat[]> {
    return (await this.request<{ chats: Chat[] }>("neptun.listChats")).chats;
  }

  async listMessages(chatId: number): Promise<Message[]> {
    return (await this.request<{ messages: Message[] }>("neptun.listMessages", { chatId })).messages;
  }

  async createMessage(chatId: number, message: string): Promise<number> {
    return (await this.request<{ message: { id: number } }>("neptun.createMessage", { chatId, message })).message.id;
  }

  /** The uri (and range) of the active editor for palette invocations without arguments. */
  private completeArgument(command: string, args: unknown[]): Record<string, unknown> | undefined {
    const given = typeof args[0] === "object" && args[0] !== null ? { ...(args[0] as Record<string, unknown>) } : {};
    if ((command === "neptun.sendBuffer" || command === "neptun.sendSelection") && !given.uri) {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !this.client) return undefined;
      given.uri = this.client.code2ProtocolConverter.asUri(editor.document.uri);
      if (command === "neptun.sendSelection" && !given.range) {
        given.range = this.client.code2ProtocolConverter.asRange(editor.selection);
      }
    }
    return given;
  }

  async chooseTarget(): Promise<Target | undefined> {
    const target = await pickTarget(this);
    if (target) await this.memory.remember(this.origin(), target);
    this.changed.fire();
    return target;
  }

  private async executeCommand(
    command: string, args: unknown[], next: (command: string, args: unknown[]) => unknown,
  ): Promise<unknown> {
    if (!SEND_COMMANDS.has(command)) return next(command, args);
    const argument = this.completeArgument(command, args);
    if (!argument) {
      void vscode.window.showInformationMessage("Open a file first: Neptun sends what the editor holds.");
      return undefined;
    }
    try {
      if (!hasTarget(argument)) {
        const target = this.memory.get(this.origin()) ?? (await this.chooseTarget());
        if (!target) return undefined; // Escape: nothing is sent
        argument.chatId = target.chatId;
        argument.messageId = target.messageId;
      }
      return await this.request(command, argument);
    } catch (error) {
      await this.handleFailure(error);
      return undefined;
    } finally {
      this.changed.fire();
    }
  }

  /** The server has already shown its sentence; add what only the extension can do. */
  private async handleFailure(error: unknown): Promise<void> {
    const kind = error instanceof ResponseError ? (error.data as { kind?: string } | undefined)?.kind : undefined;
    if (kind && NEEDS_SIGN_IN.has(kind)) {
      const choice = await vscode.window.showErrorMessage("Sign in to Neptun to send files.", "Sign In");
      if (choice === "Sign In") await this.signIn();
      return;
    }
    if (kind === "NotFound") {
      await this.memory.forget(this.origin()); // the remembered chat or message is gone
      return;
    }
    if (!kind) {
      const message = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(message);
    }
  }

  async stop(): Promise<void> {
    if (this.client) await this.client.stop();
  }

  dispose(): void {
    void this.stop();
    this.changed.dispose();
  }
}
