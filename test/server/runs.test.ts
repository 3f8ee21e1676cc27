import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API, type Harness, startHarness } from "./harness.js";

let h: Harness;
let exp: string;
beforeAll(async () => {
  h = await startHarness();
  exp = (await h.call("POST", `${API}/experiments/create`, { name: "runs" })).body.experiment_id;
});
afterAll(async () => h.close());

async function newRun(body: Record<string, unknown> = {}): Promise<any> {
  const r = await h.call("POST", `${API}/runs/create`, { experiment_id: exp, ...body });
  expect(r.status).toBe(200);
  return r.body.run;
}

describe("runs endpoints", () => {
  it("creates a run with MLflow's shape; hypothesis and parent as Keel fields and as tags", async () => {
    const parent = await newRun({ run_name: "parent", start_time: 1_700_000_000_000 });
    expect(parent.info).toMatchObject({ run_name: "parent", experiment_id: exp, status: "RUNNING", start_time: 1_700_000_000_000, lifecycle_stage: "active" });
    expect(parent.info.run_id).toMatch(/^[0-9a-f]{32}$/);
    expect(parent.info.run_uuid).toBe(parent.info.run_id);
    expect(parent.info).not.toHaveProperty("end_time");
    expect(parent.data).toEqual({ metrics: [], params: [], tags: [{ key: "mlflow.runName", value: "parent" }] });
    expect(parent.inputs).toEqual({ dataset_inputs: [] });

    const child = await newRun({ hypothesis: "deeper trees help", parent_run_id: parent.info.run_id, user_id: "ana", tags: [{ key: "fold", value: "1" }] });
    expect(child.info).toMatchObject({ hypothesis: "deeper trees help", parent_run_id: parent.info.run_id, user_id: "ana" });
    expect(child.data.tags).toEqual(
      expect.arrayContaining([
        { key: "keel.hypothesis", value: "deeper trees help" },
        { key: "mlflow.parentRunId", value: parent.info.run_id },
        { key: "fold", value: "1" },
      ]),
    );
    // MLflow clients set the hypothesis as a tag: the Keel field follows
    const byTag = await newRun({ tags: [{ key: "keel.hypothesis", value: "from a tag" }] });
    expect(byTag.info.hypothesis).toBe("from a tag");
  });

  it("gets by run_id or the legacy run_uuid; 404 for an unknown run, 400 without an id", async () => {
    const run = await newRun();
    const a = await h.call("GET", `${API}/runs/get`, { run_id: run.info.run_id });
    const b = await h.call("GET", `${API}/runs/get`, { run_uuid: run.info.run_id });
    expect(a.status).toBe(200);
    expect(b.body).toEqual(a.body);
    const unknown = await h.call("GET", `${API}/runs/get`, { run_id: "0".repeat(32) });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    const none = await h.call("GET", `${API}/runs/get`);
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE", message: expect.stringContaining("run_id") });
  });

  it("updates status, end time, name and hypothesis; rejects an unknown status naming it", async () => {
    const run = await newRun();
    const u = await h.call("POST", `${API}/runs/update`, { run_uuid: run.info.run_id, status: "FINISHED", end_time: run.info.start_time + 5000, run_name: "done", hypothesis: "h2" });
    expect(u.status).toBe(200);
    expect(u.body.run_info).toMatchObject({ status: "FINISHED", end_time: run.info.start_time + 5000, run_name: "done", hypothesis: "h2" });
    const g = (await h.call("GET", `${API}/runs/get`, { run_id: run.info.run_id })).body.run;
    expect(g.data.tags).toEqual(expect.arrayContaining([{ key: "mlflow.runName", value: "done" }, { key: "keel.hypothesis", value: "h2" }]));
    const bad = await h.call("POST", `${API}/runs/update`, { run_id: run.info.run_id, status: "DONE" });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/status/);
    // the proto's enum numbers are accepted too (4 = FAILED)
    expect((await h.call("POST", `${API}/runs/update`, { run_id: run.info.run_id, status: 4 })).body.run_info.status).toBe("FAILED");
  });

  it("deletes and restores; a deleted run refuses logging with INVALID_PARAMETER_VALUE", async () => {
    const run = await newRun();
    expect((await h.call("POST", `${API}/runs/delete`, { run_id: run.info.run_id })).body).toEqual({});
    const g = (await h.call("GET", `${API}/runs/get`, { run_id: run.info.run_id })).body.run;
    expect(g.info.lifecycle_stage).toBe("deleted");
    expect(typeof g.info.deleted_time).toBe("number");
    const log = await h.call("POST", `${API}/runs/log-metric`, { run_id: run.info.run_id, key: "m", value: 1, timestamp: 1, step: 0 });
    expect(log.status).toBe(400);
    expect(log.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect((await h.call("POST", `${API}/runs/restore`, { run_id: run.info.run_id })).status).toBe(200);
    expect((await h.call("GET", `${API}/runs/get`, { run_id: run.info.run_id })).body.run.info.lifecycle_stage).toBe("active");
  });

  it("searches with MLflow's filter grammar, order_by, max_results and page_token", async () => {
    const e2 = (await h.call("POST", `${API}/experiments/create`, { name: "search" })).body.experiment_id;
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = (await h.call("POST", `${API}/runs/create`, { experiment_id: e2, run_name: `r${i}` })).body.run;
      ids.push(r.info.run_id);
      await h.call("POST", `${API}/runs/log-batch`, {
        run_id: r.info.run_id,
        metrics: [{ key: "auc", value: 0.7 + i * 0.03, timestamp: 1000, step: 0 }],
        params: [{ key: "model", value: i % 2 === 0 ? "gbdt" : "linear" }],
        tags: [{ key: "team", value: i < 3 ? "a" : "b" }],
      });
    }
    const s = await h.call("POST", `${API}/runs/search`, { experiment_ids: [e2], filter: "metrics.auc > 0.8 AND params.model = 'gbdt'", order_by: ["metrics.auc DESC"] });
    expect(s.status).toBe(200);
    expect(s.body.runs.map((r: any) => r.info.run_name)).toEqual(["r6", "r4"]);
    expect(s.body.runs[0].data.metrics).toEqual([{ key: "auc", value: expect.closeTo(0.88, 10), timestamp: 1000, step: 0 }]);
    const like = await h.call("POST", `${API}/runs/search`, { experiment_ids: [e2], filter: "tags.team IN ('a') AND attributes.run_name LIKE 'r%'", order_by: ["attributes.run_name ASC"] });
    expect(like.body.runs.map((r: any) => r.info.run_name)).toEqual(["r0", "r1", "r2"]);
    const pages: string[] = [];
    let token: string | undefined;
    do {
      const p = await h.call("POST", `${API}/runs/search`, { experiment_ids: [e2], order_by: ["metrics.auc ASC"], max_results: 3, page_token: token });
      expect(p.body.runs.length).toBeLessThanOrEqual(3);
      pages.push(...p.body.runs.map((r: any) => r.info.run_name));
      token = p.body.next_page_token;
    } while (token);
    expect(pages).toEqual(["r0", "r1", "r2", "r3", "r4", "r5", "r6"]);
    const bad = await h.call("POST", `${API}/runs/search`, { experiment_ids: [e2], filter: "metrics.auc >> 1" });
    expect(bad.status).toBe(400);
    expect(bad.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    const tooMany = await h.call("POST", `${API}/runs/search`, { experiment_ids: [e2], max_results: 60000 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toMatch(/max_results/);
    const deleted = await h.call("POST", `${API}/runs/delete`, { run_id: ids[0] });
    expect(deleted.status).toBe(200);
    const onlyDeleted = await h.call("POST", `${API}/runs/search`, { experiment_ids: [e2], run_view_type: "DELETED_ONLY" });
    expect(onlyDeleted.body.runs.map((r: any) => r.info.run_id)).toEqual([ids[0]]);
  });
});
