/**
 * Compatibility with a client no one here wrote: the npm package `mlflow` (an MLflow REST client
 * for Node) drives `keel server` through experiments, runs, logging, search and metric history;
 * what it lacks (the registry, set-experiment-tag, whose URL it builds wrongly) goes over raw HTTP.
 */
import mlflowModule from "mlflow";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { API, type Harness, startHarness } from "./harness.js";

// the package's index sets module.exports to the class its typings call `default`
const MLflow = mlflowModule as unknown as typeof import("mlflow").default;

let h: Harness;
// the typings mark optional request fields as required: the calls below send what MLflow's API needs
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let client: any;
let token: string;

beforeAll(async () => {
  vi.spyOn(console, "log").mockImplementation(() => undefined); // the client prints every body it posts
  h = await startHarness();
  token = (await h.tokens.create({ role: "write", name: "mlflow-js" })).token;
  client = new MLflow({ endpoint: h.url, headers: { Authorization: `Bearer ${token}` } });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await h.close();
});

/** The client throws `Error(JSON.stringify({ status, statusText, data }))`. */
async function failure(p: Promise<unknown>): Promise<{ status: number; data: { error_code: string; message: string } }> {
  try {
    await p;
  } catch (e) {
    return JSON.parse((e as Error).message.replace(/^Error: /, ""));
  }
  throw new Error("expected the call to fail");
}

