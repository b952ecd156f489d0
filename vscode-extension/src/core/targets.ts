// Choosing a chat and a message: quick pick items, relative times, the status bar text, and
// the per-workspace memory of the last target. Pure: the editor's storage is injected.

export interface Chat {
  id: number;
  name: string;
  model?: string;
  created_at?: string | null;
  updated_at?: string | null;
}

export interface Message {
  id: number;
  actor: string;
  message: string;
  created_at?: string | null;
}

export interface Target {
  chatId: number;
  messageId: number;
  chatName?: string;
}

export interface ChatItem {
  label: string;
  description?: string;
  detail?: string;
  chatId: number;
}

export const NEW_MESSAGE_LABEL = "New message…";

export interface MessageItem {
  label: string;
  description?: string;
  /** undefined for "New message…" */
  messageId: number | undefined;
}

export function relativeTime(iso: string | null | undefined, now: Date): string {
  if (!iso) return "";
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "";
  const seconds = Math.max(0, Math.round((now.getTime() - then) / 1000));
  if (seconds < 60) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  return days === 1 ? "yesterday" : `${days} days ago`;
}

export function excerpt(text: string, length = 60): string {
  const line = text.split(/\r?\n/).map((part) => part.trim()).find((part) => part) ?? "";
  if (!line) return "(empty)";
  return line.length <= length ? line : `${line.slice(0, length - 1).trimEnd()}…`;
}

/** Chats as the server lists them (newest first), searchable by name. */
export function chatItems(chats: Chat[], now: Date): ChatItem[] {
  return chats.map((chat) => ({
    label: chat.name || `Chat ${chat.id}`,
    description: chat.model || undefined,
    detail: relativeTime(chat.updated_at ?? chat.created_at, now) || undefined,
    chatId: chat.id,
  }));
}

/** "New message…" first, then the chat's messages newest first (the API lists oldest first). */
export function messageItems(messages: Message[], now: Date): MessageItem[] {
  const newest = [...messages].reverse();
  return [
    { label: NEW_MESSAGE_LABEL, description: "write a message to attach the files to", messageId: undefined },
    ...newest.map((message) => ({
      label: `${message.actor}: ${excerpt(message.message)}`,
      description: relativeTime(message.created_at, now) || undefined,
      messageId: message.id,
    })),
  ];
}

export function statusText(target: Target | undefined, signedIn: boolean): string {
  if (!signedIn) return "Neptun: sign in";
  if (!target) return "Neptun: choose target";
  const chat = target.chatName ?? `chat ${target.chatId}`;
  return `Neptun: ${chat} › #${target.messageId}`;
}

/** The storage VS Code gives an extension per workspace (vscode.Memento), reduced to what we use. */
export interface Storage {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

function isTarget(value: unknown): value is Target {
  const candidate = value as Target | undefined;
  return (
    typeof candidate === "object" && candidate !== null &&
    Number.isInteger(candidate.chatId) && candidate.chatId > 0 &&
    Number.isInteger(candidate.messageId) && candidate.messageId > 0
  );
}

/** The last target per workspace and per server origin (chat ids mean nothing elsewhere). */
export class TargetMemory {
  constructor(private readonly storage: Storage) {}

  private key(serverOrigin: string): string {
    return `neptun.target ${serverOrigin}`;
  }

  get(serverOrigin: string): Target | undefined {
    const value = this.storage.get<unknown>(this.key(serverOrigin));
    return isTarget(value) ? value : undefined;
  }

  async remember(serverOrigin: string, target: Target): Promise<void> {
    await this.storage.update(this.key(serverOrigin), target);
  }

  async forget(serverOrigin: string): Promise<void> {
    await this.storage.update(this.key(serverOrigin), undefined);
  }
}

/** Does a send command's argument already name a complete target? */
export function hasTarget(argument: Record<string, unknown>): boolean {
  return isTarget({ chatId: argument.chatId, messageId: argument.messageId });
}
