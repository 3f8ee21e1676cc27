/**
 * Distributed tuning through the PostgreSQL job queue (pg-boss): three worker processes run one
 * study of 60 trials; one is killed (SIGKILL) in the middle of a trial. Every trial completes
 * exactly once — one completed job and one value per trial — and the killed attempt is retried
 * as the same trial (its number, its parameters) by another worker once its heartbeat timed out.
 * Needs KEEL_TEST_POSTGRES (skipped, visibly, without it).
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/track/index.js";
import { createStudy, openTuneQueue, queueSchema, trackingStorage } from "../../src/tune/index.js";
import { PG_URL, dropPgSchema, postgresTarget, warnIfNoPostgres } from "../conformance/store/backends.js";

warnIfNoPostgres();

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "tune-worker.ts");
type Event = { event?: string; trial?: number; attempt?: number; state?: string; value?: number; summary?: unknown };

function worker(uri: string, study: string, heartbeatMs: number) {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", WORKER, uri, study, String(heartbeatMs)], { stdio: ["ignore", "pipe", "pipe"] });
  const events: Event[] = [];
  let stderr = "";
  let buf = "";
  const listeners: (() => void)[] = [];
  child.stdout!.on("data", (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.trim()) events.push(JSON.parse(line) as Event);
    }
    for (const l of listeners.splice(0)) l();
  });
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const waitFor = (pred: (e: Event) => boolean) =>
    new Promise<Event>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no such event; stderr: ${stderr}`)), 40_000);
      const check = () => {
        const e = events.find(pred);
        if (e) {
          clearTimeout(timer);
          resolve(e);
        } else listeners.push(check);
      };
      check();
    });
  return { child, events, exit, waitFor, stderr: () => stderr };
}

describe("distributed tuning workers (PostgreSQL)", () => {
  it.skipIf(!postgresTarget.available)(
    "3 workers run a 60-trial study; a worker killed mid-trial has that trial retried as the same trial; every trial completes once",
    async () => {
      const fresh = postgresTarget.freshUri();
      const schema = new URL(fresh.uri).searchParams.get("schema")!;
      const store = await openStore(fresh.uri);
      try {
        const storage = trackingStorage(store);
        await createStudy({ name: "quad", direction: "minimize", sampler: { name: "tpe", seed: 3, nStartupTrials: 10 }, pruner: { name: "none" }, store: storage });
        const owner = await openTuneQueue(storage, "quad");
        expect(await owner.enqueueTrials(60)).toEqual(Array.from({ length: 60 }, (_, i) => i));
        expect(await owner.counts()).toEqual({ waiting: 60 });

        const heartbeatMs = 100; // presumed dead after 6 missed beats: 0.6 s
        const ws = [0, 1, 2].map(() => worker(fresh.uri, "quad", heartbeatMs));
        // kill the first worker right after it claims its third trial: in the middle of the objective
        const victim = ws[0];
        const claims = () => victim.events.filter((e) => e.event === "claim");
        await victim.waitFor(() => claims().length >= 3);
        victim.child.kill("SIGKILL");
        const killedOn = claims().at(-1)!.trial!;
        expect((await victim.exit).signal).toBe("SIGKILL");
        expect(victim.events.some((e) => e.event === "told" && e.trial === killedOn)).toBe(false);

        const exits = await Promise.all(ws.slice(1).map((w) => w.exit));
        ws.slice(1).forEach((w, i) => expect(exits[i], w.stderr()).toEqual({ code: 0, signal: null }));

        // every trial completed exactly once: one "told" across all workers, one completed job, one value
        const told = ws.flatMap((w) => w.events.filter((e) => e.event === "told"));
        expect(told.map((e) => e.trial).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 60 }, (_, i) => i));
        expect(told.every((e) => e.state === "complete")).toBe(true);
        // the killed attempt was retried as the same trial, by another worker, as attempt 1
        const retried = told.find((e) => e.trial === killedOn)!;
        expect(retried.attempt).toBe(1);
        expect(ws.slice(1).some((w) => w.events.some((e) => e.event === "retry" && e.trial === killedOn && e.attempt === 1))).toBe(true);
        expect(ws.slice(1).some((w) => w.events.some((e) => e.event === "claim" && e.trial === killedOn && e.attempt === 1))).toBe(true);

        const trials = await trackingStorage(await openStore(fresh.uri)).trials("quad");
        expect(trials.map((t) => [t.number, t.state])).toEqual(Array.from({ length: 60 }, (_, i) => [i, "complete"]));
        for (const t of trials) expect(t.value).toBe((t.params.x - 1) ** 2 + (t.params.y - 3) ** 2);
        expect(Object.keys(trials[killedOn].intermediate).map(Number)).toEqual([0, 1, 2]);
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        try {
          const jobs = await c.query(`SELECT data->>'trial' AS trial, state, count(*)::int AS n FROM ${queueSchema(schema)}.job WHERE name = $1 GROUP BY 1, 2`, [owner.queueName]);
          const completed = jobs.rows.filter((r) => r.state === "completed");
          expect(completed.length).toBe(60);
          expect(completed.every((r) => r.n === 1)).toBe(true);
          expect(jobs.rows.filter((r) => r.state === "failed")).toEqual([{ trial: String(killedOn), state: "failed", n: 1 }]);
          const values = await c.query(
            `SELECT t.value AS trial, count(m.*)::int AS n FROM "${schema}".runs r JOIN "${schema}".tags t ON t.run_id = r.id AND t.key = 'keel.trial.number' LEFT JOIN "${schema}".metrics m ON m.run_id = r.id AND m.key = 'value' GROUP BY 1`,
          );
          expect(values.rows.length).toBe(60);
          expect(values.rows.every((r) => r.n === 1)).toBe(true);
        } finally {
          await c.end();
        }
        await owner.close();
      } finally {
        await store.close();
        await dropPgSchema(queueSchema(schema));
        await fresh.cleanup();
      }
    },
    90_000,
  );
});
