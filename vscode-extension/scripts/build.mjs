// Bundle the extension with esbuild (vscode is provided by the editor) and print its size.
import { build } from "esbuild";
import { statSync } from "node:fs";

const outfile = "dist/extension.js";
await build({
  entryPoints: ["src/extension.ts"],
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  external: ["vscode"],
  outfile,
  minify: true,
  sourcemap: false,
  logLevel: "warning",
});
const size = statSync(outfile).size;
console.log(`bundle: ${outfile} ${(size / 1024).toFixed(1)} KiB`);
