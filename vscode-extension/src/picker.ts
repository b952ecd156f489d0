// Quick picks for the chat and the message, fed by the server's commands.

import * as vscode from "vscode";
import { Chat, chatItems, ChatItem, Message, messageItems, MessageItem, Target } from "./core/targets";

export interface ServerCommands {
  listChats(): Promise<Chat[]>;
  listMessages(chatId: number): Promise<Message[]>;
  createMessage(chatId: number, message: string): Promise<number>;
}

type Pick<T> = vscode.QuickPickItem & T;

/** Chat, then message (or a new one); undefined when the user pressed Escape at any step. */
export async function pickTarget(server: ServerCommands): Promise<Target | undefined> {
  const chats = await server.listChats();
  if (!chats.length) {
    void vscode.window.showInformationMessage("You have no Neptun chats yet: start one in the Neptun web app.");
    return undefined;
  }
  const now = new Date();
  const chat = await vscode.window.showQuickPick<Pick<ChatItem>>(chatItems(chats, now), {
    title: "Neptun", placeHolder: "Send to which Neptun chat?", matchOnDescription: true, ignoreFocusOut: true,
  });
  if (!chat) return undefined;
  const messages = await server.listMessages(chat.chatId);
  const message = await vscode.window.showQuickPick<Pick<MessageItem>>(messageItems(messages, now), {
    title: `Neptun: ${chat.label}`, placeHolder: "Attach to which message?", ignoreFocusOut: true,
  });
  if (!message) return undefined;
  let messageId = message.messageId;
  if (messageId === undefined) {
    const text = await vscode.window.showInputBox({
      title: `Neptun: new message in ${chat.label}`, prompt: "The message the files are attached to",
      value: "Here is some code from my editor:", ignoreFocusOut: true,
    });
    if (!text) return undefined;
    messageId = await server.createMessage(chat.chatId, text);
  }
  return { chatId: chat.chatId, messageId, chatName: chat.label };
}
