/** The server over a PostgreSQL store: every endpoint family once, tokens in the same database. */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API, KEEL_API, PG_URL, type Harness, startHarness, warnIfNoPostgres } from "./harness.js";

let h: Harness;
warnIfNoPostgres("the server-on-PostgreSQL cases are");
beforeAll(async () => {
  if (PG_URL) h = await startHarness({ postgres: true });
});
afterAll(async () => h?.close());

describe.skipIf(!PG_URL)("keel server on PostgreSQL", () => {
  it("serves experiments, runs, logging, search, history, artifacts and the registry", async () => {
    const exp = (await h.call("POST", `${API}/experiments/create`, { name: "pg" })).body.experiment_id;
    const run = (await h.call("POST", `${API}/runs/create`, { experiment_id: exp, run_name: "pg-run", hypothesis: "postgres works" })).body.run.info;
    const metrics = Array.from({ length: 999 }, (_, i) => ({ key: "loss", value: 1 / (i + 1), timestamp: 1000 + i, step: i }));
    expect((await h.call("POST", `${API}/runs/log-batch`, { run_id: run.run_id, metrics, params: [{ key: "engine", value: "pg" }] })).status).toBe(200);
    const over = await h.call("POST", `${API}/runs/log-batch`, { run_id: run.run_id, metrics: [...metrics, metrics[0], metrics[1]] });
    expect(over.status).toBe(400);
    const found = await h.call("POST", `${API}/runs/search`, { experiment_ids: [exp], filter: "params.engine = 'pg' AND metrics.loss < 0.01" });
    expect(found.body.runs.map((r: any) => r.info.hypothesis)).toEqual(["postgres works"]);
    expect((await h.call("GET", `${API}/metrics/get-history`, { run_id: run.run_id, metric_key: "loss" })).body.metrics).toHaveLength(999);
    expect((await h.call("GET", `${API}/metrics/get-history-sampled`, { run_id: run.run_id, metric_key: "loss", max_points: 50 })).body.metrics).toHaveLength(50);
    const up = await fetch(`${h.url}/api/2.0/mlflow-artifacts/artifacts/${exp}/${run.run_id}/artifacts/model/m.json`, { method: "PUT", body: "{}" });
    expect(up.status).toBe(200);
    expect((await h.call("GET", `${API}/artifacts/list`, { run_id: run.run_id })).body.files.map((f: any) => f.path)).toEqual(["model"]);
    await h.call("POST", `${API}/registered-models/create`, { name: "pg-model" });
    await h.call("POST", `${API}/model-versions/create`, { name: "pg-model", source: `${run.artifact_uri}/model`, run_id: run.run_id });
    await h.call("POST", `${API}/registered-models/alias`, { name: "pg-model", alias: "champion", version: "1" });
    expect((await h.call("GET", `${API}/registered-models/alias`, { name: "pg-model", alias: "champion" })).body.model_version.run_id).toBe(run.run_id);
    expect((await h.call("GET", `${KEEL_API}/audit-log`, { model_name: "pg-model" })).body.entries.map((e: any) => e.action)).toEqual(["create_model", "create_version", "set_alias"]);
    const dup = await h.call("POST", `${API}/experiments/create`, { name: "pg" });
    expect(dup).toMatchObject({ status: 400, body: { error_code: "RESOURCE_ALREADY_EXISTS" } });
  });

  it("keeps tokens in the store's schema and enforces them", async () => {
    const { token } = await h.tokens.create({ role: "read", name: "pg-reader" });
    expect((await h.call("GET", `${API}/experiments/get`, { experiment_id: "0" })).status).toBe(401);
    expect((await h.call("GET", `${API}/experiments/get`, { experiment_id: "0" }, token)).status).toBe(200);
    expect((await h.call("POST", `${API}/experiments/create`, { name: "nope" }, token)).status).toBe(403);
    const schema = new URL(h.uri).searchParams.get("schema");
    const c = new pg.Client({ connectionString: PG_URL! });
    await c.connect();
    try {
      const rows = (await c.query(`SELECT name, role FROM "${schema}".keel_api_tokens`)).rows;
      expect(rows).toEqual([{ name: "pg-reader", role: "read" }]);
    } finally {
      await c.end();
    }
  });
});
