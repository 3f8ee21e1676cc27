import { describe, expect, it } from "vitest";
import { HEARTBEAT_MISSES, heartbeatInterval, startHeartbeat } from "../../src/core/index.js";

describe("startHeartbeat", () => {
  it("beats at once with the deadline, then every interval, until stopped; failed beats go on", async () => {
    const beats: number[] = [];
    const errors: unknown[] = [];
    let n = 0;
    const hb = await startHeartbeat(
      async (timeout) => {
        beats.push(timeout);
        if (++n === 2) throw new Error("store busy");
      },
      { intervalMs: 20, onError: (e) => errors.push(e) },
    );
    expect(beats).toEqual([20 * HEARTBEAT_MISSES]); // before any work starts
    await new Promise((r) => setTimeout(r, 150));
    await hb.stop();
    const count = beats.length;
    expect(count).toBeGreaterThanOrEqual(3);
    expect(errors).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 60));
    expect(beats.length).toBe(count);
  });

  it("is off at interval 0, and reads KEEL_HEARTBEAT_MS", async () => {
    let beats = 0;
    const hb = await startHeartbeat(async () => void beats++, { intervalMs: 0 });
    await hb.stop();
    expect([beats, hb.timeoutMs]).toEqual([0, 0]);
    expect(heartbeatInterval({})).toBe(10_000);
    expect(heartbeatInterval({ KEEL_HEARTBEAT_MS: "250" })).toBe(250);
    expect(heartbeatInterval({ KEEL_HEARTBEAT_MS: "0" })).toBe(0);
    expect(heartbeatInterval({ KEEL_HEARTBEAT_MS: "soon" })).toBe(10_000);
  });

  it("a failed first beat fails the start (the record would carry no deadline)", async () => {
    await expect(startHeartbeat(async () => Promise.reject(new Error("no store")), { intervalMs: 10 })).rejects.toThrow(/no store/);
  });
});
