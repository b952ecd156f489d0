// The session lives in SecretStorage only, one entry per server origin.

import * as vscode from "vscode";
import { Session } from "./core/auth";

const KEY = "neptun.session";

export class SessionStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(serverOrigin: string): Promise<Session | undefined> {
    const raw = await this.secrets.get(`${KEY} ${serverOrigin}`);
    if (!raw) return undefined;
    try {
      const session = JSON.parse(raw) as Session;
      return session.cookie && session.userId ? session : undefined;
    } catch {
      return undefined;
    }
  }

  async store(session: Session): Promise<void> {
    await this.secrets.store(`${KEY} ${session.origin}`, JSON.stringify(session));
  }

  async delete(serverOrigin: string): Promise<void> {
    await this.secrets.delete(`${KEY} ${serverOrigin}`);
  }

  onDidChange(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange((event) => {
      if (event.key.startsWith(KEY)) listener();
    });
  }
}
