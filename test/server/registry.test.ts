import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API, KEEL_API, type Harness, startHarness } from "./harness.js";

let h: Harness;
let runId: string;
beforeAll(async () => {
  h = await startHarness();
  const run = (await h.call("POST", `${API}/runs/create`, { experiment_id: "0", hypothesis: "gbdt beats the baseline" })).body.run;
  runId = run.info.run_id;
  await h.call("POST", `${API}/runs/log-batch`, { run_id: runId, metrics: [{ key: "auc", value: 0.91, timestamp: 1, step: 0 }], params: [{ key: "leaves", value: "31" }] });
});
afterAll(async () => h.close());

const model = (name: string) => h.call("POST", `${API}/registered-models/create`, { name, description: "churn model", tags: [{ key: "team", value: "growth" }] });
const version = (name: string) => h.call("POST", `${API}/model-versions/create`, { name, source: `runs:/${runId}/model`, run_id: runId });

describe("registry endpoints", () => {
  it("registered models: create, get, search, update, rename, tags, delete", async () => {
    const c = await model("churn");
    expect(c.status).toBe(200);
    expect(c.body.registered_model).toMatchObject({ name: "churn", description: "churn model", tags: [{ key: "team", value: "growth" }], latest_versions: [], aliases: [] });
    expect(typeof c.body.registered_model.creation_timestamp).toBe("number");
    const dup = await model("churn");
    expect(dup.status).toBe(400);
    expect(dup.body.error_code).toBe("RESOURCE_ALREADY_EXISTS");
    expect((await h.call("GET", `${API}/registered-models/get`, { name: "churn" })).body.registered_model.name).toBe("churn");
    const missing = await h.call("GET", `${API}/registered-models/get`, { name: "nope" });
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    await model("fraud");
    const s = await h.call("GET", `${API}/registered-models/search`, { filter: "name LIKE 'fr%'" });
    expect(s.body.registered_models.map((m: { name: string }) => m.name)).toEqual(["fraud"]);
    const paged = await h.call("GET", `${API}/registered-models/search`, { max_results: 1, order_by: ["name ASC"] });
    expect(paged.body.registered_models.map((m: { name: string }) => m.name)).toEqual(["churn"]);
    expect(paged.body.next_page_token).toBeTruthy();
    const u = await h.call("PATCH", `${API}/registered-models/update`, { name: "fraud", description: "new text" });
    expect(u.body.registered_model.description).toBe("new text");
    const r = await h.call("POST", `${API}/registered-models/rename`, { name: "fraud", new_name: "fraud-v2" });
    expect(r.body.registered_model.name).toBe("fraud-v2");
    expect((await h.call("POST", `${API}/registered-models/set-tag`, { name: "fraud-v2", key: "k", value: "v" })).status).toBe(200);
    expect((await h.call("DELETE", `${API}/registered-models/delete-tag`, { name: "fraud-v2", key: "k" })).status).toBe(200);
    expect((await h.call("GET", `${API}/registered-models/get`, { name: "fraud-v2" })).body.registered_model.tags).toEqual([{ key: "team", value: "growth" }]);
    expect((await h.call("DELETE", `${API}/registered-models/delete`, { name: "fraud-v2" })).body).toEqual({});
    expect((await h.call("GET", `${API}/registered-models/get`, { name: "fraud-v2" })).status).toBe(404);
  });

  it("model versions: create, get, search, update, stages with archiving, tags, download URI, latest versions, delete", async () => {
    await model("stages");
    const v1 = await version("stages");
    expect(v1.status).toBe(200);
    expect(v1.body.model_version).toMatchObject({ name: "stages", version: "1", current_stage: "None", status: "READY", run_id: runId, source: `runs:/${runId}/model`, aliases: [] });
    const v2 = (await version("stages")).body.model_version;
    expect(v2.version).toBe("2");
    expect((await h.call("GET", `${API}/model-versions/get`, { name: "stages", version: "2" })).body.model_version.version).toBe("2");
    expect((await h.call("GET", `${API}/model-versions/get`, { name: "stages", version: "9" })).status).toBe(404);
    const bad = await h.call("GET", `${API}/model-versions/get`, { name: "stages", version: "one" });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/version/);
    const s = await h.call("GET", `${API}/model-versions/search`, { filter: "name = 'stages'" });
    expect(s.body.model_versions.map((v: { version: string }) => v.version).sort()).toEqual(["1", "2"]);
    const u = await h.call("PATCH", `${API}/model-versions/update`, { name: "stages", version: "1", description: "first" });
    expect(u.body.model_version.description).toBe("first");
    const p1 = await h.call("POST", `${API}/model-versions/transition-stage`, { name: "stages", version: "1", stage: "production", archive_existing_versions: false });
    expect(p1.body.model_version.current_stage).toBe("Production");
    const p2 = await h.call("POST", `${API}/model-versions/transition-stage`, { name: "stages", version: "2", stage: "Production", archive_existing_versions: true });
    expect(p2.body.model_version.current_stage).toBe("Production");
    expect((await h.call("GET", `${API}/model-versions/get`, { name: "stages", version: "1" })).body.model_version.current_stage).toBe("Archived");
    const badStage = await h.call("POST", `${API}/model-versions/transition-stage`, { name: "stages", version: "1", stage: "Live", archive_existing_versions: false });
    expect(badStage.status).toBe(400);
    expect(badStage.body.message).toMatch(/stage/);
    const latest = await h.call("POST", `${API}/registered-models/get-latest-versions`, { name: "stages", stages: ["Production"] });
    expect(latest.body.model_versions.map((v: { version: string }) => v.version)).toEqual(["2"]);
    expect((await h.call("POST", `${API}/model-versions/set-tag`, { name: "stages", version: "2", key: "validated", value: "yes" })).status).toBe(200);
    expect((await h.call("GET", `${API}/model-versions/get`, { name: "stages", version: "2" })).body.model_version.tags).toEqual([{ key: "validated", value: "yes" }]);
    expect((await h.call("DELETE", `${API}/model-versions/delete-tag`, { name: "stages", version: "2", key: "validated" })).status).toBe(200);
    expect((await h.call("GET", `${API}/model-versions/get-download-uri`, { name: "stages", version: "2" })).body.artifact_uri).toBeTruthy();
    expect((await h.call("DELETE", `${API}/model-versions/delete`, { name: "stages", version: "1" })).status).toBe(200);
    expect((await h.call("GET", `${API}/model-versions/get`, { name: "stages", version: "1" })).status).toBe(404);
  });

  it("aliases: set, move, resolve, delete; the audit log records every change with its actor, and lineage leads back to the run", async () => {
    await model("aliased");
    await version("aliased");
    await version("aliased");
    const set = await h.call("POST", `${API}/registered-models/alias`, { name: "aliased", alias: "champion", version: "1" }, undefined);
    expect(set.status).toBe(200);
    expect((await h.call("GET", `${API}/registered-models/alias`, { name: "aliased", alias: "champion" })).body.model_version.version).toBe("1");
    await h.call("POST", `${API}/registered-models/alias`, { name: "aliased", alias: "champion", version: "2" });
    const moved = (await h.call("GET", `${API}/registered-models/alias`, { name: "aliased", alias: "champion" })).body.model_version;
    expect(moved).toMatchObject({ version: "2", aliases: ["champion"] });
    expect((await h.call("GET", `${API}/registered-models/get`, { name: "aliased" })).body.registered_model.aliases).toEqual([{ alias: "champion", version: "2" }]);
    const reserved = await h.call("POST", `${API}/registered-models/alias`, { name: "aliased", alias: "latest", version: "1" });
    expect(reserved.status).toBe(400);
    expect((await h.call("DELETE", `${API}/registered-models/alias`, { name: "aliased", alias: "champion" })).status).toBe(200);
    const gone = await h.call("GET", `${API}/registered-models/alias`, { name: "aliased", alias: "champion" });
    expect(gone.status).toBe(404);

    // on an open server the caller may name itself for the audit log
    const res = await fetch(`${h.url}${API}/registered-models/alias`, { method: "POST", headers: { "content-type": "application/json", "x-keel-actor": "ana" }, body: JSON.stringify({ name: "aliased", alias: "challenger", version: "1" }) });
    expect(res.status).toBe(200);
    const audit = await h.call("GET", `${KEEL_API}/audit-log`, { model_name: "aliased" });
    expect(audit.status).toBe(200);
    const actions = audit.body.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(["create_model", "set_model_tag", "create_version", "create_version", "set_alias", "set_alias", "delete_alias", "set_alias"]);
    const movedEntry = audit.body.entries[5];
    expect(movedEntry).toMatchObject({ action: "set_alias", model_name: "aliased", entity: "aliased@champion", from: "1", to: "2" });
    expect(audit.body.entries[7].actor).toBe("ana");
    const onlyAliases = await h.call("GET", `${KEEL_API}/audit-log`, { model_name: "aliased", action: "delete_alias" });
    expect(onlyAliases.body.entries).toHaveLength(1);

    const lineage = await h.call("GET", `${KEEL_API}/model-versions/lineage`, { name: "aliased", version: "2" });
    expect(lineage.status).toBe(200);
    expect(lineage.body.lineage.run).toMatchObject({ run_id: runId, hypothesis: "gbdt beats the baseline" });
    expect(lineage.body.lineage.params).toEqual([{ key: "leaves", value: "31" }]);
    expect(lineage.body.lineage.metrics).toEqual([{ key: "auc", value: 0.91, timestamp: 1, step: 0 }]);
  });
});
