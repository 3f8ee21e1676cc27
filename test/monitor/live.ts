/**
 * A served model with real traffic, for the monitoring tests: `keel run` on the credit fixture
 * registers version 1 (with its reference profile), it becomes @champion, `keel serve` answers
 * requests over loopback and writes the prediction log, and labels go in as `keel feedback` does.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runProject } from "../../src/pipeline/run-project.js";
import { openRegistry } from "../../src/registry/index.js";
import { startServe } from "../../src/serve/index.js";
import { openStore } from "../../src/track/index.js";
import { fixture } from "../cli/run-cli.js";

const YAML = `name: credit
problem:
  task: binary
  target: Status
  positive: bad
  metric: roc_auc
  good_enough: 0.6
data:
  source: credit.csv
split: { test: 0.25, stratify: true, seed: 7 }
cv: { folds: 3 }
models: [baseline, { gbdt: { maxIter: 20 } }]
`;

export interface Project {
  dir: string;
  /** The project's SQLite store. */
  store: string;
}

/** A project whose run registered credit version 1, aliased champion (and challenger). */
export async function championProject(): Promise<Project> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "keel-monitor-"));
  copyFileSync(fixture("credit-300.csv"), path.join(dir, "credit.csv"));
  writeFileSync(path.join(dir, "keel.yaml"), YAML);
  const s = await runProject({ project: dir, threads: 1 });
  if (!s.registered) throw new Error("the credit run registered nothing");
  const store = path.join(dir, ".keel", "keel.db");
  const tracking = await openStore(store);
  const registry = await openRegistry(tracking);
  try {
    await registry.setRegisteredModelAlias("credit", "champion", s.registered.version);
  } finally {
    await tracking.backend.close();
  }
  return { dir, store };
}

export type Row = Record<string, string | number | null>;

/** Run the project again with another split seed: a second version (other training rows), aliased challenger. */
export async function challengerVersion(project: Project): Promise<string> {
  writeFileSync(path.join(project.dir, "keel.yaml"), YAML.replace("seed: 7", "seed: 8"));
  const s = await runProject({ project: project.dir, threads: 1 });
  if (!s.registered || s.registered.reused) throw new Error(`the second run registered no new version: ${JSON.stringify({ registered: s.registered, verdict: s.verdict, chosen: s.chosen })}`);
  return s.registered.version;
}

/** The credit fixture's rows (with Status) as plain objects. */
export function creditRows(): Row[] {
  const [head, ...lines] = readFileSync(fixture("credit-300.csv"), "utf8").trim().split("\n");
  const names = head.split(",").map((h) => JSON.parse(h) as string);
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [names[i], v.startsWith('"') ? (JSON.parse(v) as string) : v === "" ? null : Number(v)])));
}

export interface Traffic {
  /** Request id of each row sent, in order (null when the request was refused). */
  ids: (string | null)[];
  statuses: number[];
}

/**
 * Serve `models:/credit@champion` from the project's store and send each row as one request
 * (MLflow `dataframe_records`, `X-Request-Id` = `<prefix>-<i>`), Status left out; the log goes to `logDir`.
 */
export async function sendTraffic(project: Project, rows: readonly Row[], options: { logDir: string; prefix: string; store?: string; shadow?: string }): Promise<Traffic> {
  const s = await startServe({ models: [{ ref: "models:/credit@champion" }], ...(options.shadow ? { shadow: [{ ref: options.shadow }] } : {}), port: 0, store: options.store ?? project.store, logDir: options.logDir, watch: false });
  const out: Traffic = { ids: [], statuses: [] };
  try {
    for (let i = 0; i < rows.length; i++) {
      const { Status: _, ...features } = rows[i];
      const id = `${options.prefix}-${i}`;
      const r = await fetch(`${s.url}/invocations`, { method: "POST", headers: { "content-type": "application/json", "x-request-id": id }, body: JSON.stringify({ dataframe_records: [features] }) });
      await r.arrayBuffer();
      out.statuses.push(r.status);
      out.ids.push(r.status === 200 ? id : null);
    }
  } finally {
    await s.close();
  }
  return out;
}
