import { threadId } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { ChunkSession } from "../../src/core/chunks.js";
import { loadModule, mapConcurrent, modulePath, runTask } from "../../src/core/pool.js";
import { type KernelInit, runChunk } from "./pool-fixtures/kernel.js";

const TASK = new URL("./pool-fixtures/task.js", import.meta.url);
const KERNEL = new URL("./pool-fixtures/kernel.js", import.meta.url);

function shared(n: number): KernelInit {
  return {
    out: new Float64Array(new SharedArrayBuffer(8 * n)),
    who: new Int32Array(new SharedArrayBuffer(4 * n)),
    failAt: new Int32Array(new SharedArrayBuffer(4)).fill(-1),
    spinMs: 2,
  };
}

describe("worker pool tasks", () => {
  it("runs a module's default export, or a named one, in a worker that sees shared memory", async () => {
    const xs = new Float64Array(new SharedArrayBuffer(8 * 1000)).map((_, i) => i);
    const r = await runTask<{ xs: Float64Array }, { sum: number; threadId: number }>(TASK, { xs });
    expect(r.sum).toBe(499500);
    expect(r.threadId).not.toBe(threadId);
    expect(await runTask<{ x: number }, number>(TASK, { x: 21 }, { name: "double" })).toBe(42);
  }, 60_000);

  it("rejects with the task's error", async () => {
    await expect(runTask(TASK, { xs: new Float64Array(1), fail: "bad rows" })).rejects.toThrow(/bad rows/);
  }, 60_000);

  it("mapConcurrent keeps order, bounds concurrency and starts nothing after a failure", async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const out = await mapConcurrent([5, 1, 4, 2, 3], 2, async (x, i) => {
      started.push(i);
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, x));
      running--;
      return x * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
    const seen: number[] = [];
    await expect(
      mapConcurrent([0, 1, 2, 3, 4, 5], 1, async (x) => {
        seen.push(x);
        if (x === 1) throw new Error("stop");
        return x;
      }),
    ).rejects.toThrow("stop");
    expect(seen).toEqual([0, 1]);
  });

  it("finds a module's TypeScript source when its compiled JavaScript is absent, and says when neither exists", async () => {
    expect(modulePath(TASK)).toMatch(/task\.ts$/);
    await expect(loadModule(new URL("./pool-fixtures/missing.js", import.meta.url))).rejects.toThrow(/missing\.js does not exist/);
    expect(await loadModule(new URL("./pool-fixtures/missing.js", import.meta.url), true)).toEqual({});
  });
});

describe("chunk sessions", () => {
  it("shares every chunk of each job between this thread and its helpers, job after job", async () => {
    const n = 60;
    const init = shared(n);
    const session = ChunkSession.open(KERNEL, init, 2);
    try {
      expect(session.helpers).toBe(1);
      await session.started();
      const threads = new Set<number>();
      for (let job = 0; job < 3; job++) {
        init.out.fill(-1);
        const here = session.run(n, (k) => runChunk(init, k));
        expect(Array.from(init.out)).toEqual(Array.from({ length: n }, (_, k) => k * k));
        expect(here).toBeLessThanOrEqual(n);
        for (const t of init.who) threads.add(t);
      }
      // 3 × 60 chunks of 2 ms: a helper that joined takes some of them
      expect(threads.size).toBe(2);
      expect(threads.has(threadId)).toBe(true);
    } finally {
      await session.close();
    }
  }, 60_000);

  it("throws a helper's error after the job, and this thread's own error as it was", async () => {
    const n = 40;
    const init = shared(n);
    const session = ChunkSession.open(KERNEL, init, 2);
    try {
      await session.started();
      // this thread's error comes out as it was thrown
      const mine = new Error("mine");
      expect(() =>
        session.run(n, () => {
          throw mine;
        }),
      ).toThrow(mine);
      // a helper's error comes out with its message, after the job
      Atomics.store(init.failAt, 0, -2);
      expect(() => session.run(n, (k) => runChunk(init, k))).toThrow(/a worker thread failed: Error: chunk \d+ failed on purpose/);
      // the session still works afterwards
      Atomics.store(init.failAt, 0, -1);
      init.out.fill(-1);
      session.run(n, (k) => runChunk(init, k));
      expect(init.out[n - 1]).toBe((n - 1) * (n - 1));
    } finally {
      await session.close();
    }
  }, 60_000);

  it("runs on the calling thread alone with one thread, a missing kernel, or after close", async () => {
    const init = shared(8);
    const one = ChunkSession.open(KERNEL, init, 1);
    expect(one.helpers).toBe(0);
    expect(one.run(8, (k) => runChunk(init, k))).toBe(8);
    await one.close();
    expect(() => one.run(1, () => undefined)).toThrow(/closed/);

    const broken = ChunkSession.open(new URL("./pool-fixtures/missing.js", import.meta.url), {}, 2);
    await expect(broken.started()).rejects.toThrow(/does not exist/);
    init.out.fill(-1);
    expect(broken.run(8, (k) => runChunk(init, k))).toBeLessThanOrEqual(8);
    expect(init.out[7]).toBe(49);
    await broken.close();

    expect(() => ChunkSession.open(KERNEL, init, 2).run(0x10000, () => undefined)).toThrow(/0 to 65534 chunks, got 65536/);
  }, 60_000);
});
