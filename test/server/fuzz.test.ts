/**
 * Fuzzing the MLflow routes (issue 12): a seeded generator sends 1,200 requests to a real server
 * on loopback — each route's declared fields filled with values of the wrong JSON type, huge or
 * deeply nested values, lone surrogates, bytes that are not UTF-8, bodies that are not objects or
 * not JSON, odd query-string escapes — and not one answer may be a 5xx. Every answer must be
 * JSON in MLflow's shape when it is an error.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { allRoutes, resolveDeps } from "../../src/server/index.js";
import { type RouteDef, routePaths } from "../../src/server/route.js";
import { API, type Harness, startHarness } from "./harness.js";

const REQUESTS = 1200;

let h: Harness;
let routes: RouteDef[];
let runId: string;
beforeAll(async () => {
  h = await startHarness({ app: { bodyLimit: 1024 * 1024 } });
  routes = allRoutes(await resolveDeps({ store: h.store, tokens: h.tokens })).filter((r) => r.api === "mlflow" && !r.rawBody);
  const run = await h.call("POST", `${API}/runs/create`, { experiment_id: "0" });
  runId = run.body.run.info.run_id;
});
afterAll(async () => h.close());

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)];
}

/** A JSON value meant to be wrong somewhere: wrong types, extremes, odd strings, nesting. */
function oddValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 2 ? 14 : 17)) {
    case 0:
      return null;
    case 1:
      return rng.int(2) === 0;
    case 2:
      return pick(rng, [0, -0, 1, -1, 1.5, 1e308, -1e308, 2 ** 53, 2 ** 63, Number.MIN_VALUE, 123456789012345678]);
    case 3:
      return pick(rng, ["", " ", "0", "-1", "1e400", "NaN", "Infinity", "-Infinity", "true", "null", "[]", "{}"]);
    case 4:
      return "\ud800" + "x".repeat(rng.int(5));
    case 5:
      return "x\udfffy";
    case 6:
      return "a".repeat(pick(rng, [251, 5001, 6001, 70_000]));
    case 7:
      return "k\u0000ey";
    case 8:
      return pick(rng, ["emoji😀", "名前", "a/b/../c", "'; DROP TABLE runs; --", "%00", "run_id = 'x'"]);
    case 9:
      return runId;
    case 10:
      return pick(rng, ["0", "1", "999999"]);
    case 11:
      return "m" + rng.int(5);
    case 12:
      return pick(rng, ["RUNNING", "FINISHED", "ACTIVE_ONLY", "ALL", "Production", "None", "5"]);
    case 13:
      return [];
    case 14:
      return Array.from({ length: rng.int(4) }, () => oddValue(rng, depth + 1));
    case 15:
      return Object.fromEntries(Array.from({ length: rng.int(4) }, () => [pick(rng, ["key", "value", "timestamp", "step", "dataset", "name", "x"]), oddValue(rng, depth + 1)]));
    default:
      return [{ key: oddValue(rng, depth + 1), value: oddValue(rng, depth + 1), timestamp: oddValue(rng, depth + 1), step: oddValue(rng, depth + 1) }];
  }
}

function bodyFor(rng: Rng, def: RouteDef): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(def.input ?? {})) {
    if (rng.int(4) === 0) continue;
    out[name] = name === "run_id" && rng.int(2) === 0 ? runId : oddValue(rng);
  }
  if (rng.int(6) === 0) out[pick(rng, ["extra", "__proto__", "constructor"])] = oddValue(rng);
  return out;
}

/** The raw bytes of a body: usually JSON, sometimes not an object, not JSON or not UTF-8. */
function bytesFor(rng: Rng, body: Record<string, unknown>): { bytes: Buffer; type: string } {
  const type = pick(rng, ["application/json", "application/json", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1"]);
  switch (rng.int(12)) {
    case 0:
      return { bytes: Buffer.from(JSON.stringify(pick(rng, [[1, 2], "text", 42, null, true]))), type };
    case 1:
      return { bytes: Buffer.from(JSON.stringify(body).slice(0, -1 - rng.int(5))), type };
    case 2:
      return { bytes: Buffer.concat([Buffer.from('{"name": "'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]), type };
    case 3:
      return { bytes: Buffer.from("[".repeat(20_000) + "]".repeat(20_000)), type };
    case 4:
      return { bytes: Buffer.from(`{"run_id": ${'{"a":'.repeat(5000)}1${"}".repeat(5000)}}`), type };
    case 5:
      return { bytes: Buffer.from(JSON.stringify({ ...body, pad: "z".repeat(1024 * 1024) })), type };
    default:
      return { bytes: Buffer.from(JSON.stringify(body)), type };
  }
}

function queryFor(rng: Rng, body: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(body)) {
    const text = typeof v === "string" ? v : JSON.stringify(v) ?? "";
    const values = Array.isArray(v) && rng.int(2) === 0 ? v.map((x) => String(x)) : [text];
    for (const x of values) {
      const enc = rng.int(8) === 0 ? pick(rng, ["%", "%zz", "%ED%A0%80", "%FF", "%00", "a%2"]) : encodeURIComponent((x as string & { isWellFormed(): boolean }).isWellFormed() ? x : "x");
      parts.push(`${encodeURIComponent(k)}=${enc}`);
    }
  }
  return parts.length ? `?${parts.join("&")}` : "";
}

describe("fuzzing the MLflow routes", () => {
  it(`${REQUESTS} generated requests of wrong types, sizes and encodings: no 5xx`, async () => {
    const rng = new Rng(20261207);
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const def = pick(rng, routes);
      const method = pick(rng, def.methods);
      const url = h.url + pick(rng, routePaths(def));
      const body = bodyFor(rng, def);
      let res: Response;
      let sent: string;
      if (method === "GET") {
        const q = queryFor(rng, body);
        sent = `GET ${url}${q}`.slice(0, 300);
        res = await fetch(url + q, { method });
      } else {
        const { bytes, type } = bytesFor(rng, body);
        sent = `${method} ${url} ${type} ${bytes.subarray(0, 200).toString("latin1")}`;
        res = await fetch(url, { method, headers: { "content-type": type }, body: bytes });
      }
      const text = await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) failures.push(`${res.status} ← ${sent}\n   ${text.slice(0, 300)}`);
      else if (res.status >= 400) {
        const err = JSON.parse(text) as { error_code?: unknown; message?: unknown };
        if (typeof err.error_code !== "string" || typeof err.message !== "string") failures.push(`not MLflow's shape ← ${sent}: ${text.slice(0, 200)}`);
      }
    }
    expect(failures, failures.slice(0, 5).join("\n")).toEqual([]);
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(REQUESTS);
    // the generator reaches both sides: refusals and requests that got through
    expect(statuses.get(400) ?? 0).toBeGreaterThan(REQUESTS / 3);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(20);
  }, 180_000);
});
