import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API, type Harness, startHarness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

describe("experiments endpoints", () => {
  it("creates, gets by id and by name, with MLflow's field names", async () => {
    const c = await h.call("POST", `${API}/experiments/create`, { name: "churn", tags: [{ key: "team", value: "growth" }] });
    expect(c.status).toBe(200);
    expect(c.body).toEqual({ experiment_id: expect.stringMatching(/^\d+$/) });
    const id = c.body.experiment_id;
    const g = await h.call("GET", `${API}/experiments/get`, { experiment_id: id });
    expect(g.status).toBe(200);
    const e = g.body.experiment;
    expect(Object.keys(e).sort()).toEqual(["artifact_location", "creation_time", "experiment_id", "last_update_time", "lifecycle_stage", "name", "tags"]);
    expect(e).toMatchObject({ experiment_id: id, name: "churn", lifecycle_stage: "active", tags: [{ key: "team", value: "growth" }] });
    expect(typeof e.creation_time).toBe("number");
    expect(e.artifact_location).toContain(h.artifactsDir);
    const byName = await h.call("GET", `${API}/experiments/get-by-name`, { experiment_name: "churn" });
    expect(byName.body.experiment).toEqual(e);
    // the UI's prefix serves the same API
    const ajax = await h.call("GET", `/ajax-api/2.0/mlflow/experiments/get`, { experiment_id: id });
    expect(ajax.body.experiment).toEqual(e);
  });

  it("answers MLflow's errors: duplicate name 400 RESOURCE_ALREADY_EXISTS, unknown id 404, missing name 400 naming the field", async () => {
    const dup = await h.call("POST", `${API}/experiments/create`, { name: "churn" });
    expect(dup.status).toBe(400);
    expect(dup.body.error_code).toBe("RESOURCE_ALREADY_EXISTS");
    expect(dup.body.message).toMatch(/churn/);
    const missing = await h.call("GET", `${API}/experiments/get`, { experiment_id: "98765" });
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    const byName = await h.call("GET", `${API}/experiments/get-by-name`, { experiment_name: "nope" });
    expect(byName.status).toBe(404);
    expect(byName.body.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    const noName = await h.call("POST", `${API}/experiments/create`, {});
    expect(noName.status).toBe(400);
    expect(noName.body).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE", message: expect.stringContaining('"name"') });
    const badType = await h.call("POST", `${API}/experiments/create`, { name: { x: 1 } });
    expect(badType.status).toBe(400);
    expect(badType.body.message).toMatch(/"name"/);
    const badId = await h.call("GET", `${API}/experiments/get`, { experiment_id: "abc" });
    expect(badId.status).toBe(400);
    expect(badId.body.error_code).toBe("INVALID_PARAMETER_VALUE");
  });

  it("searches with filter, order_by and pages, by POST and GET, and lists (legacy)", async () => {
    for (const n of ["s-a", "s-b", "s-c", "s-d", "s-e"]) expect((await h.call("POST", `${API}/experiments/create`, { name: n })).status).toBe(200);
    const all: string[] = [];
    let token: string | undefined;
    for (let i = 0; i < 5; i++) {
      const r = await h.call("POST", `${API}/experiments/search`, { filter: "name LIKE 's-%'", order_by: ["name DESC"], max_results: 2, page_token: token });
      expect(r.status).toBe(200);
      all.push(...r.body.experiments.map((e: { name: string }) => e.name));
      token = r.body.next_page_token;
      if (!token) break;
    }
    expect(all).toEqual(["s-e", "s-d", "s-c", "s-b", "s-a"]);
    const viaGet = await h.call("GET", `${API}/experiments/search`, { filter: "name = 's-c'", max_results: 10 });
    expect(viaGet.body.experiments.map((e: { name: string }) => e.name)).toEqual(["s-c"]);
    expect(viaGet.body.next_page_token).toBeUndefined();
    const badFilter = await h.call("POST", `${API}/experiments/search`, { filter: "nonsense ~~ 3" });
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    const list = await h.call("GET", `${API}/experiments/list`);
    expect(list.status).toBe(200);
    expect(list.body.experiments.map((e: { name: string }) => e.name)).toEqual(expect.arrayContaining(["Default", "churn", "s-a", "s-e"]));
  });

  it("renames, deletes (visible to DELETED_ONLY), restores, sets and deletes tags", async () => {
    const id = (await h.call("POST", `${API}/experiments/create`, { name: "to-rename" })).body.experiment_id;
    expect((await h.call("POST", `${API}/experiments/update`, { experiment_id: id, new_name: "renamed" })).body).toEqual({});
    expect((await h.call("GET", `${API}/experiments/get`, { experiment_id: id })).body.experiment.name).toBe("renamed");
    expect((await h.call("POST", `${API}/experiments/set-experiment-tag`, { experiment_id: id, key: "k", value: "v" })).status).toBe(200);
    expect((await h.call("GET", `${API}/experiments/get`, { experiment_id: id })).body.experiment.tags).toEqual([{ key: "k", value: "v" }]);
    expect((await h.call("POST", `${API}/experiments/delete-experiment-tag`, { experiment_id: id, key: "k" })).status).toBe(200);
    expect((await h.call("GET", `${API}/experiments/get`, { experiment_id: id })).body.experiment.tags).toEqual([]);
    const missingTag = await h.call("POST", `${API}/experiments/delete-experiment-tag`, { experiment_id: id, key: "k" });
    expect(missingTag.status).toBe(404);

    expect((await h.call("POST", `${API}/experiments/delete`, { experiment_id: id })).status).toBe(200);
    expect((await h.call("GET", `${API}/experiments/get`, { experiment_id: id })).body.experiment.lifecycle_stage).toBe("deleted");
    const deleted = await h.call("POST", `${API}/experiments/search`, { view_type: "DELETED_ONLY" });
    expect(deleted.body.experiments.map((e: { experiment_id: string }) => e.experiment_id)).toContain(id);
    const active = await h.call("POST", `${API}/experiments/search`, { view_type: "ACTIVE_ONLY", max_results: 1000 });
    expect(active.body.experiments.map((e: { experiment_id: string }) => e.experiment_id)).not.toContain(id);
    expect((await h.call("POST", `${API}/experiments/restore`, { experiment_id: id })).status).toBe(200);
    expect((await h.call("GET", `${API}/experiments/get`, { experiment_id: id })).body.experiment.lifecycle_stage).toBe("active");
    const badView = await h.call("POST", `${API}/experiments/search`, { view_type: "SOME" });
    expect(badView.status).toBe(400);
    expect(badView.body.message).toMatch(/view_type/);
  });
});
