// Which Python runs the server: pure ordering and reporting; probing is injected.

export type Source = "setting" | "python-extension" | "bundled";

export interface Candidate {
  source: Source;
  python: string;
  /** Extra environment for this candidate (the bundled server needs PYTHONPATH). */
  env: Record<string, string>;
}

export type ProbeResult = { ok: true } | { ok: false; reason: string };
export type Probe = (candidate: Candidate) => Promise<ProbeResult>;

export interface Attempt {
  candidate: Candidate;
  reason: string;
}

export interface Choice {
  chosen: Candidate | undefined;
  tried: Attempt[];
}

export interface Inputs {
  settingPath: string | undefined;
  pythonExtensionPath: string | undefined;
  bundledLibs: string | undefined;
  systemPython: string;
}

const LABEL: Record<Source, string> = {
  setting: "neptun.server.pythonPath",
  "python-extension": "the Python extension's interpreter",
  bundled: "the server bundled with this extension",
};

/** Candidates in order: the setting, the Python extension's interpreter, the bundled server. */
export function candidates(inputs: Inputs): Candidate[] {
  const found: Candidate[] = [];
  if (inputs.settingPath?.trim()) {
    found.push({ source: "setting", python: inputs.settingPath.trim(), env: {} });
  }
  if (inputs.pythonExtensionPath?.trim()) {
    found.push({ source: "python-extension", python: inputs.pythonExtensionPath.trim(), env: {} });
  }
  if (inputs.bundledLibs) {
    found.push({ source: "bundled", python: inputs.systemPython, env: { PYTHONPATH: inputs.bundledLibs } });
  }
  return found;
}

/** The first candidate whose probe succeeds; every failure is kept for the report. */
export async function choose(list: Candidate[], probe: Probe): Promise<Choice> {
  const tried: Attempt[] = [];
  for (const candidate of list) {
    const result = await probe(candidate);
    if (result.ok) {
      return { chosen: candidate, tried };
    }
    tried.push({ candidate, reason: result.reason });
  }
  return { chosen: undefined, tried };
}

export function describe(candidate: Candidate): string {
  return `${LABEL[candidate.source]} (${candidate.python})`;
}

/** One actionable sentence: what was tried, why each failed, what to install. */
export function failureMessage(tried: Attempt[]): string {
  const what = tried.length
    ? tried.map((attempt) => `${describe(attempt.candidate)}: ${attempt.reason}`).join("; ")
    : "no Python interpreter was found";
  return (
    `Could not start the Neptun language server. Tried ${what}. ` +
    "Install Python 3.10 or newer as python3, or `pip install neptun-lsp` into an interpreter " +
    "and set neptun.server.pythonPath to it."
  );
}
