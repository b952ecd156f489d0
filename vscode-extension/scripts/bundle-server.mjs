// Put the Python server and its locked dependencies into bundled/libs, for `python3 -m
// neptun_lsp` with PYTHONPATH=bundled/libs. Hash-checked installs from ../requirements.txt.
// pydantic-core is compiled per Python version: its extension module is added for every
// CPython from 3.10 to 3.13, so the .vsix runs with whichever python3 the user has (it stays
// specific to linux-x64, hence `vsce package --target linux-x64`).

import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve("..");
const python = process.env.NEPTUN_BUNDLE_PYTHON ?? join(root, ".venv", "bin", "python");
const libs = resolve("bundled", "libs");
const versions = ["3.10", "3.11", "3.12", "3.13"];
const pip = (...args) => execFileSync(python, ["-m", "pip", "--disable-pip-version-check", "-q", ...args], { stdio: "inherit" });

if (!existsSync(python)) {
  console.error(`bundle-server: ${python} not found: run scripts/bootstrap.sh first`);
  process.exit(1);
}
rmSync(resolve("bundled"), { recursive: true, force: true });
pip("install", "--no-compile", "--require-hashes", "--no-deps", "--only-binary=:all:", "--target", libs, "-r", join(root, "requirements.txt"));
pip("install", "--no-compile", "--no-deps", "--no-build-isolation", "--target", libs, root);

// The locked pydantic-core pin with its hashes, for the other Python versions' wheels.
const lock = readFileSync(join(root, "requirements.txt"), "utf8");
const block = lock.match(/^pydantic-core==[^\n]*(?:\n {4}--hash=[^\n]*)*/m);
if (!block) throw new Error("pydantic-core is not in requirements.txt");
const scratch = mkdtempSync(join(tmpdir(), "neptun-bundle-"));
writeFileSync(join(scratch, "pydantic-core.txt"), block[0].replace(/\\\s*$/, "") + "\n");
for (const version of versions) {
  const target = join(scratch, version);
  pip("install", "--no-compile", "--require-hashes", "--no-deps", "--only-binary=:all:", "--implementation", "cp",
    "--python-version", version, "--platform", "manylinux_2_17_x86_64", "--target", target,
    "-r", join(scratch, "pydantic-core.txt"));
  for (const file of readdirSync(join(target, "pydantic_core"))) {
    if (file.endsWith(".so")) cpSync(join(target, "pydantic_core", file), join(libs, "pydantic_core", file));
  }
}
rmSync(scratch, { recursive: true, force: true });
rmSync(join(libs, "bin"), { recursive: true, force: true });
const modules = readdirSync(join(libs, "pydantic_core")).filter((file) => file.endsWith(".so"));
console.log(`bundle-server: ${libs} (pydantic-core for ${modules.length} Python versions)`);
