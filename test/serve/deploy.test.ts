/**
 * deploy/: the Kubernetes manifests, the Dockerfile and the Grafana dashboard checked against the
 * real thing — every route they name answers on a running `keel serve`, every flag the Deployment
 * passes is one `keel serve --help` lists, ports and names agree across Deployment, Service, HPA
 * and ConfigMap, and every metric the dashboard queries is one `/metrics` exposes. (There is no
 * Docker daemon here: the image itself is built where one exists.)
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { autoPipeline, gbdtClassifier, readTable, saveModel } from "../../src/index.js";
import { parseModelRef } from "../../src/registry/index.js";
import { type RunningServe, startServe } from "../../src/serve/index.js";
import { fixture, keel } from "../cli/run-cli.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const deploy = path.join(root, "deploy");
const row = { Seniority: 9, Home: "rent", Time: 60, Age: 30, Marital: "married", Records: "no", Job: "freelance", Expenses: 73, Income: 129, Assets: 0, Debt: 0, Amount: 800, Price: 846 };

const manifests: Any[] = readdirSync(path.join(deploy, "kubernetes"))
  .filter((f) => f.endsWith(".yaml"))
  .flatMap((f) => parseAllDocuments(readFileSync(path.join(deploy, "kubernetes", f), "utf8")).map((d) => d.toJS()));
const byKind = (kind: string): Any => {
  const found = manifests.filter((m) => m?.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0];
};

let s: RunningServe;
beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "keel-serve-deploy-"));
  const model = path.join(dir, "credit");
  saveModel(await autoPipeline(gbdtClassifier({ maxIter: 5 })).fit(await readTable(fixture("credit-300.csv")), { target: "Status", threads: 1 }), model);
  s = await startServe({ models: [{ ref: model }], port: 0, logDir: path.join(dir, "predictions") });
}, 120_000);
afterAll(async () => s?.close());

/** Call a route as a client would; 404 "no route" means the server has no such route. */
async function call(method: string, route: string): Promise<{ status: number; text: string }> {
  let body: string | undefined;
  if (method === "POST" && route.endsWith("/infer")) body = JSON.stringify({ inputs: Object.entries(row).map(([name, v]) => ({ name, shape: [1], datatype: typeof v === "string" ? "BYTES" : "FP64", data: [v] })) });
  else if (method === "POST" && route === "/invocations") body = JSON.stringify({ dataframe_records: [row] });
  else if (method === "POST" && route.endsWith("/feedback")) body = JSON.stringify({ id: "r1", label: "good" });
  const res = await fetch(s.url + route, { method, headers: body ? { "content-type": "application/json" } : {}, body });
  return { status: res.status, text: await res.text() };
}

describe("deploy/kubernetes", () => {
  const dep = byKind("Deployment");
  const container = dep.spec.template.spec.containers[0];
  const cm = byKind("ConfigMap");
  const routes = parse(cm.data["routes.yaml"]);

  it("the Deployment passes only flags `keel serve --help` lists, with values it accepts", () => {
    const help = keel(["serve", "--help"]);
    expect(help.code).toBe(0);
    const known = new Set([...help.stdout.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]));
    expect(known.has("--workers")).toBe(true);
    const args: string[] = container.args;
    // $(VAR) comes from the container's env, each a key of the ConfigMap
    const env = new Map<string, string>();
    for (const e of container.env) {
      const ref = e.valueFrom?.configMapKeyRef;
      expect(ref?.name).toBe(cm.metadata.name);
      expect(Object.keys(cm.data)).toContain(ref.key);
      env.set(e.name, cm.data[ref.key]);
    }
    const expanded = args.map((a) => a.replace(/\$\((\w+)\)/g, (_, v: string) => {
      expect(env.has(v), `env ${v}`).toBe(true);
      return env.get(v)!;
    }));
    const flags = expanded.filter((a) => a.startsWith("--"));
    for (const f of flags) expect(known, f).toContain(f);
    const value = (f: string) => expanded[expanded.indexOf(f) + 1];
    expect(() => parseModelRef(expanded[0])).not.toThrow();
    expect(Number(value("--port"))).toBe(container.ports[0].containerPort);
    expect(Number(value("--port"))).toBe(routes.port);
    expect(value("--host")).toBe("0.0.0.0");
    expect(Number.isInteger(Number(value("--workers"))) && Number(value("--workers")) >= 1).toBe(true);
    expect(Number.isInteger(Number(value("--poll-ms")))).toBe(true);
    // the log folder is a writable volume (the root filesystem is read-only)
    expect(container.volumeMounts.map((v: Any) => v.mountPath)).toContain(value("--log-dir"));
  });

  it("probes hit the Open Inference Protocol health routes on the container's port, and they answer", async () => {
    const port = container.ports[0];
    for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
      expect([port.name, port.containerPort]).toContain(probe.httpGet.port);
      expect((await call("GET", probe.httpGet.path)).status).toBe(200);
    }
    expect(container.readinessProbe.httpGet.path).toBe("/v2/health/ready");
    expect(container.livenessProbe.httpGet.path).toBe("/v2/health/live");
    expect(container.readinessProbe.httpGet.path).toBe(routes.health.ready);
    expect(container.livenessProbe.httpGet.path).toBe(routes.health.live);
    const ann = dep.spec.template.metadata.annotations;
    expect(Number(ann["prometheus.io/port"])).toBe(port.containerPort);
    expect((await call("GET", ann["prometheus.io/path"])).status).toBe(200);
  });

  it("runs as non-root, read-only, and the Service and HPA point at it", () => {
    const pod = dep.spec.template.spec;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(dep.spec.selector.matchLabels).toEqual(dep.spec.template.metadata.labels);
    const svc = byKind("Service");
    expect(svc.spec.selector).toEqual(dep.spec.template.metadata.labels);
    expect([container.ports[0].name, container.ports[0].containerPort]).toContain(svc.spec.ports[0].targetPort);
    const hpa = byKind("HorizontalPodAutoscaler");
    expect(hpa.apiVersion).toBe("autoscaling/v2");
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: dep.apiVersion, kind: "Deployment", name: dep.metadata.name });
    expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
    // the ConfigMap mounted for the routes is the one the Deployment reads
    expect(pod.volumes.find((v: Any) => v.configMap)?.configMap.name).toBe(cm.metadata.name);
  });

  it("every route the ConfigMap lists exists on the real server", async () => {
    expect(routes.routes.length).toBeGreaterThan(5);
    for (const r of routes.routes as { method: string; path: string }[]) {
      const res = await call(r.method, r.path);
      expect(res.text, `${r.method} ${r.path}`).not.toMatch(/no route/);
      expect(res.status, `${r.method} ${r.path}: ${res.text}`).toBe(200);
    }
    expect((await call("GET", "/v2/not-a-route")).text).toMatch(/no route/);
  });
});

