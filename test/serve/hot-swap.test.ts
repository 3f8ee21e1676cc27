/**
 * Hot swap under load: 16 connections send for 10 s while `champion` moves 10 times between three
 * registered versions (so moving back, the rollback, is among them). No request fails, every
 * answer names a version the alias pointed at while that request ran (allowing the swap window),
 * and each move is in front of traffic within 2 s.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { autoPipeline, gbdtClassifier, readTable, saveModel } from "../../src/index.js";
import { openRegistry, type RegistryStore } from "../../src/registry/index.js";
import { type RunningServe, type SwapEvent, isMovingRef, startServe } from "../../src/serve/index.js";
import { openStore, type TrackingStore } from "../../src/track/index.js";
import { fixture } from "../cli/run-cli.js";

let dir: string;
let db: string;
let tracking: TrackingStore;
let registry: RegistryStore;
const row = { Seniority: 9, Home: "rent", Time: 60, Age: 30, Marital: "married", Records: "no", Job: "freelance", Expenses: 73, Income: 129, Assets: 0, Debt: 0, Amount: 800, Price: 846 };
const body = JSON.stringify({ dataframe_records: [row] });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "keel-serve-swap-"));
  db = path.join(dir, "keel.db");
  const data = await readTable(fixture("credit-300.csv"));
  tracking = await openStore(db);
  registry = await openRegistry(tracking);
  await registry.createRegisteredModel({ name: "credit" });
  for (const iters of [5, 10, 15]) {
    const folder = path.join(dir, `credit-${iters}`);
    saveModel(await autoPipeline(gbdtClassifier({ maxIter: iters })).fit(data, { target: "Status", threads: 1 }), folder);
    await registry.createModelVersion({ name: "credit", source: folder });
  }
  await registry.setRegisteredModelAlias("credit", "champion", "1");
}, 120_000);
afterAll(async () => {
  await registry?.close();
  await tracking?.close();
});

describe("hot swap", () => {
  it("tells moving references from pinned ones", () => {
    expect(isMovingRef("models:/credit@champion")).toBe(true);
    expect(isMovingRef("models:/credit/latest")).toBe(true);
    expect(isMovingRef("models:/credit/Production")).toBe(true);
    expect(isMovingRef("models:/credit/3")).toBe(false);
    expect(isMovingRef("./credit-model")).toBe(false);
  });

  it("16 connections for 10 s while the alias moves 10 times: no failure, each answer from the alias's version at the time", async () => {
    const swaps: (SwapEvent & { at: number })[] = [];
    const errors: unknown[] = [];
    const s: RunningServe = await startServe({
      models: [{ ref: "models:/credit@champion" }],
      store: db,
      port: 0,
      predictionLog: false,
      watch: { intervalMs: 250, onSwap: (e) => swaps.push({ ...e, at: performance.now() }), onError: (e) => errors.push(e) },
    });
    try {
      expect(s.watcher?.watched).toBe(1);
      expect(s.state.models.endpoint("credit").live.version).toBe("1");
      // The alias's history: [time it moved, version].
      const moves: [number, string][] = [[0, "1"]];
      const answers: { start: number; end: number; status: number; version: string | null }[] = [];
      const t0 = performance.now();
      const until = t0 + 10_000;
      const worker = async () => {
        while (performance.now() < until) {
          const start = performance.now();
          const res = await fetch(`${s.url}/invocations`, { method: "POST", headers: { "content-type": "application/json" }, body });
          await res.arrayBuffer();
          answers.push({ start, end: performance.now(), status: res.status, version: res.headers.get("x-keel-model-version") });
        }
      };
      const mover = async () => {
        const cycle = ["2", "3", "1", "2", "3", "1", "2", "1", "3", "1"];
        for (const v of cycle) {
          await new Promise((r) => setTimeout(r, 900));
          await registry.setRegisteredModelAlias("credit", "champion", v);
          moves.push([performance.now(), v]);
        }
      };
      await Promise.all([...Array.from({ length: 16 }, worker), mover()]);
      // A move late in the run gets its full window to be swapped in.
      const last = moves[moves.length - 1][0];
      if (performance.now() < last + 2000) await new Promise((r) => setTimeout(r, last + 2000 - performance.now()));

      expect(errors).toEqual([]);
      expect(answers.length).toBeGreaterThan(200);
      expect(answers.filter((a) => a.status !== 200)).toEqual([]);
      // The versions the alias named at some time in [from, to].
      const namedDuring = (from: number, to: number) => {
        const out = new Set<string>();
        for (let i = 0; i < moves.length; i++) {
          const begin = moves[i][0];
          const end = i + 1 < moves.length ? moves[i + 1][0] : Infinity;
          if (begin <= to && end >= from) out.add(moves[i][1]);
        }
        return out;
      };
      const window = 2000;
      const wrong = answers.filter((a) => !namedDuring(a.start - window, a.end).has(a.version!));
      expect(wrong).toEqual([]);
      // Every move was swapped in within 2 s, in order.
      for (let i = 1; i < moves.length; i++) {
        const [at, v] = moves[i];
        const swap = swaps.find((e) => e.to === v && e.at >= at && e.at <= at + window);
        expect(swap, `move ${i} to version ${v} at ${(at - t0).toFixed(0)} ms; swaps: ${swaps.map((e) => `${e.to}@${(e.at - t0).toFixed(0)}`).join(" ")}`).toBeDefined();
      }
      // Moving back reuses the version kept from before (no reload): at least one swap was instant.
      expect(swaps.some((e) => e.loadMs === 0)).toBe(true);
      const metrics = await (await fetch(`${s.url}/metrics`)).text();
      expect(metrics).toMatch(new RegExp(`keel_serve_model_swaps_total\\{model="credit"\\} ${swaps.length}\\b`));
      expect(s.state.models.endpoint("credit").live.version).toBe("1");
    } finally {
      await s.close();
    }
  }, 120_000);

  it("a pinned version and watch: false never move", async () => {
    const s = await startServe({ models: [{ ref: "models:/credit/2", name: "pinned" }, { ref: "models:/credit@champion", name: "frozen" }], store: db, port: 0, predictionLog: false, watch: false });
    try {
      expect(s.watcher).toBeNull();
      await registry.setRegisteredModelAlias("credit", "champion", "3");
      await new Promise((r) => setTimeout(r, 600));
      expect(s.state.models.endpoint("frozen").live.version).not.toBe("3");
      expect(s.state.models.endpoint("pinned").live.version).toBe("2");
    } finally {
      await s.close();
    }
  });
});
