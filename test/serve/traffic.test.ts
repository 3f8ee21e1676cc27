/**
 * Traffic between versions: a canary answers its weight's share of 10,000 requests with random keys
 * (within ±2 points) and the same key always sees the same version; a shadow gets every request,
 * never answers, and its answers are logged beside the live one's under the same request id.
 */
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { autoPipeline, gbdtClassifier, readTable, saveModel } from "../../src/index.js";
import { type RunningServe, keyBucket, startServe } from "../../src/serve/index.js";
import { parseCanary } from "../../src/cli/commands/serve.js";
import { fixture } from "../cli/run-cli.js";

let dir: string;
let live: string;
let next: string;
const row = { Seniority: 9, Home: "rent", Time: 60, Age: 30, Marital: "married", Records: "no", Job: "freelance", Expenses: 73, Income: 129, Assets: 0, Debt: 0, Amount: 800, Price: 846 };
const body = JSON.stringify({ dataframe_records: [row] });
const ask = (s: RunningServe, key?: string) => fetch(`${s.url}/invocations`, { method: "POST", headers: { "content-type": "application/json", ...(key === undefined ? {} : { "x-keel-key": key }) }, body });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "keel-serve-traffic-"));
  const data = await readTable(fixture("credit-300.csv"));
  live = path.join(dir, "credit");
  next = path.join(dir, "credit-next");
  saveModel(await autoPipeline(gbdtClassifier({ maxIter: 10 })).fit(data, { target: "Status", threads: 1 }), live);
  saveModel(await autoPipeline(gbdtClassifier({ maxIter: 20 })).fit(data, { target: "Status", threads: 1 }), next);
}, 120_000);

describe("canary", () => {
  let s: RunningServe;
  beforeAll(async () => {
    s = await startServe({ models: [{ ref: live }], canary: [{ ref: next, weight: 10 }], port: 0, predictionLog: false });
  });
  afterAll(async () => s?.close());

  it("answers its weight's share of 10,000 requests with random keys, ±2 points; one key, one version", async () => {
    const liveVersion = s.state.models.endpoint("credit").live.version;
    const canaryVersion = s.state.models.endpoint("credit").canary!.version;
    expect(canaryVersion).not.toBe(liveVersion);
    const keys = Array.from({ length: 10_000 }, () => `user-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`);
    const seen = new Map<string, string>();
    let next = 0;
    const worker = async () => {
      while (next < keys.length) {
        const key = keys[next++];
        const res = await ask(s, key);
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        seen.set(key, res.headers.get("x-keel-model-version")!);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const share = ([...seen.values()].filter((v) => v === canaryVersion).length / keys.length) * 100;
    expect(Math.abs(share - 10)).toBeLessThanOrEqual(2);
    for (const [key, v] of seen) expect(v).toBe(keyBucket(key) < 1000 ? canaryVersion : liveVersion);
    // sticky: the same keys again get the same versions
    for (const key of keys.slice(0, 300)) expect((await ask(s, key)).headers.get("x-keel-model-version")).toBe(seen.get(key));
  }, 180_000);

  it("--canary ref=weight is parsed and checked", () => {
    expect(parseCanary("models:/credit@challenger=10")).toEqual({ ref: "models:/credit@challenger", weight: 10 });
    expect(parseCanary("./a=b=2.5")).toEqual({ ref: "./a=b", weight: 2.5 });
    expect(() => parseCanary("models:/credit@challenger")).toThrow(/expected <model-ref>=<weight/);
    expect(() => parseCanary("x=101")).toThrow(/0-100/);
  });
});

describe("shadow", () => {
  it("gets a copy of every request, never answers; both answers are logged under one request id", async () => {
    const folder = path.join(dir, "log");
    const s = await startServe({ models: [{ ref: live }], shadow: [{ ref: next }], port: 0, logDir: folder });
    const liveVersion = s.state.models.endpoint("credit").live.version;
    const shadowVersion = s.state.models.endpoint("credit").shadow!.version;
    const ids: string[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        const res = await ask(s, `k${i}`);
        expect(res.headers.get("x-keel-model-version")).toBe(liveVersion);
        ids.push(res.headers.get("x-request-id")!);
        await res.arrayBuffer();
      }
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      await s.close();
    }
    const logged = readdirSync(folder)
      .filter((f) => f.startsWith("predictions-"))
      .flatMap((f) => readFileSync(path.join(folder, f), "utf8").trim().split("\n"))
      .map((l) => JSON.parse(l));
    for (const id of ids) {
      const mine = logged.filter((r) => r.id === id);
      expect(mine.map((r) => [r.role, r.version]).sort()).toEqual([["live", liveVersion], ["shadow", shadowVersion]].sort());
      const shadow = mine.find((r) => r.role === "shadow");
      expect(shadow.outputs.prediction).toHaveLength(1);
      expect(shadow.inputs).toEqual(mine.find((r) => r.role === "live").inputs);
    }
  });
});
