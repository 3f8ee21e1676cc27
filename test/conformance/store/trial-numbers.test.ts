/**
 * Numbered child runs (`CreateRunInput.numberTag`), the store's half of tuning studies shared by
 * many processes: on every backend concurrent creators get dense, unique numbers; on every SQL
 * backend four processes creating trials of one study at once (through `trackingStorage`) do too.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openBackend } from "../../../src/backend/index.js";
import { openStore, type TrackingStore } from "../../../src/track/index.js";
import { trackingStorage } from "../../../src/tune/index.js";
import { code, sqlTargets, targets, warnIfNoPostgres, type OpenedBackend } from "./backends.js";

warnIfNoPostgres();

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "worker.ts");
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const numberOf = (tags: { key: string; value: string }[]) => Number(tags.find((t) => t.key === "n")?.value);

describe.each(targets)("numbered child runs: $name", (target) => {
  let o: OpenedBackend;
  let s: TrackingStore;
  beforeEach(async () => {
    if (!target.available) return;
    o = await target.open();
    s = await openStore(o.backend);
  });
  afterEach(async () => {
    if (o) await o.cleanup();
  });

  it.skipIf(!target.available)("numbers a parent's children 0, 1, 2, … once each, with two clients creating at once", async () => {
    const parent = await s.createRun({ runName: "study" });
    const other = await s.createRun({ runName: "other study" });
    // a second client of the same store (SQLite's driver serialises its own connection's transactions)
    const s2 = target.name === "sqlite" ? s : await openStore(await openBackend(o.uri, { artifactRoot: path.join(o.dir, "artifacts") }));
    try {
      const made = await Promise.all(range(30).map((i) => (i % 2 ? s : s2).createRun({ parentRunId: parent.info.runId, numberTag: "n", tags: [{ key: "i", value: String(i) }] })));
      expect(made.map((r) => numberOf(r.data.tags)).sort((a, b) => a - b)).toEqual(range(30));
      // the number is a tag like any other, and each parent counts its own children
      const first = await s.createRun({ parentRunId: other.info.runId, numberTag: "n" });
      expect(numberOf(first.data.tags)).toBe(0);
      expect(numberOf((await s.getRun(made[0].info.runId)).data.tags)).toBe(numberOf(made[0].data.tags));
      // children without the tag do not count
      await s.createRun({ parentRunId: parent.info.runId });
      expect(numberOf((await s.createRun({ parentRunId: parent.info.runId, numberTag: "n" })).data.tags)).toBe(30);
    } finally {
      if (s2 !== s) await s2.close();
    }
  });

  it.skipIf(!target.available)("refuses a number tag without a parent, or also given as a tag", async () => {
    const parent = await s.createRun();
    expect(await code(s.createRun({ numberTag: "n" }))).toBe("INVALID_INPUT");
    expect(await code(s.createRun({ parentRunId: parent.info.runId, numberTag: "n", tags: [{ key: "n", value: "7" }] }))).toBe("INVALID_INPUT");
    expect(await code(s.createRun({ parentRunId: parent.info.runId, numberTag: "" }))).toBe("INVALID_INPUT");
    expect((await s.searchRuns({ filter: `tags.\`mlflow.parentRunId\` = '${parent.info.runId}'` })).items).toEqual([]);
  });
});

describe.each(sqlTargets)("trial numbers across processes: $name", (target) => {
  it.skipIf(!target.available)("four processes creating 15 trials each of one study number them 0…59, each once", async () => {
    const o = await target.open();
    try {
      const storage = trackingStorage(await openStore(o.backend));
      await storage.createStudy({ name: "shared", direction: "minimize", sampler: null, pruner: null }, false);
      const startAt = Date.now() + 2500;
      const outs = await Promise.all(
        range(4).map(
          () =>
            new Promise<number[]>((resolve, reject) => {
              const child = spawn(process.execPath, ["--import", "tsx", WORKER, "trials", o.uri, "shared", "15", String(startAt)], { stdio: ["ignore", "pipe", "pipe"] });
              let out = "";
              let err = "";
              child.stdout.on("data", (d: Buffer) => (out += d.toString()));
              child.stderr.on("data", (d: Buffer) => (err += d.toString()));
              child.on("exit", (c) => (c === 0 ? resolve((JSON.parse(out.trim().split("\n").pop()!) as { numbers: number[] }).numbers) : reject(new Error(`exit ${c}: ${err}`))));
            }),
        ),
      );
      for (const numbers of outs) expect(numbers).toEqual([...numbers].sort((a, b) => a - b)); // each process sees its own in order
      expect(outs.flat().sort((a, b) => a - b)).toEqual(range(60));
      const trials = await storage.trials("shared");
      expect(trials.map((t) => t.number)).toEqual(range(60));
      expect(trials.every((t) => t.state === "waiting")).toBe(true);
    } finally {
      await o.cleanup();
    }
  }, 60_000);
});
