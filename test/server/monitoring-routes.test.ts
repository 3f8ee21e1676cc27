/**
 * `keel/monitoring/*` as the server answers it beyond the store suite (which runs the store over
 * these routes in test/conformance/store/monitoring.test.ts): the models picker, field-naming 400s,
 * and the read / write roles once tokens exist.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API, KEEL_API, type Harness, startHarness } from "./harness.js";

const H = 3_600_000;
const T0 = Date.UTC(2026, 2, 1, 8);
const result = (start: number) => ({
  start: new Date(start).toISOString(),
  end: new Date(start + H).toISOString(),
  serving: { requests: 4, rows: 4, errors: 0, error_rate: 0, rejected: 0, server_errors: 0, rejections: [], latency_ms: null },
  drift: null,
  prediction_drift: null,
  quality: null,
  performance: null,
});

describe("keel/monitoring routes", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it("lists registered models with their aliases and versions, in number order", async () => {
    await h.call("POST", `${API}/registered-models/create`, { name: "credit" });
    for (let i = 0; i < 10; i++) await h.call("POST", `${API}/model-versions/create`, { name: "credit", source: `/tmp/m${i}` });
    await h.call("POST", `${API}/registered-models/alias`, { name: "credit", alias: "champion", version: "2" });
    const r = await h.call("GET", `${KEEL_API}/monitoring/models`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ models: [{ name: "credit", aliases: [{ alias: "champion", version: "2" }], versions: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"] }] });
  });

  it("400 naming the field, the value and what was expected", async () => {
    const bad = await h.call("POST", `${KEEL_API}/monitoring/windows/save`, { model: "credit", version: "1", window: "week", results: [result(T0)] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/"window".*"week".*"hour" or "day"/);
    const noRequests = await h.call("POST", `${KEEL_API}/monitoring/windows/save`, { model: "credit", version: "1", window: "hour", results: [{ ...result(T0), serving: { error_rate: 0 } }] });
    expect(noRequests.status).toBe(400);
    expect(noRequests.body.message).toMatch(/results\[0\]\.serving\.requests/);
    const missing = await h.call("POST", `${KEEL_API}/monitoring/windows/save`, { model: "credit", version: "1", window: "hour" });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/results/);
    expect((await h.call("GET", `${KEEL_API}/monitoring/windows/list`, { model: "credit", since_ms: "soon" })).status).toBe(400);
  });

  it("with tokens: reading needs read, saving needs write", async () => {
    const read = (await h.tokens.create({ role: "read", name: "mon-reader" })).token;
    const write = (await h.tokens.create({ role: "write", name: "mon-writer" })).token;
    const save = { model: "credit", version: "1", window: "hour", results: [result(T0)] };
    expect((await h.call("GET", `${KEEL_API}/monitoring/windows/list`, { model: "credit" })).status).toBe(401);
    expect((await h.call("POST", `${KEEL_API}/monitoring/windows/save`, save, read)).status).toBe(403);
    expect((await h.call("POST", `${KEEL_API}/monitoring/windows/save`, save, write)).status).toBe(200);
    const list = await h.call("GET", `${KEEL_API}/monitoring/windows/list`, { model: "credit" }, read);
    expect(list.status).toBe(200);
    expect(list.body.windows).toHaveLength(1);
    expect(list.body.windows[0]).toMatchObject({ model: "credit", version: "1", window: "hour", start_ms: T0, end_ms: T0 + H, requests: 4, latency_p95_ms: null, result: result(T0) });
    expect((await h.call("GET", `${KEEL_API}/monitoring/models`, undefined, read)).status).toBe(200);
  });
});
