/**
 * `GET /api/openapi.json`: an OpenAPI 3.1 document generated from the routes' own Zod input
 * declarations — every route and method is in it, with the fields it reads and their types.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allRoutes, openApiMarkdown, resolveDeps } from "../../src/server/index.js";
import { routePaths } from "../../src/server/route.js";
import { API, type Harness, startHarness } from "./harness.js";

let h: Harness;
let doc: any;
beforeAll(async () => {
  h = await startHarness();
  const r = await h.call("GET", "/api/openapi.json");
  expect(r.status).toBe(200);
  doc = r.body;
});
afterAll(async () => h.close());

/** The JSON types a schema allows (`type: [..]` or `anyOf`). */
function types(s: any): string[] {
  return (s.anyOf ? s.anyOf.flatMap(types) : [s.type].flat()).sort();
}

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 with JSON Schema 2020-12 and MLflow's error shape", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.jsonSchemaDialect).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(doc.components.schemas.Error.required).toEqual(["error_code", "message"]);
  });

  it("lists every route and method, with exactly the fields each route declares", async () => {
    const routes = allRoutes(await resolveDeps({ store: h.store, tokens: h.tokens }));
    let operations = 0;
    for (const def of routes) {
      const url = routePaths(def)[0].replace(/\*$/, "{path}");
      for (const method of def.methods) {
        const op = doc.paths[url]?.[method.toLowerCase()];
        expect(op, `${method} ${url}`).toBeDefined();
        operations++;
        const declared = Object.keys(def.input ?? {}).sort();
        const listed =
          method === "GET"
            ? (op.parameters ?? []).filter((p: any) => p.in === "query").map((p: any) => p.name)
            : Object.keys(op.requestBody?.content?.["application/json"]?.schema?.properties ?? {});
        if (!def.rawBody) expect(listed.sort(), `${method} ${url}`).toEqual(declared);
      }
    }
    const listed = Object.values(doc.paths).reduce((n: number, item: any) => n + Object.keys(item).length, 0);
    expect(listed).toBe(operations);
    expect(operations).toBeGreaterThan(55);
  });

  it("gives each field its wire type and says which are required", () => {
    const create = doc.paths[`${API}/experiments/create`].post.requestBody.content["application/json"].schema;
    expect(create.required).toEqual(["name"]);
    expect(create.properties.name.type).toBe("string");
    expect(create.properties.tags.type).toBe("array");
    expect(create.properties.tags.items.properties.key.minLength).toBe(1);

    const batch = doc.paths[`${API}/runs/log-batch`].post.requestBody.content["application/json"].schema;
    const value = batch.properties.metrics.items.properties.value;
    expect(types(value)).toEqual(["number", "string"]);
    expect(types(batch.properties.params.items.properties.value)).toEqual(["boolean", "null", "number", "string"]);
    expect(types(batch.properties.run_id)).toEqual(["integer", "string"]);

    const get = doc.paths[`${API}/runs/get`].get.parameters;
    expect(get.find((p: any) => p.name === "run_id")).toMatchObject({ in: "query", required: true });
    expect(get.find((p: any) => p.name === "run_uuid")).toMatchObject({ in: "query", required: false });
    const search = doc.paths[`${API}/runs/search`];
    expect(search.get.parameters.find((p: any) => p.name === "experiment_ids")).toMatchObject({ explode: true });
    expect(types(search.post.requestBody.content["application/json"].schema.properties.max_results)).toEqual(["number", "string"]);
  });

  it("API.md is the route reference generated from this document", async () => {
    await expect(openApiMarkdown(doc)).toMatchFileSnapshot("../../API.md");
  });
});
