/**
 * The web UI's files at `/`: the app for every non-API path (deep links), files of the build
 * with their types and caching, API paths keeping their JSON 404s, nothing outside the build
 * served, and a plain page when the UI is not built.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import os from "node:os";
import path from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isApiPath, registerStaticUi } from "../../src/server/static-ui.js";
import { type Harness, startHarness } from "./harness.js";

let dir: string;
let ui: FastifyInstance;
let url: string;
let h: Harness;

/** A GET with the path sent exactly as written (no client normalisation of `..`). */
function rawGet(base: string, p: string): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(base);
    const req = httpRequest({ host: u.hostname, port: u.port, path: p, method: "GET" }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), type: String(res.headers["content-type"]) }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "keel-static-ui-"));
  mkdirSync(path.join(dir, "dist", "assets"), { recursive: true });
  writeFileSync(path.join(dir, "dist", "index.html"), "<!doctype html><title>app</title>");
  writeFileSync(path.join(dir, "dist", "assets", "index-abc123.js"), "console.log(1)");
  writeFileSync(path.join(dir, "secret.txt"), "outside the build");
  ui = Fastify({ forceCloseConnections: true });
  await registerStaticUi(ui, path.join(dir, "dist"));
  await ui.listen({ host: "127.0.0.1", port: 0 });
  const a = ui.server.address();
  url = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
  h = await startHarness();
});
afterAll(async () => {
  await ui.close();
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("static UI", () => {
  it("answers every app path with index.html (deep links), revalidated, with a content security policy", async () => {
    for (const p of ["/", "/runs/0123abcd", "/models/credit/versions/2?tab=card", "/experiments/1"]) {
      const r = await fetch(url + p);
      expect(r.status, p).toBe(200);
      expect(r.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(r.headers.get("cache-control")).toBe("no-cache");
      expect(r.headers.get("content-security-policy")).toMatch(/script-src 'self'/);
      expect(await r.text()).toContain("<title>app</title>");
    }
  });

  it("serves the build's files with their type; hashed assets are cached for a year, missing ones are 404", async () => {
    const js = await fetch(`${url}/assets/index-abc123.js`);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await js.text()).toBe("console.log(1)");
    const missing = await fetch(`${url}/assets/index-gone.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error_code: "ENDPOINT_NOT_FOUND" });
    const head = await fetch(`${url}/assets/index-abc123.js`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe("14");
    expect(await head.text()).toBe("");
  });

  it("never serves a file outside the build", async () => {
    for (const p of ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt"]) {
      const r = await rawGet(url, p);
      expect(r.body, p).not.toContain("outside the build");
    }
  });

  it("API paths are never the app: their JSON 404s stay", async () => {
    for (const p of ["/api/2.0/mlflow/nothing", "/ajax-api/2.0/mlflow/nothing", "/v2/models/x", "/invocations", "/metrics", "/health/x", "/get-artifact/x", "/model-versions/x"]) {
      expect(isApiPath(p), p).toBe(true);
      const r = await fetch(url + p);
      expect(r.status, p).toBe(404);
      expect(await r.json()).toMatchObject({ error_code: "ENDPOINT_NOT_FOUND", message: expect.stringContaining(p) });
    }
    expect(isApiPath("/models/credit")).toBe(false);
    expect(isApiPath("/runs/abc")).toBe(false);
  });

  it("in the real server: the API still answers, unknown API routes are JSON 404s, app paths are HTML", async () => {
    expect((await h.call("GET", "/health")).body).toEqual({ status: "OK" });
    expect((await h.call("GET", "/api/2.0/keel/server-info")).status).toBe(200);
    const wrongMethod = await h.call("GET", "/api/2.0/mlflow/runs/create");
    expect(wrongMethod.status).toBe(404);
    expect(wrongMethod.body).toMatchObject({ error_code: "ENDPOINT_NOT_FOUND" });
    const app = await fetch(`${h.url}/runs/abc`);
    expect(app.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await app.text()).toMatch(/<html|web UI is not built/);
  });

  it("says plainly when the UI is not built", async () => {
    const bare = Fastify({ forceCloseConnections: true });
    await registerStaticUi(bare, path.join(dir, "no-such-build"));
    const r = await bare.inject({ method: "GET", url: "/runs/abc" });
    expect(r.statusCode).toBe(404);
    expect(r.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(r.body).toContain("web UI is not built");
    expect(r.body).toContain("npm run build");
    await bare.close();
  });
});
