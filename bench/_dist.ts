/**
 * The compiled Keel in dist/ — what the `keel` command and a user's `import "keel"` run — for the
 * benches that time fits on worker threads. From TypeScript sources (tsx) every pool worker also
 * registers tsx and transpiles its modules when it starts, about 0.3–0.45 s of a first threaded
 * fit here (2 cores) that no user ever pays; the compiled build starts a worker in ~0.1 s.
 * `distModule` compiles src/ first (`tsc -p tsconfig.build.json`, once per process) so the build
 * is never stale.
 */
import { spawnSync } from "node:child_process";

let built = false;

/** The URL of dist/`module` (e.g. "models/gbdt/index.js"), after compiling src/ into dist/. */
export function distModule(module: string): string {
  if (!built) {
    const root = new URL("..", import.meta.url);
    const r = spawnSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: root, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`compiling src/ into dist/ failed:\n${r.stdout}${r.stderr}`);
    built = true;
  }
  return new URL(`../dist/${module}`, import.meta.url).href;
}
