import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API, KEEL_API, type Harness, startHarness } from "./harness.js";

const PROXY = "/api/2.0/mlflow-artifacts/artifacts";
let h: Harness;
let run: { run_id: string; experiment_id: string; artifact_uri: string };
let proxyRoot: string;

beforeAll(async () => {
  h = await startHarness();
  run = (await h.call("POST", `${API}/runs/create`, { experiment_id: "0" })).body.run.info;
  proxyRoot = `${PROXY}/${run.experiment_id}/${run.run_id}/artifacts`;
});
afterAll(async () => h.close());

/** A request with the path sent exactly as written (no client normalisation of `..`). */
function rawGet(p: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(h.url);
    const req = httpRequest({ host: u.hostname, port: u.port, path: p, method: "GET" }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function put(p: string, body: string | Buffer, contentType = "application/octet-stream"): Promise<Response> {
  return fetch(h.url + p, { method: "PUT", headers: { "content-type": contentType }, body });
}

describe("artifacts", () => {
  it("uploads through the proxy (any content type, written as sent) and downloads it back", async () => {
    const json = '{"not": "parsed by the server"}';
    const up = await put(`${proxyRoot}/model/manifest.json`, json, "application/json");
    expect(up.status).toBe(200);
    const info = ((await up.json()) as any).file_info;
    expect(info).toMatchObject({ path: "model/manifest.json", is_dir: false, file_size: Buffer.byteLength(json) });
    expect(info.sha256).toMatch(/^[0-9a-f]{64}$/);
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
    expect((await put(`${proxyRoot}/model/weights.bin`, bytes)).status).toBe(200);
    const down = await fetch(`${h.url}${proxyRoot}/model/weights.bin`);
    expect(down.status).toBe(200);
    expect(Buffer.from(await down.arrayBuffer()).equals(bytes)).toBe(true);
    const text = await fetch(`${h.url}${proxyRoot}/model/manifest.json`);
    expect(text.headers.get("content-type")).toMatch(/application\/json/);
    expect(await text.text()).toBe(json);
    // the file is where the run's artifact URI says
    expect(existsSync(path.join(fileURLToPath(run.artifact_uri), "model", "weights.bin"))).toBe(true);
    // HTML is served as text, never rendered by the browser
    await put(`${proxyRoot}/report.html`, "<script>alert(1)</script>");
    const html = await fetch(`${h.url}${proxyRoot}/report.html`);
    expect(html.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(html.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("lists by run (paths from the run's root) and through the proxy (base names, as MLflow)", async () => {
    const byRun = await h.call("GET", `${API}/artifacts/list`, { run_id: run.run_id });
    expect(byRun.body.root_uri).toBe(run.artifact_uri);
    expect(byRun.body.files.map((f: { path: string; is_dir: boolean }) => [f.path, f.is_dir])).toEqual([
      ["model", true],
      ["report.html", false],
    ]);
    const sub = await h.call("GET", `${API}/artifacts/list`, { run_uuid: run.run_id, path: "model" });
    expect(sub.body.files.map((f: { path: string }) => f.path)).toEqual(["model/manifest.json", "model/weights.bin"]);
    expect(sub.body.files[1].file_size).toBe(70_000);
    const proxied = await h.call("GET", PROXY, { path: `${run.experiment_id}/${run.run_id}/artifacts/model` });
    expect(proxied.body.files.map((f: { path: string }) => f.path)).toEqual(["manifest.json", "weights.bin"]);
    const dl = await fetch(`${h.url}/get-artifact?run_uuid=${run.run_id}&path=model/manifest.json`);
    expect(dl.status).toBe(200);
    expect(await dl.text()).toContain("not");
    const missing = await fetch(`${h.url}/get-artifact?run_id=${run.run_id}&path=model/none.bin`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error_code).toBe("RESOURCE_DOES_NOT_EXIST");
  });

  it("refuses paths that leave the run's folder: .., encoded .., absolute, and symbolic links", async () => {
    const escapes = [
      `${proxyRoot}/../../../../../../etc/passwd`,
      `${proxyRoot}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd`,
      `${proxyRoot}/model/..%2F..%2F..%2Fsecret`,
      `/get-artifact?run_id=${run.run_id}&path=../../../../etc/passwd`,
      `/get-artifact?run_id=${run.run_id}&path=/etc/passwd`,
      `/get-artifact?run_id=${run.run_id}&path=%2Fetc%2Fpasswd`,
      `${API}/artifacts/list?run_id=${run.run_id}&path=../..`,
      `${API}/artifacts/list?run_id=${run.run_id}&path=/etc`,
      `${PROXY}?path=../../etc`,
    ];
    for (const p of escapes) {
      const r = await rawGet(p);
      expect(r.status, p).toBe(400);
      expect(JSON.parse(r.body).error_code, p).toBe("INVALID_PARAMETER_VALUE");
    }
    // a link planted in the run folder, pointing outside it
    const outside = path.join(h.dir, "outside.txt");
    writeFileSync(outside, "secret");
    const runDir = fileURLToPath(run.artifact_uri);
    symlinkSync(outside, path.join(runDir, "link.txt"));
    mkdirSync(path.join(h.dir, "outdir"));
    writeFileSync(path.join(h.dir, "outdir", "x.txt"), "secret");
    symlinkSync(path.join(h.dir, "outdir"), path.join(runDir, "linkdir"));
    for (const p of [`${proxyRoot}/link.txt`, `${proxyRoot}/linkdir/x.txt`, `/get-artifact?run_id=${run.run_id}&path=link.txt`]) {
      const r = await rawGet(p);
      expect(r.status, p).toBe(400);
      expect(r.body).not.toContain("secret");
    }
    const upThroughLink = await put(`${proxyRoot}/linkdir/planted.txt`, "x");
    expect(upThroughLink.status).toBe(400);
    expect(existsSync(path.join(h.dir, "outdir", "planted.txt"))).toBe(false);
    const listed = await h.call("GET", `${API}/artifacts/list`, { run_id: run.run_id });
    expect(listed.body.files.map((f: { path: string }) => f.path)).not.toContain("link.txt");
  });

  it("refuses uploads over the artifact limit without leaving a partial file", async () => {
    const small = await startHarness();
    try {
      await small.app.close();
      const { buildApp } = await import("../../src/server/index.js");
      const app = await buildApp({ store: small.store, artifactLimit: 1000 });
      await app.listen({ host: "127.0.0.1", port: 0 });
      const port = (app.server.address() as { port: number }).port;
      const r0 = (await small.store.createRun({ experimentId: "0" })).info;
      const base = `http://127.0.0.1:${port}${PROXY}/0/${r0.runId}/artifacts`;
      const ok = await fetch(`${base}/small.bin`, { method: "PUT", body: Buffer.alloc(1000) });
      expect(ok.status).toBe(200);
      const tooBig = await fetch(`${base}/big.bin`, { method: "PUT", body: Buffer.alloc(5000) });
      expect(tooBig.status).toBe(400);
      expect(((await tooBig.json()) as any).message).toMatch(/limit of 1,000 bytes/);
      const list = await fetch(`http://127.0.0.1:${port}${API}/artifacts/list?run_id=${r0.runId}`);
      expect(((await list.json()) as any).files.map((f: { path: string }) => f.path)).toEqual(["small.bin"]);
      await app.close();
    } finally {
      await small.close().catch(() => undefined);
    }
  });

  it("deletes a file (admin), and garbage collection removes deleted runs with their artifacts", async () => {
    const r = (await h.call("POST", `${API}/runs/create`, { experiment_id: "0" })).body.run.info;
    const root = `${PROXY}/${r.experiment_id}/${r.run_id}/artifacts`;
    await put(`${root}/a.txt`, "a");
    await put(`${root}/b.txt`, "b");
    const del = await fetch(`${h.url}${root}/a.txt`, { method: "DELETE" });
    expect(del.status).toBe(200);
    expect((await h.call("GET", `${API}/artifacts/list`, { run_id: r.run_id })).body.files.map((f: { path: string }) => f.path)).toEqual(["b.txt"]);
    const dir = fileURLToPath(r.artifact_uri);
    expect(existsSync(dir)).toBe(true);
    // gc leaves active runs alone
    expect((await h.call("POST", `${KEEL_API}/gc`, {})).body.purged).not.toContain(r.run_id);
    await h.call("POST", `${API}/runs/delete`, { run_id: r.run_id });
    const gc = await h.call("POST", `${KEEL_API}/gc`, { run_ids: [r.run_id] });
    expect(gc.body).toEqual({ purged: [r.run_id], failed: [] });
    expect(existsSync(dir)).toBe(false);
    expect((await h.call("GET", `${API}/runs/get`, { run_id: r.run_id })).status).toBe(404);
    // purging an active run is refused
    const active = (await h.call("POST", `${API}/runs/create`, { experiment_id: "0" })).body.run.info.run_id;
    const purge = await h.call("POST", `${KEEL_API}/runs/purge`, { run_id: active });
    expect(purge.status).toBe(400);
    expect(purge.body.error_code).toBe("BAD_REQUEST");
  });
});
