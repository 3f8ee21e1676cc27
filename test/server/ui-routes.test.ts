/** Keel's routes for the web UI: `artifacts/head` (the first bytes of an artifact) and `features`. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/index.js";
import { FEATURE_ROUTES, HEAD_MAX_BYTES, wholeUtf8 } from "../../src/server/routes/ui.js";
import { openStore } from "../../src/track/index.js";
import { API, KEEL_API, type Harness, startHarness } from "./harness.js";

let h: Harness;
let run: { run_id: string; experiment_id: string };

beforeAll(async () => {
  h = await startHarness();
  run = (await h.call("POST", `${API}/runs/create`, { experiment_id: "0" })).body.run.info;
  const root = `/api/2.0/mlflow-artifacts/artifacts/${run.experiment_id}/${run.run_id}/artifacts`;
  const put = (p: string, body: string) => fetch(h.url + root + p, { method: "PUT", body }).then((r) => r.text());
  await put("/notes.txt", "héllo wörld — ünïcode");
  await put("/data/big.csv", "a,b\n" + Array.from({ length: 20_000 }, (_, i) => `${i},${i * 2}`).join("\n"));
});
afterAll(async () => h.close());

describe("keel/artifacts/head", () => {
  it("returns a small file whole, with its size", async () => {
    const r = await h.call("GET", `${KEEL_API}/artifacts/head`, { run_id: run.run_id, path: "notes.txt" });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ path: "notes.txt", size: Buffer.byteLength("héllo wörld — ünïcode"), truncated: false, text: "héllo wörld — ünïcode" });
  });

  it("cuts a large file at max_bytes, never inside a UTF-8 character", async () => {
    const big = await h.call("GET", `${KEEL_API}/artifacts/head`, { run_id: run.run_id, path: "data/big.csv", max_bytes: 100 });
    expect(big.body.truncated).toBe(true);
    expect(big.body.text).toHaveLength(100);
    expect(big.body.text.startsWith("a,b\n0,0\n1,2\n")).toBe(true);
    expect(big.body.size).toBeGreaterThan(100_000);
    // "h é" = 68 c3 a9: a cut after 2 bytes would split é
    const cut = await h.call("GET", `${KEEL_API}/artifacts/head`, { run_id: run.run_id, path: "notes.txt", max_bytes: 2 });
    expect(cut.body).toMatchObject({ truncated: true, text: "h" });
    const three = await h.call("GET", `${KEEL_API}/artifacts/head`, { run_id: run.run_id, path: "notes.txt", max_bytes: 3 });
    expect(three.body.text).toBe("hé");
  });

  it("refuses what it should: missing files 404, bad max_bytes and unsafe paths 400 naming the field", async () => {
    const missing = await h.call("GET", `${KEEL_API}/artifacts/head`, { run_id: run.run_id, path: "nope.txt" });
    expect(missing.status).toBe(404);
    for (const max of [0, HEAD_MAX_BYTES + 1]) {
      const r = await h.call("GET", `${KEEL_API}/artifacts/head`, { run_id: run.run_id, path: "notes.txt", max_bytes: max });
      expect(r.status).toBe(400);
      expect(r.body.keel).toMatchObject({ path: "max_bytes" });
    }
    const unsafe = await h.call("GET", `${KEEL_API}/artifacts/head`, { run_id: run.run_id, path: "../../etc/passwd" });
    expect(unsafe.status).toBe(400);
    const noPath = await h.call("GET", `${KEEL_API}/artifacts/head`, { run_id: run.run_id });
    expect(noPath.status).toBe(400);
    expect(noPath.body.keel).toMatchObject({ path: "path" });
  });

  it("wholeUtf8 keeps whole characters of every length", () => {
    const bytes = Buffer.from("a€𝄞", "utf8"); // 1 + 3 + 4 bytes
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => wholeUtf8(bytes.subarray(0, n)))).toEqual([1, 1, 1, 4, 4, 4, 4, 8]);
  });
});

describe("keel/features", () => {
  it("says which optional route families this server serves (monitoring, not studies yet)", async () => {
    const r = await h.call("GET", `${KEEL_API}/features`);
    expect(r.body).toEqual({ monitoring: true, studies: false });
  });

  it("lights up a family once its route is registered", async () => {
    const store = await openStore(":memory:");
    const app = await buildApp({ store });
    app.get(FEATURE_ROUTES.studies, async () => ({ studies: [] }));
    const r = await app.inject({ method: "GET", url: `${KEEL_API}/features` });
    expect(JSON.parse(r.body)).toEqual({ monitoring: true, studies: true });
    await app.close();
    await store.close();
  });
});