describe("the npm `mlflow` client against keel server", () => {
  it("experiments: create, get, list, update, delete, restore", async () => {
    const { experiment_id } = await client.Experiments.create({ name: "mlflow-js" });
    expect(experiment_id).toMatch(/^\d+$/);
    const { experiment } = await client.Experiments.get({ experiment_id });
    expect(experiment).toMatchObject({ experiment_id, name: "mlflow-js", lifecycle_stage: "active" });
    const { experiments } = await client.Experiments.list();
    expect(experiments.map((e: { name: string }) => e.name)).toEqual(expect.arrayContaining(["Default", "mlflow-js"]));
    await client.Experiments.update({ experiment_id, new_name: "mlflow-js-2" });
    expect((await client.Experiments.get({ experiment_id })).experiment.name).toBe("mlflow-js-2");
    await client.Experiments.delete({ experiment_id });
    const deleted = await client.Experiments.list({ view_type: "DELETED_ONLY" });
    expect(deleted.experiments.map((e: { experiment_id: string }) => e.experiment_id)).toEqual([experiment_id]);
    await client.Experiments.restore({ experiment_id });
    expect((await client.Experiments.get({ experiment_id })).experiment.lifecycle_stage).toBe("active");
    const dup = await failure(client.Experiments.create({ name: "mlflow-js-2" }));
    expect(dup.status).toBe(400);
    expect(dup.data.error_code).toBe("RESOURCE_ALREADY_EXISTS");
    const missing = await failure(client.Experiments.get({ experiment_id: "424242" }));
    expect(missing.status).toBe(404);
    expect(missing.data.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
  });

  it("runs and logging: create, log-metric/param/batch, tags, update, get, history, search, delete/restore", async () => {
    const { experiment_id } = await client.Experiments.create({ name: "training" });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { run } = await client.Runs.create({ experiment_id, start_time: 1_700_000_000_000 + i, tags: [{ key: "mlflow.runName", value: `trial-${i}` }] });
      const id = run.info.run_id;
      ids.push(id);
      await client.Runs.logParameter({ run_id: id, key: "lr", value: String(0.1 * (i + 1)) });
      for (let step = 0; step < 5; step++) await client.Runs.logMetric({ run_id: id, key: "loss", value: 1 / (step + 1 + i), timestamp: 1000 + step, step });
      await client.Runs.logBatch({ run_id: id, metrics: [{ key: "auc", value: 0.8 + i / 100, timestamp: 2000, step: 0 }], params: [{ key: "model", value: "gbdt" }], tags: [{ key: "fold", value: String(i) }] });
      await client.Runs.setTag({ run_id: id, key: "temp", value: "x" });
      await client.Runs.deleteTag({ run_id: id, key: "temp" });
      const { run_info } = await client.Runs.update({ run_id: id, status: "FINISHED", end_time: 1_700_000_100_000 });
      expect(run_info).toMatchObject({ run_id: id, status: "FINISHED", end_time: 1_700_000_100_000 });
    }
    const { run } = await client.Runs.get({ run_id: ids[2] });
    expect(run.info).toMatchObject({ run_id: ids[2], experiment_id, status: "FINISHED" });
    expect(run.data.params).toEqual([
      { key: "lr", value: String(0.1 * 3) },
      { key: "model", value: "gbdt" },
    ]);
    expect(run.data.metrics.find((m: { key: string }) => m.key === "loss")).toMatchObject({ step: 4, value: 1 / 7 });
    expect(run.data.tags).toEqual(expect.arrayContaining([{ key: "fold", value: "2" }, { key: "mlflow.runName", value: "trial-2" }]));
    expect(run.data.tags.find((t: { key: string }) => t.key === "temp")).toBeUndefined();

    const { metrics } = await client.Metrics.getHistory({ run_id: ids[0], metric_key: "loss" });
    expect(metrics.map((m: { step: number; value: number }) => [m.step, m.value])).toEqual([0, 1, 2, 3, 4].map((s) => [s, 1 / (s + 1)]));

    const found = await client.Runs.search({ experiment_ids: [experiment_id], filter: "metrics.auc >= 0.81 and params.model = 'gbdt'", order_by: ["metrics.auc DESC"], max_results: 10 });
    expect(found.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([ids[2], ids[1]]);
    const page1 = await client.Runs.search({ experiment_ids: [experiment_id], order_by: ["attributes.start_time ASC"], max_results: 2 });
    expect(page1.runs).toHaveLength(2);
    const page2 = await client.Runs.search({ experiment_ids: [experiment_id], order_by: ["attributes.start_time ASC"], max_results: 2, page_token: page1.next_page_token });
    expect(page2.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([ids[2]]);

    await client.Runs.delete({ run_id: ids[0] });
    expect((await client.Runs.get({ run_id: ids[0] })).run.info.lifecycle_stage).toBe("deleted");
    await client.Runs.restore({ run_id: ids[0] });
    expect((await client.Runs.get({ run_id: ids[0] })).run.info.lifecycle_stage).toBe("active");

    const clash = await failure(client.Runs.logParameter({ run_id: ids[0], key: "lr", value: "9" }));
    expect(clash.status).toBe(400);
    expect(clash.data.error_code).toBe("INVALID_PARAMETER_VALUE");
    const listed = await client.Artifacts.list({ run_id: ids[0] });
    expect(listed.root_uri).toBe(run.info.artifact_uri.replace(ids[2], ids[0]));
  });

  it("a read token through the client is refused with 403 PERMISSION_DENIED on a write, and no token with 401", async () => {
    const read = (await h.tokens.create({ role: "read", name: "viewer" })).token;
    const viewer: any = new MLflow({ endpoint: h.url, headers: { Authorization: `Bearer ${read}` } });
    expect((await viewer.Experiments.get({ experiment_id: "0" })).experiment.name).toBe("Default");
    const denied = await failure(viewer.Experiments.create({ name: "nope" }));
    expect(denied.status).toBe(403);
    expect(denied.data.error_code).toBe("PERMISSION_DENIED");
    const anonymous: any = new MLflow({ endpoint: h.url });
    const unauth = await failure(anonymous.Experiments.list());
    expect(unauth.status).toBe(401);
    expect(unauth.data.error_code).toBe("UNAUTHENTICATED");
  });

  it("what the client lacks, over raw HTTP: experiment tags and the registry", async () => {
    const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const post = (p: string, body: unknown, method = "POST") => fetch(`${h.url}${API}${p}`, { method, headers: auth, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    const get = (p: string) => fetch(`${h.url}${API}${p}`, { headers: auth }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    expect((await post("/experiments/set-experiment-tag", { experiment_id: "0", key: "owner", value: "ml" })).status).toBe(200);
    const { run } = await client.Runs.create({ experiment_id: "0" });
    expect((await post("/registered-models/create", { name: "churn" })).status).toBe(200);
    const v = await post("/model-versions/create", { name: "churn", source: `${run.info.artifact_uri}/model`, run_id: run.info.run_id });
    expect(v.body.model_version).toMatchObject({ name: "churn", version: "1", run_id: run.info.run_id });
    expect((await post("/registered-models/alias", { name: "churn", alias: "champion", version: "1" })).status).toBe(200);
    const byAlias = await get("/registered-models/alias?name=churn&alias=champion");
    expect(byAlias.body.model_version.version).toBe("1");
    const search = await get(`/model-versions/search?filter=${encodeURIComponent(`run_id = '${run.info.run_id}'`)}`);
    expect(search.body.model_versions.map((m: { version: string }) => m.version)).toEqual(["1"]);
  });
});
