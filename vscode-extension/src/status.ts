// The status bar item: the current target; clicking it chooses another.

import * as vscode from "vscode";
import { statusText, Target } from "./core/targets";

export class TargetStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("neptun.target", vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = "Neptun target";
    this.item.command = "neptun.vscode.chooseTarget";
  }

  show(target: Target | undefined, signedIn: boolean): void {
    this.item.text = `$(comment-discussion) ${statusText(target, signedIn)}`;
    this.item.tooltip = signedIn
      ? "Where 'Send to Neptun Chat' sends files. Click to choose another chat or message."
      : "Not signed in to Neptun. Click to choose a target after 'Neptun: Sign In'.";
    this.item.command = signedIn ? "neptun.vscode.chooseTarget" : "neptun.vscode.signIn";
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
