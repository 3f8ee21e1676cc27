/** Run the `keel` CLI from source in a child process, as a user would. */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function keel(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "src/cli/entry.ts"), ...args], {
    cwd: options.cwd ?? root,
    env: { ...process.env, KEEL_PROGRESS: "0", ...options.env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export const fixture = (name: string) => path.join(root, "test/fixtures/cli", name);