describe("deploy/Dockerfile", () => {
  const text = readFileSync(path.join(deploy, "Dockerfile"), "utf8");
  const lines = text.split("\n").filter((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));

  it("is multi-stage, runs as a non-root user, exposes the Deployment's port and starts keel serve", () => {
    const stages = lines.filter((l) => /^FROM\s/i.test(l));
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const last = lines.slice(lines.lastIndexOf(stages.at(-1)!));
    const user = last.filter((l) => /^USER\s/i.test(l)).at(-1);
    expect(user).toBeDefined();
    expect(user!.split(/\s+/)[1]).not.toMatch(/^(root|0)$/);
    const port = byKind("Deployment").spec.template.spec.containers[0].ports[0].containerPort;
    expect(lines.find((l) => /^EXPOSE\s/i.test(l))?.split(/\s+/)[1]).toBe(String(port));
    const entry = JSON.parse(lines.find((l) => /^ENTRYPOINT\s/i.test(l))!.replace(/^ENTRYPOINT\s+/i, "")) as string[];
    expect(entry.slice(-2)).toEqual(["bin/keel.js", "serve"]);
    expect(existsSync(path.join(root, "bin/keel.js"))).toBe(true);
    expect(text).toMatch(/\/v2\/health\/ready/);
  });

  it("copies only files that exist in the repository (the build context is its root)", () => {
    for (const l of lines.filter((x) => /^COPY\s/i.test(x) && !/--from=/.test(x))) {
      const parts = l.split(/\s+/).slice(1).filter((p) => !p.startsWith("--"));
      for (const src of parts.slice(0, -1)) expect(existsSync(path.join(root, src)), src).toBe(true);
    }
  });
});

describe("deploy/grafana-dashboard.json", () => {
  it("queries only metrics /metrics exposes, and has the panels operators look for", async () => {
    expect((await call("POST", "/invocations")).status).toBe(200);
    const exposed = new Set([...(await (await fetch(`${s.url}/metrics`)).text()).matchAll(/^# TYPE (\S+) (\w+)/gm)].map((m) => m[1]));
    const dash = JSON.parse(readFileSync(path.join(deploy, "grafana-dashboard.json"), "utf8"));
    const exprs: string[] = dash.panels.flatMap((p: Any) => p.targets.map((t: Any) => t.expr));
    const used = new Set(exprs.flatMap((e) => [...e.matchAll(/\b((?:keel_serve|process|nodejs)_[a-z_]+)\b/g)].map((m) => m[1])));
    expect(used.size).toBeGreaterThan(5);
    for (const name of used) expect(exposed, name).toContain(exposed.has(name) ? name : name.replace(/_(bucket|sum|count)$/, ""));
    const titles = dash.panels.map((p: Any) => p.title.toLowerCase()).join(" | ");
    for (const want of ["traffic", "errors", "latency", "canary", "prediction distribution"]) expect(titles).toContain(want);
  });
});
