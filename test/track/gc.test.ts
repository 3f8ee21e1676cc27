import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { gcDeletedRuns, openStore } from "../../src/track/index.js";
import { code } from "../conformance/store/backends.js";

describe("gcDeletedRuns", () => {
  it("removes deleted runs' artifacts and rows, and leaves active runs alone", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "keel-gc-"));
    try {
      const store = await openStore(path.join(dir, "keel.db"));
      const artifacts = store.backend.artifacts;
      const keep = await store.createRun({});
      const drop = await store.createRun({});
      for (const r of [keep, drop]) {
        await artifacts.write(r.info.artifactUri, "model/m.bin", "bytes");
        await store.logMetric(r.info.runId, { key: "x", value: 1, step: 0, timestamp: 1 });
      }
      await store.deleteRun(drop.info.runId);
      expect((await gcDeletedRuns(store, artifacts, { olderThanMs: 3_600_000 })).purged).toEqual([]);
      const result = await gcDeletedRuns(store, artifacts);
      expect(result).toEqual({ purged: [drop.info.runId], failed: [] });
      expect(existsSync(path.join(dir, "artifacts", "0", drop.info.runId))).toBe(false);
      expect(existsSync(path.join(dir, "artifacts", "0", keep.info.runId, "artifacts", "model", "m.bin"))).toBe(true);
      expect(await code(store.getRun(drop.info.runId))).toBe("NOT_FOUND");
      expect((await store.getRun(keep.info.runId)).data.metrics.length).toBe(1);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
