/**
 * A store filled the way users fill it: `keel run` on a copy of examples/credit (the CLI from
 * source, in a child process), in a temporary folder.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Run `keel run` on a fresh copy of examples/credit; the SQLite store's path and the folder. */
export function creditStore(): { dir: string; store: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "keel-ui-credit-"));
  cpSync(path.join(root, "examples/credit/keel.yaml"), path.join(dir, "keel.yaml"));
  cpSync(path.join(root, "examples/credit/credit_data.csv"), path.join(dir, "credit_data.csv"));
  // the project's own store (<dir>/.keel/keel.db), whatever the environment names
  const env: Record<string, string | undefined> = { ...process.env, KEEL_PROGRESS: "0" };
  for (const k of ["KEEL_STORE", "KEEL_HOME", "KEEL_TOKEN", "MLFLOW_TRACKING_URI"]) delete env[k];
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "src/cli/entry.ts"), "run", dir], {
    cwd: root,
    env,
    encoding: "utf8",
    timeout: 600_000,
  });
  if (r.status !== 0) throw new Error(`keel run examples/credit failed (${r.status}): ${r.stderr || r.stdout}`);
  return { dir, store: path.join(dir, ".keel", "keel.db") };
}
