// Finding and probing Python interpreters for the server (the vscode/child_process shell of
// core/launch.ts).

import { execFile } from "node:child_process";
import * as path from "node:path";
import * as fs from "node:fs";
import * as vscode from "vscode";
import { Candidate, ProbeResult } from "./core/launch";

const PROBE = "import sys, neptun_lsp; sys.exit(0 if sys.version_info >= (3, 10) else 3)";

export function probe(candidate: Candidate): Promise<ProbeResult> {
  return new Promise((resolve) => {
    execFile(candidate.python, ["-c", PROBE], { env: { ...process.env, ...candidate.env }, timeout: 15000 },
      (error, _stdout, stderr) => {
        if (!error) return resolve({ ok: true });
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT") return resolve({ ok: false, reason: "not found" });
        if ((error as { code?: unknown }).code === 3) return resolve({ ok: false, reason: "Python is older than 3.10" });
        const last = stderr.trim().split("\n").pop() ?? String(error);
        resolve({ ok: false, reason: last.includes("neptun_lsp") ? "neptun-lsp is not installed there" : last });
      });
  });
}

/** The interpreter selected in the Python extension, when that extension is installed. */
export async function pythonExtensionInterpreter(resource: vscode.Uri | undefined): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension("ms-python.python");
  if (!extension) return undefined;
  try {
    const api = (await extension.activate()) as {
      environments?: { getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } };
      settings?: { getExecutionDetails(resource?: vscode.Uri): { execCommand?: string[] } };
    };
    const active = api.environments?.getActiveEnvironmentPath(resource)?.path;
    return active ?? api.settings?.getExecutionDetails(resource)?.execCommand?.[0];
  } catch {
    return undefined;
  }
}

/** bundled/libs inside the installed extension, when this build carries the server. */
export function bundledLibs(extensionPath: string): string | undefined {
  const libs = path.join(extensionPath, "bundled", "libs");
  return fs.existsSync(path.join(libs, "neptun_lsp")) ? libs : undefined;
}
