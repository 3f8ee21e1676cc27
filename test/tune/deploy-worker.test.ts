/**
 * deploy/kubernetes/tune-worker-job.yaml: a Job of N `keel tune worker` processes. Its command and
 * every flag are checked against the real CLI (`keel tune worker --help`), and — with
 * KEEL_TEST_POSTGRES — its args run for real: `keel tune --queue` enqueues a project's study in a
 * PostgreSQL store and two processes started with the manifest's args finish it.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/track/index.js";
import { queueSchema, trackingStorage } from "../../src/tune/index.js";
import { keel, keelAsync } from "../cli/run-cli.js";
import { dropPgSchema, postgresTarget, warnIfNoPostgres } from "../conformance/store/backends.js";

warnIfNoPostgres();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const kube = path.join(root, "deploy", "kubernetes");
const job: Any = parse(readFileSync(path.join(kube, "tune-worker-job.yaml"), "utf8"));
const configMap: Any = parseAllDocuments(readFileSync(path.join(kube, "configmap.yaml"), "utf8")).map((d) => d.toJS()).find((m) => m?.kind === "ConfigMap");
const container = job.spec.template.spec.containers[0];
const dir = mkdtempSync(path.join(os.tmpdir(), "keel-tune-job-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The container's args with $(VAR) expanded from its env (a literal value or the ConfigMap's key). */
function expandedArgs(): string[] {
  const env = new Map<string, string>();
  for (const e of container.env) {
    const ref = e.valueFrom?.configMapKeyRef;
    if (ref) {
      expect(ref.name).toBe(configMap.metadata.name);
      expect(Object.keys(configMap.data)).toContain(ref.key);
      env.set(e.name, configMap.data[ref.key]);
    } else env.set(e.name, e.value);
  }
  return (container.args as string[]).map((a) =>
    a.replace(/\$\((\w+)\)/g, (_, v: string) => {
      expect(env.has(v), `env ${v}`).toBe(true);
      return env.get(v)!;
    }),
  );
}
const value = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe("deploy/kubernetes/tune-worker-job.yaml", () => {
  it("is a Job of N workers (parallelism = completions) running `keel tune worker` with flags its --help lists", () => {
    expect(job.apiVersion).toBe("batch/v1");
    expect(job.kind).toBe("Job");
    expect(job.spec.parallelism).toBeGreaterThanOrEqual(2);
    expect(job.spec.completions).toBe(job.spec.parallelism);
    expect(["OnFailure", "Never"]).toContain(job.spec.template.spec.restartPolicy);
    expect(job.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(container.command).toEqual(["node", "bin/keel.js"]);
    expect(existsSync(path.join(root, container.command[1]))).toBe(true);
    const args = expandedArgs();
    expect(args.slice(0, 2)).toEqual(["tune", "worker"]);
    const help = keel(["tune", "worker", "--help"]);
    expect(help.code, help.stderr).toBe(0);
    const known = new Set([...help.stdout.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]));
    expect(known.has("--study") && known.has("--heartbeat")).toBe(true);
    for (const f of args.filter((a) => a.startsWith("--"))) expect(known, f).toContain(f);
    // the required flags, with values the CLI takes: a postgres:// store, a study, a duration
    expect(value(args, "--store")).toMatch(/^postgres:\/\//);
    expect(value(args, "--study").length).toBeGreaterThan(0);
    expect(value(args, "--heartbeat")).toMatch(/^\d+[smh]$/);
    // the project folder is the writable volume the init container fills
    expect(container.volumeMounts.map((v: Any) => v.mountPath)).toContain(args[2]);
    expect(job.spec.template.spec.volumes.find((v: Any) => v.name === container.volumeMounts[0].name).emptyDir).toEqual({});
  });

  it("its args are accepted by the real command (a SQLite store is refused as needing PostgreSQL, not as a bad command line)", async () => {
    const args = expandedArgs().map((a, i, all) => (all[i - 1] === "--store" ? path.join(dir, "local.db") : a));
    const r = await keelAsync(args);
    expect(r.code, r.stdout).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/needs a postgres:\/\/ store/) });
  }, 60_000);

  it.skipIf(!postgresTarget.available)(
    "run for real: `keel tune --queue` enqueues a project's study and two workers started with the manifest's args finish it",
    async () => {
      const project = path.join(dir, "project");
      mkdirSync(project);
      copyFileSync(path.join(root, "test/fixtures/cli/credit-300.csv"), path.join(project, "credit.csv"));
      writeFileSync(
        path.join(project, "keel.yaml"),
        `name: credit
problem: { task: binary, target: Status, positive: bad, metric: roc_auc }
data: { source: credit.csv }
split: { test: 0.25, stratify: true, seed: 7 }
cv: { folds: 3 }
models: [baseline, { gbdt: { maxIter: 10 } }]
tune:
  gbdt:
    space:
      learningRate: { float: [0.02, 0.5], log: true }
      maxLeaves: { int: [4, 16], log: true }
    sampler: { name: tpe, seed: 3, nStartupTrials: 3 }
    pruner: { name: none }
    trials: 6
`,
      );
      const fresh = postgresTarget.freshUri();
      const schema = new URL(fresh.uri).searchParams.get("schema")!;
      try {
        const study = value(expandedArgs(), "--study");
        const owner = keelAsync(["tune", project, "--queue", "--study", study, "--store", fresh.uri, "--threads", "1", "--json"]);
        // the workers: the manifest's args with the project folder and the store of this test
        const args = expandedArgs().map((a, i, all) => (a === container.volumeMounts[0].mountPath ? project : all[i - 1] === "--store" ? fresh.uri : all[i - 1] === "--heartbeat" ? "1s" : all[i - 1] === "--threads" ? "1" : a));
        // a worker started before the study exists fails (NOT_FOUND) and Kubernetes restarts it; here, start them once it exists
        const store = await openStore(fresh.uri);
        for (let i = 0; i < 600; i++) {
          const exp = await store.getExperimentByName("credit").catch(() => null);
          if (exp && (await trackingStorage(store, { experimentId: exp.experimentId }).leases(study).catch(() => [])).length === 6) break;
          await new Promise((r) => setTimeout(r, 200));
        }
        const workers = await Promise.all([keelAsync(args), keelAsync(args)]);
        for (const w of workers) {
          expect(w.code, w.stdout + w.stderr).toBe(0);
          expect(JSON.parse(w.stdout)).toMatchObject({ study, model: "gbdt" });
        }
        const told = workers.map((w) => JSON.parse(w.stdout).told.complete ?? 0);
        expect(told[0] + told[1]).toBe(6);
        const o = await owner;
        expect(o.code, o.stdout + o.stderr).toBe(0);
        const summary = JSON.parse(o.stdout);
        expect(summary.studies).toHaveLength(1);
        expect(summary.studies[0]).toMatchObject({ model: expect.stringMatching(/^gbdt/), study, trials: 6, states: { complete: 6 } });
        expect(summary.studies[0].bestValue).toBeGreaterThan(0.5);
        await store.close();
      } finally {
        await dropPgSchema(queueSchema(schema));
        await fresh.cleanup();
      }
    },
    180_000,
  );
});
