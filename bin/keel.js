#!/usr/bin/env node
// The `keel` command. Runs the compiled CLI (built by `npm install` through the prepare script).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const compiled = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(compiled))) {
  console.error("keel: the CLI is not built yet; run `npm install` (or `npm run build`) in the keel folder first");
  process.exit(2);
}
const { main } = await import(compiled.href);
process.exitCode = await main(process.argv);
