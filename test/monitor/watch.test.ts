/**
 * Alert rules from keel.yaml's monitor: block checked by `keel monitor watch` over real served
 * traffic, delivered to the alert log and to a webhook listening on loopback; the Kubernetes
 * CronJob's command and flags run against the real CLI; the long-running form checks on its
 * interval and stops on SIGTERM.
 */
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { closeTrackingStores } from "../../src/track/index.js";
import { keel, keelAsync } from "../cli/run-cli.js";
import { championProject, creditRows, type Project, sendTraffic } from "./live.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let project: Project;
let server: Server;
let hook: string;
const received: unknown[] = [];

beforeAll(async () => {
  project = await championProject();
  // traffic with Income shifted, in the project's default prediction log
  await sendTraffic(project, creditRows().slice(0, 120).map((r) => ({ ...r, Income: (r.Income as number) + 100 })), { logDir: path.join(project.dir, ".keel", "predictions"), prefix: "w" });
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      received.push({ method: req.method, type: req.headers["content-type"], body: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  hook = `http://127.0.0.1:${(server.address() as { port: number }).port}/alerts`;
}, 180_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await closeTrackingStores();
});

const yaml = () => readFileSync(path.join(project.dir, "keel.yaml"), "utf8");

describe("keel monitor watch", () => {
  it("without a monitor: block says so; a rule with both above and below is a keel.yaml error naming it", () => {
    const none = keel(["monitor", "watch", project.dir, "--once", "--store", project.store, "--json"]);
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout).error.message).toMatch(/has no monitor: block/);
    const original = yaml();
    writeFileSync(path.join(project.dir, "keel.yaml"), original + "monitor:\n  rules:\n    - { measure: drift_share, above: 0.1, below: 0.5 }\n");
    try {
      const bad = keel(["monitor", "watch", project.dir, "--once", "--store", project.store, "--json"]);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/exactly one of above or below/);
    } finally {
      writeFileSync(path.join(project.dir, "keel.yaml"), original);
    }
  });

  // the webhook listens in this process: the CLI runs without blocking it (keelAsync)
  it("--once fires the rules that hold, appends them to the alert log, POSTs them to the webhook, stores the windows, exits 1", async () => {
    appendFileSync(
      path.join(project.dir, "keel.yaml"),
      `monitor:
  since: 2h
  webhook: ${hook}
  rules:
    - { name: inputs drifted, measure: drift_share, above: 0.05 }
    - { measure: error_rate, above: 0.5 }
    - { measure: roc_auc, below: 0.99 }
`,
    );
    const r = await keelAsync(["monitor", "watch", project.dir, "--once", "--store", project.store, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout.trim());
    expect(out).toMatchObject({ model: "credit", version: "1", requests: 120 });
    expect(out.stored).toBeGreaterThanOrEqual(1);
    // the drift share fires (Income is 1 of 13 columns); no error; no labels, so no roc_auc
    expect(out.alerts.map((a: { rule: string }) => a.rule)).toEqual(["inputs drifted"]);
    expect(out.alerts[0]).toMatchObject({ measure: "drift_share", direction: "above", threshold: 0.05 });
    expect(out.alerts[0].value).toBeGreaterThan(0.05);
    const logged = readFileSync(path.join(project.dir, ".keel", "alerts.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ rule: "inputs drifted", model: "credit" });
    expect(out.delivery.webhook).toEqual({ url: hook, status: 204 });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: "POST", type: "application/json", body: { model: "credit", version: "1", alerts: [{ rule: "inputs drifted" }] } });
  });

  it("the CronJob in deploy/ runs the real command with its flags", async () => {
    const job = parse(readFileSync(path.join(root, "deploy/kubernetes/monitor-cronjob.yaml"), "utf8"));
    expect(job.kind).toBe("CronJob");
    const container = job.spec.jobTemplate.spec.template.spec.containers[0];
    expect(container.command).toEqual(["node", "bin/keel.js"]);
    expect(existsSync(path.join(root, container.command[1]))).toBe(true);
    expect(container.args.slice(0, 2)).toEqual(["monitor", "watch"]);
    expect(container.args).toContain("--once");
    const mount = container.volumeMounts[0].mountPath;
    const args = (container.args as string[]).map((a) => (a === mount ? project.dir : a === "$(KEEL_STORE)" ? project.store : a));
    const before = received.length;
    const r = await keelAsync(args);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1); // the drift alert fires
    expect(JSON.parse(r.stdout.trim()).alerts).toHaveLength(1);
    expect(received.length).toBe(before + 1);
  });

  it("runs on: one check per interval until SIGTERM, then exits 0", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "src/cli/entry.ts"), "monitor", "watch", project.dir, "--interval", "1s", "--store", project.store, "--json"], { cwd: root, env: { ...process.env, KEEL_PROGRESS: "0" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    const deadline = Date.now() + 90_000;
    while (stdout.trim().split("\n").filter(Boolean).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const checks = stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(checks.length).toBeGreaterThanOrEqual(2);
    for (const c of checks) expect(c.alerts.map((a: { rule: string }) => a.rule)).toEqual(["inputs drifted"]);
  }, 120_000);
});
