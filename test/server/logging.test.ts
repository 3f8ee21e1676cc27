import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API, KEEL_API, type Harness, startHarness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

async function newRun(): Promise<string> {
  return (await h.call("POST", `${API}/runs/create`, { experiment_id: "0" })).body.run.info.run_id;
}

describe("logging endpoints", () => {
  it("log-metric, log-parameter, set-tag, delete-tag land in the run", async () => {
    const id = await newRun();
    expect((await h.call("POST", `${API}/runs/log-metric`, { run_id: id, key: "loss", value: 0.5, timestamp: 10, step: 1 })).body).toEqual({});
    // the legacy run_uuid, NaN as protobuf's string, step defaulting to 0
    expect((await h.call("POST", `${API}/runs/log-metric`, { run_uuid: id, key: "odd", value: "NaN", timestamp: 11 })).status).toBe(200);
    expect((await h.call("POST", `${API}/runs/log-parameter`, { run_id: id, key: "lr", value: "0.1" })).status).toBe(200);
    expect((await h.call("POST", `${API}/runs/set-tag`, { run_id: id, key: "owner", value: "ana" })).status).toBe(200);
    expect((await h.call("POST", `${API}/runs/set-tag`, { run_id: id, key: "gone", value: "x" })).status).toBe(200);
    expect((await h.call("POST", `${API}/runs/delete-tag`, { run_id: id, key: "gone" })).status).toBe(200);
    const run = (await h.call("GET", `${API}/runs/get`, { run_id: id })).body.run;
    expect(run.data.metrics).toEqual([
      { key: "loss", value: 0.5, timestamp: 10, step: 1 },
      { key: "odd", value: "NaN", timestamp: 11, step: 0 },
    ]);
    expect(run.data.params).toEqual([{ key: "lr", value: "0.1" }]);
    expect(run.data.tags).toEqual(expect.arrayContaining([{ key: "owner", value: "ana" }]));
    expect(run.data.tags.find((t: { key: string }) => t.key === "gone")).toBeUndefined();
    const again = await h.call("POST", `${API}/runs/delete-tag`, { run_id: id, key: "gone" });
    expect(again.status).toBe(404);
    expect(again.body.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
  });

  it("rejects a param rewritten with another value, and ill-typed fields, naming them", async () => {
    const id = await newRun();
    await h.call("POST", `${API}/runs/log-parameter`, { run_id: id, key: "depth", value: "3" });
    expect((await h.call("POST", `${API}/runs/log-parameter`, { run_id: id, key: "depth", value: "3" })).status).toBe(200);
    const clash = await h.call("POST", `${API}/runs/log-parameter`, { run_id: id, key: "depth", value: "4" });
    expect(clash.status).toBe(400);
    expect(clash.body).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE", message: expect.stringMatching(/depth/) });
    const noValue = await h.call("POST", `${API}/runs/log-metric`, { run_id: id, key: "m", timestamp: 1 });
    expect(noValue.status).toBe(400);
    expect(noValue.body.message).toMatch(/"value"/);
    const textValue = await h.call("POST", `${API}/runs/log-metric`, { run_id: id, key: "m", value: "high", timestamp: 1 });
    expect(textValue.status).toBe(400);
    expect(textValue.body.message).toMatch(/"value"/);
    const badStep = await h.call("POST", `${API}/runs/log-metric`, { run_id: id, key: "m", value: 1, timestamp: 1, step: 1.5 });
    expect(badStep.status).toBe(400);
    expect(badStep.body.message).toMatch(/step/);
    const badBatch = await h.call("POST", `${API}/runs/log-batch`, { run_id: id, metrics: { key: "m" } });
    expect(badBatch.status).toBe(400);
    expect(badBatch.body.message).toMatch(/metrics/);
    const badItem = await h.call("POST", `${API}/runs/log-batch`, { run_id: id, metrics: [{ key: "m", value: 1, timestamp: "yesterday" }] });
    expect(badItem.status).toBe(400);
    expect(badItem.body.message).toMatch(/metrics\[0\]\.timestamp/);
  });

  it("log-batch enforces MLflow's limits all or nothing", async () => {
    const id = await newRun();
    const metrics = (n: number, key = "m") => Array.from({ length: n }, (_, i) => ({ key, value: i, timestamp: 1000 + i, step: i }));
    expect((await h.call("POST", `${API}/runs/log-batch`, { run_id: id, metrics: metrics(1000) })).status).toBe(200);
    const over = await h.call("POST", `${API}/runs/log-batch`, { run_id: id, metrics: metrics(1001, "over") });
    expect(over.status).toBe(400);
    expect(over.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(over.body.message).toMatch(/1001 metrics.*1000/);
    const params = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: "v" }));
    const tooManyParams = await h.call("POST", `${API}/runs/log-batch`, { run_id: id, params });
    expect(tooManyParams.status).toBe(400);
    expect(tooManyParams.body.message).toMatch(/101 params/);
    const total = await h.call("POST", `${API}/runs/log-batch`, { run_id: id, metrics: metrics(950, "t"), params: params.slice(0, 51) });
    expect(total.status).toBe(400);
    expect(total.body.message).toMatch(/1001 items/);
    const longKey = await h.call("POST", `${API}/runs/log-batch`, { run_id: id, tags: [{ key: "k".repeat(251), value: "v" }] });
    expect(longKey.status).toBe(400);
    expect(longKey.body.message).toMatch(/250/);
    const longParam = await h.call("POST", `${API}/runs/log-batch`, { run_id: id, params: [{ key: "big", value: "x".repeat(6001) }] });
    expect(longParam.status).toBe(400);
    expect(longParam.body.message).toMatch(/6000/);
    const longTag = await h.call("POST", `${API}/runs/log-batch`, { run_id: id, tags: [{ key: "big", value: "x".repeat(5001) }] });
    expect(longTag.status).toBe(400);
    expect(longTag.body.message).toMatch(/5000/);
    // none of the refused batches left anything
    const run = (await h.call("GET", `${API}/runs/get`, { run_id: id })).body.run;
    expect(run.data.metrics.map((m: { key: string }) => m.key)).toEqual(["m"]);
    expect(run.data.params).toEqual([]);
    // a batch whose one param clashes leaves its metrics out too
    await h.call("POST", `${API}/runs/log-parameter`, { run_id: id, key: "fixed", value: "1" });
    const clash = await h.call("POST", `${API}/runs/log-batch`, { run_id: id, metrics: metrics(5, "after"), params: [{ key: "fixed", value: "2" }] });
    expect(clash.status).toBe(400);
    const hist = await h.call("GET", `${API}/metrics/get-history`, { run_id: id, metric_key: "after" });
    expect(hist.body.metrics).toEqual([]);
  });

  it("log-model appends to the run's mlflow.log-model.history tag, as MLflow does", async () => {
    const id = await newRun();
    const model = { artifact_path: "model", flavors: { keel: { kind: "gbdt" } }, run_id: id };
    expect((await h.call("POST", `${API}/runs/log-model`, { run_id: id, model_json: JSON.stringify(model) })).status).toBe(200);
    expect((await h.call("POST", `${API}/runs/log-model`, { run_id: id, model_json: JSON.stringify({ ...model, artifact_path: "model2" }) })).status).toBe(200);
    const tags = (await h.call("GET", `${API}/runs/get`, { run_id: id })).body.run.data.tags;
    const history = JSON.parse(tags.find((t: { key: string }) => t.key === "mlflow.log-model.history").value);
    expect(history.map((m: { artifact_path: string }) => m.artifact_path)).toEqual(["model", "model2"]);
    const bad = await h.call("POST", `${API}/runs/log-model`, { run_id: id, model_json: "{not json" });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/model_json/);
  });

  it("log-inputs records datasets with their context", async () => {
    const id = await newRun();
    const r = await h.call("POST", `${API}/runs/log-inputs`, {
      run_id: id,
      datasets: [{ tags: [{ key: "mlflow.data.context", value: "training" }], dataset: { name: "credit", digest: "abc123", source_type: "local", source: '{"uri":"credit.csv"}', schema: '{"cols":[]}', rows: 300 } }],
    });
    expect(r.status).toBe(200);
    const run = (await h.call("GET", `${API}/runs/get`, { run_id: id })).body.run;
    expect(run.inputs.dataset_inputs).toEqual([
      {
        tags: [{ key: "mlflow.data.context", value: "training" }],
        dataset: { name: "credit", digest: "abc123", source_type: "local", source: '{"uri":"credit.csv"}', schema: '{"cols":[]}', rows: 300 },
      },
    ]);
    const missing = await h.call("POST", `${API}/runs/log-inputs`, { run_id: id, datasets: [{ dataset: { name: "x" } }] });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/datasets\[0\]\.dataset\.digest/);
  });

  it("metric history: full, paged, downsampled for charts, and bulk for the MLflow UI", async () => {
    const id = await newRun();
    const n = 5000;
    const points = Array.from({ length: n }, (_, i) => ({ key: "loss", value: Math.exp(-i / 1000) + (i === 2500 ? 5 : 0), timestamp: 1_000 + i, step: i }));
    expect((await h.call("POST", `${KEEL_API}/runs/log-metrics`, { run_id: id, metrics: points })).status).toBe(200);
    const full = await h.call("GET", `${API}/metrics/get-history`, { run_id: id, metric_key: "loss" });
    expect(full.body.metrics).toHaveLength(n);
    expect(full.body.metrics[0]).toEqual({ key: "loss", value: 1, timestamp: 1000, step: 0 });
    const paged: number[] = [];
    let token: string | undefined;
    do {
      const p = await h.call("GET", `${API}/metrics/get-history`, { run_id: id, metric_key: "loss", max_results: 2000, page_token: token });
      paged.push(...p.body.metrics.map((m: { step: number }) => m.step));
      token = p.body.next_page_token;
    } while (token);
    expect(paged).toEqual(points.map((p) => p.step));
    const sampled = await h.call("GET", `${API}/metrics/get-history-sampled`, { run_id: id, metric_key: "loss", max_points: 100 });
    expect(sampled.status).toBe(200);
    const steps = sampled.body.metrics.map((m: { step: number }) => m.step);
    expect(steps.length).toBe(100);
    expect(steps[0]).toBe(0);
    expect(steps[steps.length - 1]).toBe(n - 1);
    expect(steps).toContain(2500); // the spike survives downsampling
    const window = await h.call("GET", `${API}/metrics/get-history-sampled`, { run_id: id, metric_key: "loss", max_points: 50, start_step: 100, end_step: 199 });
    expect(window.body.metrics.every((m: { step: number }) => m.step >= 100 && m.step <= 199)).toBe(true);
    const tooFew = await h.call("GET", `${API}/metrics/get-history-sampled`, { run_id: id, metric_key: "loss", max_points: 2 });
    expect(tooFew.status).toBe(400);
    expect(tooFew.body.message).toMatch(/max/i);
    const other = await newRun();
    await h.call("POST", `${API}/runs/log-metric`, { run_id: other, key: "loss", value: 3, timestamp: 5, step: 0 });
    const bulk = await h.call("GET", `${API}/metrics/get-history-bulk-interval`, { run_ids: [id, other], metric_key: "loss", max_results: 10 });
    expect(bulk.status).toBe(200);
    expect(bulk.body.metrics.filter((m: { run_id: string }) => m.run_id === id)).toHaveLength(10);
    expect(bulk.body.metrics.filter((m: { run_id: string }) => m.run_id === other)).toEqual([{ key: "loss", value: 3, timestamp: 5, step: 0, run_id: other }]);
    const noRun = await h.call("GET", `${API}/metrics/get-history`, { run_id: "f".repeat(32), metric_key: "loss" });
    expect(noRun.status).toBe(404);
  });
});
