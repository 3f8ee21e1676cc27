import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_HTTP, HTTP_PROBLEMS, buildApp } from "../../src/server/index.js";
import { openStore } from "../../src/track/index.js";
import { API, type Harness, startHarness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ app: { bodyLimit: 64 * 1024 } });
});
afterAll(async () => h.close());

/** Raw request with an exact body and content type (fetch would fix some of them up). */
function raw(method: string, path: string, body: string | Buffer, contentType?: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const u = new URL(h.url + path);
    const req = httpRequest({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers: contentType ? { "content-type": contentType } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("MLflow error shapes", () => {
  it("maps every Keel error code in one record, with MLflow's statuses", () => {
    expect(ERROR_HTTP.NOT_FOUND).toEqual({ errorCode: "RESOURCE_DOES_NOT_EXIST", status: 404 });
    expect(ERROR_HTTP.INVALID_INPUT).toEqual({ errorCode: "INVALID_PARAMETER_VALUE", status: 400 });
    expect(ERROR_HTTP.ALREADY_EXISTS).toEqual({ errorCode: "RESOURCE_ALREADY_EXISTS", status: 400 });
    expect(ERROR_HTTP.UNAUTHENTICATED).toEqual({ errorCode: "UNAUTHENTICATED", status: 401 });
    expect(ERROR_HTTP.FORBIDDEN).toEqual({ errorCode: "PERMISSION_DENIED", status: 403 });
    expect(ERROR_HTTP.INTERNAL).toEqual({ errorCode: "INTERNAL_ERROR", status: 500 });
    expect(HTTP_PROBLEMS.badRequest.status).toBe(400);
  });

  it("malformed JSON is 400 BAD_REQUEST, whatever the content type", async () => {
    for (const ct of ["application/json", "text/plain", "application/x-www-form-urlencoded", undefined]) {
      const r = await raw("POST", `${API}/experiments/create`, '{"name": "x",', ct);
      expect(r.status, String(ct)).toBe(400);
      expect(r.body.error_code).toBe("BAD_REQUEST");
      expect(r.body.message).toMatch(/JSON/);
    }
    const nonObject = await raw("POST", `${API}/experiments/create`, '"just a string"', "application/json");
    expect(nonObject.status).toBe(400);
    expect(nonObject.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    const badMedia = await raw("POST", `${API}/experiments/create`, "{}", "not a media type");
    expect(badMedia.status).toBe(400);
    expect(badMedia.body.error_code).toBe("BAD_REQUEST");
  });

  it("a body over the limit is 400 with the shape, not 413 or 500; the server keeps answering", async () => {
    const big = JSON.stringify({ name: "x".repeat(100 * 1024) });
    const r = await raw("POST", `${API}/experiments/create`, big, "application/json");
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error_code: "BAD_REQUEST", message: expect.stringMatching(/larger than the server's limit of 65,536 bytes/) });
    const batch = { run_id: "0".repeat(32), metrics: Array.from({ length: 3000 }, (_, i) => ({ key: "m", value: i, timestamp: 1, step: i })) };
    const r2 = await raw("POST", `${API}/runs/log-batch`, JSON.stringify(batch), "application/json");
    expect(r2.status).toBe(400);
    expect((await h.call("GET", `${API}/experiments/get`, { experiment_id: "0" })).status).toBe(200);
  });

  it("unknown routes and methods are 404 ENDPOINT_NOT_FOUND with the shape", async () => {
    for (const [m, p] of [
      ["GET", "/api/2.0/mlflow/nothing-here"],
      ["POST", "/api/2.0/mlflow/runs/get"],
      ["GET", "/v2/nothing-here"],
      ["DELETE", "/api/2.0/mlflow/experiments/create"],
    ]) {
      const r = await h.call(m, p);
      expect(r.status, `${m} ${p}`).toBe(404);
      expect(r.body).toEqual({ error_code: "ENDPOINT_NOT_FOUND", message: expect.stringContaining(p) });
    }
  });

  it("a failure that is not the caller's is 500 INTERNAL_ERROR without internals", async () => {
    const store = await openStore(":memory:");
    const seen: unknown[] = [];
    const app = await buildApp({ store }, { onInternalError: (e) => seen.push(e) });
    await store.close(); // every query now fails inside the driver
    const r = await app.inject({ method: "GET", url: `${API}/experiments/get?experiment_id=0` });
    expect(r.statusCode).toBe(500);
    const body = JSON.parse(r.body);
    expect(body.error_code).toBe("INTERNAL_ERROR");
    expect(body.message).not.toMatch(/at |\.ts/);
    expect(seen).toHaveLength(1);
    await app.close();
  });
});
