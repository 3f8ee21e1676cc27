/**
 * Durability across processes, for every SQL backend in `backends.ts` (an HTTP backend is a
 * server over one of them): four processes logging at once lose nothing; a process killed
 * (SIGKILL) in the middle of a batch leaves none of it; four processes opening a fresh store
 * migrate every store family (tracking, registry, tokens) exactly once.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { SqlBackend } from "../../../src/backend/index.js";
import { openStore, type TrackingStore } from "../../../src/track/index.js";
import { sqlTargets, warnIfNoPostgres, type OpenedBackend, type SqlBackendTarget } from "./backends.js";

warnIfNoPostgres();

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "worker.ts");

interface Worker {
  child: ChildProcess;
  events: Record<string, unknown>[];
  stderr: string[];
  /** Resolves when an event matching `pred` arrives. */
  waitFor(pred: (e: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function worker(args: string[]): Worker {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const events: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  const listeners: (() => void)[] = [];
  let buf = "";
  child.stdout!.on("data", (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.trim()) events.push(JSON.parse(line) as Record<string, unknown>);
      for (const l of listeners.splice(0)) l();
    }
  });
  child.stderr!.on("data", (d: Buffer) => stderr.push(d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const waitFor = (pred: (e: Record<string, unknown>) => boolean, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker ${args[0]}: timed out; stderr: ${stderr.join("")}`)), timeoutMs);
      const check = () => {
        if (events.some(pred)) {
          clearTimeout(timer);
          resolve();
        } else if (child.exitCode !== null) {
          clearTimeout(timer);
          reject(new Error(`worker ${args[0]} exited with ${child.exitCode}: ${stderr.join("")}`));
        } else listeners.push(check);
      };
      child.on("exit", () => check());
      check();
    });
  return { child, events, stderr, waitFor, exit };
}

async function history(store: TrackingStore, runId: string, key: string) {
  return (await store.getMetricHistory(runId, key)).items;
}

/** A fresh backend of `target` with the tracking store over it. */
async function openTarget(target: SqlBackendTarget): Promise<OpenedBackend & { store: TrackingStore }> {
  const o = await target.open();
  return { ...o, store: await openStore(o.backend) };
}

describe.each(sqlTargets)("durability: $name", (target) => {
  it.skipIf(!target.available)("four processes logging at once lose nothing", async () => {
    const o = await openTarget(target);
    try {
      const shared = await o.store.createRun({ runName: "shared" });
      const points = 6000;
      const ws = [0, 1, 2, 3].map((i) => worker(["log", o.uri, shared.info.runId, String(i), String(points), "500"]));
      const exits = await Promise.all(ws.map((w) => w.exit));
      ws.forEach((w, i) => expect(exits[i], w.stderr.join("")).toEqual({ code: 0, signal: null }));
      const own = ws.map((w) => w.events.find((e) => e.runId)!.runId as string);
      expect(new Set(own).size).toBe(4);
      for (const runId of own) {
        const run = await o.store.getRun(runId);
        expect(run.info.status).toBe("FINISHED");
        const h = await history(o.store, runId, "own");
        expect(h.length).toBe(points);
        expect(h.map((p) => p.step)).toEqual(Array.from({ length: points }, (_, i) => i));
        expect(run.data.params.length).toBe(points / 500);
        expect(run.data.metrics).toEqual([expect.objectContaining({ key: "own", value: points - 1, step: points - 1 })]);
      }
      for (let i = 0; i < 4; i++) {
        const h = await history(o.store, shared.info.runId, `p${i}`);
        expect(h.length).toBe(points);
        expect(h.reduce((a, p) => a + p.value, 0)).toBe((points * (points - 1)) / 2);
      }
    } finally {
      await o.cleanup();
    }
  });

  for (const how of ["bulk", "batch"] as const) {
    it.skipIf(!target.available)(`a process killed during a ${how === "bulk" ? "large bulk write" : "log-batch"} leaves none of that batch`, async () => {
      const o = await openTarget(target);
      try {
        const run = await o.store.createRun({ runName: "victim" });
        const size = how === "bulk" ? (target.name === "sqlite" ? 60_000 : 40_000) : 800;
        const killAt = how === "bulk" ? 2 : 6;
        const w = worker(["kill", o.uri, run.info.runId, String(size), how]);
        await w.waitFor((e) => e.begin === killAt);
        w.child.kill("SIGKILL");
        const exit = await w.exit;
        expect(exit.signal).toBe("SIGKILL");
        const ended = w.events.filter((e) => typeof e.end === "number").map((e) => e.end as number);
        const h = await history(o.store, run.info.runId, "k");
        const perBatch = new Map<number, number>();
        for (const p of h) perBatch.set(p.value, (perBatch.get(p.value) ?? 0) + 1);
        const batches = [...perBatch.keys()].sort((a, b) => a - b);
        // every batch whose end was reported is there, in full; the killed one is all or nothing
        for (const b of ended) expect(perBatch.get(b)).toBe(size);
        for (const b of batches) expect(perBatch.get(b), `batch ${b}`).toBe(size);
        expect(batches).toEqual(Array.from({ length: batches.length }, (_, i) => i));
        expect(batches.length).toBeGreaterThanOrEqual(killAt);
        expect(batches.length).toBeLessThanOrEqual(killAt + 1);
        const got = await o.store.getRun(run.info.runId);
        expect(got.data.metrics).toEqual([expect.objectContaining({ key: "k", step: batches.length * size - 1 })]);
        if (how === "batch") {
          for (let b = 0; b <= killAt; b++) {
            const present = perBatch.has(b) ? 100 : 0;
            expect(got.data.params.filter((p) => p.key.startsWith(`b${b}_`)).length, `params of batch ${b}`).toBe(present);
            expect(got.data.tags.filter((t) => t.key.startsWith(`b${b}_`)).length, `tags of batch ${b}`).toBe(present);
          }
        }
        // the store is still writable after the crash (no lock left behind)
        await o.store.logMetric(run.info.runId, { key: "after", value: 1, step: 0, timestamp: 1 });
        const other = await openStore(o.uri);
        try {
          await other.logMetric(run.info.runId, { key: "after", value: 2, step: 1, timestamp: 1 });
        } finally {
          await other.close();
        }
        expect((await history(o.store, run.info.runId, "after")).length).toBe(2);
      } finally {
        await o.cleanup();
      }
    });
  }

  it.skipIf(!target.available)("four processes opening a fresh store migrate it exactly once", async () => {
    const fresh = target.freshUri();
    try {
      const startAt = Date.now() + 4000;
      const ws = [0, 1, 2, 3].map(() => worker(["migrate", fresh.uri, String(startAt)]));
      const exits = await Promise.all(ws.map((w) => w.exit));
      ws.forEach((w, i) => expect(exits[i], w.stderr.join("")).toEqual({ code: 0, signal: null }));
      const results = ws.map((w) => w.events[0] as { tracking: number[]; registry: number[]; tokens: number[] });
      expect(results.filter((r) => r.tracking.length > 0)).toEqual([{ tracking: [1, 2], registry: expect.any(Array), tokens: expect.any(Array) }]);
      for (const family of ["registry", "tokens"] as const) {
        expect(results.filter((r) => r[family].length > 0).length, family).toBe(1);
        expect(results.flatMap((r) => r[family]), family).toEqual([1]);
      }
      const store = await openStore(fresh.uri);
      try {
        expect((await store.getExperiment("0")).name).toBe("Default");
        const rows = await (store.backend as SqlBackend).sql.all<{ component: string; version: number }>("SELECT component, version FROM schema_version ORDER BY component");
        expect(rows.map((r) => [r.component, Number(r.version)])).toEqual([
          ["registry", 1],
          ["tokens", 1],
          ["tracking", 2],
        ]);
      } finally {
        await store.close();
      }
    } finally {
      await fresh.cleanup();
    }
  });
});
