/**
 * The OpenAPI 3.1 document of the server's routes, generated from the same Zod declarations that
 * check each request (`RouteDef.input`, through `z.toJSONSchema`), so the document cannot drift
 * from what the server accepts. Served at `GET /api/openapi.json`. Each route is listed once, at
 * its `/api/2.0/...` path; the same routes answer under `/ajax-api/2.0/...` (MLflow's UI).
 */
import { inputJsonSchema, routeInput } from "./fields.js";
import { type RouteDef, routePaths } from "./route.js";

/** The error body every failure has (see `errors.ts`). */
const ERROR_SCHEMA = {
  type: "object",
  required: ["error_code", "message"],
  properties: {
    error_code: { type: "string", description: "MLflow's error code, e.g. INVALID_PARAMETER_VALUE, RESOURCE_DOES_NOT_EXIST" },
    message: { type: "string" },
    keel: {
      type: "object",
      description: "Keel's own code and the field at fault (MLflow clients ignore it)",
      properties: {
        code: { type: "string" },
        path: { type: "string" },
        expected: { type: "string" },
        problems: { type: "array", items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" }, expected: { type: "string" } }, required: ["message"] } },
      },
    },
  },
} as const;

const ERROR_RESPONSE = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });

/** `artifacts/*` → `artifacts/{path}`. */
function openApiPath(url: string): string {
  return url.replace(/\*$/, "{path}");
}

/** The document for `routes` (each with its method(s), path and declared input). */
export function openApiDocument(routes: readonly RouteDef[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const def of routes) {
    const input = routeInput(def.input);
    const schema = inputJsonSchema(input);
    const props = schema.properties as Record<string, Record<string, unknown>>;
    const url = openApiPath(routePaths(def)[0]);
    const item = (paths[url] ??= {});
    for (const method of def.methods) {
      const m = method.toLowerCase();
      const op: Record<string, unknown> = {
        operationId: `${m}_${def.api}_${def.path}`.replace(/[^A-Za-z0-9_]+/g, "_"),
        tags: [def.api],
        summary: def.summary ?? `${def.path} (${def.api})`,
        "x-keel-role": def.role,
        responses: {
          "200": def.rawBody || def.path.endsWith("*") || def.path.endsWith("get-artifact") ? { description: "OK" } : { description: "OK", content: { "application/json": { schema: { type: "object" } } } },
          "400": ERROR_RESPONSE("a field is missing or of the wrong type, or the request is malformed"),
          "401": ERROR_RESPONSE("a token is needed"),
          "403": ERROR_RESPONSE("the token's role does not allow this"),
          "404": ERROR_RESPONSE("the resource does not exist"),
        },
      };
      const params: Record<string, unknown>[] = [];
      if (url.includes("{path}")) params.push({ name: "path", in: "path", required: true, schema: { type: "string" } });
      if (method === "GET") {
        for (const [name, js] of Object.entries(props)) {
          params.push({ name, in: "query", required: input.required.has(name), schema: js, ...(input.lists.has(name) ? { style: "form", explode: true } : {}) });
        }
      } else if (def.rawBody) {
        op.requestBody = { required: true, content: { "application/octet-stream": { schema: { type: "string", contentMediaType: "application/octet-stream" } } } };
      } else if (Object.keys(props).length > 0) {
        op.requestBody = { required: input.required.size > 0, content: { "application/json": { schema } } };
      }
      if (params.length > 0) op.parameters = params;
      item[m] = op;
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Keel tracking server",
      version,
      description: "MLflow's REST API 2.0 (tracking, model registry, artifact proxy) and Keel's own routes. Every route is also served under /ajax-api/2.0/.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    paths,
    components: { schemas: { Error: ERROR_SCHEMA }, securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{}, { bearer: [] }],
  };
}

/** A JSON Schema in a few words, for the route tables of API.md: `string`, `integer \| string`, `[{ key*: string, value: string }]`. */
function schemaWords(js: Record<string, unknown> | undefined, depth = 0): string {
  if (!js) return "any";
  if (Array.isArray(js.anyOf)) return [...new Set((js.anyOf as Record<string, unknown>[]).map((s) => schemaWords(s, depth)))].join(" \\| ");
  if (Array.isArray(js.enum)) return (js.enum as unknown[]).map((v) => JSON.stringify(v)).join(" \\| ");
  const types = js.type === undefined ? [] : [js.type].flat().map(String);
  const words = types.map((t) => {
    if (t === "array") return `[${schemaWords(js.items as Record<string, unknown>, depth + 1)}]`;
    if (t === "object" && js.properties && depth < 3) {
      const req = new Set((js.required as string[] | undefined) ?? []);
      return `{ ${Object.entries(js.properties as Record<string, Record<string, unknown>>).map(([k, v]) => `${k}${req.has(k) ? "*" : ""}: ${schemaWords(v, depth + 1)}`).join(", ")} }`;
    }
    return t;
  });
  return words.length ? words.join(" \\| ") : "any";
}

/**
 * The route reference (API.md) from the OpenAPI document: one table per API family with each
 * route's method, path, role and fields (`*` = required).
 */
export function openApiMarkdown(doc: Record<string, unknown>): string {
  const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>;
  const families = new Map<string, string[]>();
  for (const [url, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) {
      const family = (op.tags as string[])[0];
      let fields: [string, Record<string, unknown>, boolean][] = [];
      const params = (op.parameters as { name: string; in: string; required: boolean; schema: Record<string, unknown> }[] | undefined) ?? [];
      const body = (op.requestBody as { content?: Record<string, { schema: Record<string, unknown> }> } | undefined)?.content?.["application/json"]?.schema;
      if (body) {
        const req = new Set((body.required as string[] | undefined) ?? []);
        fields = Object.entries(body.properties as Record<string, Record<string, unknown>>).map(([k, v]) => [k, v, req.has(k)]);
      } else fields = params.filter((p) => p.in === "query").map((p) => [p.name, p.schema, p.required]);
      const where = method === "get" ? "query" : op.requestBody && !body ? "raw body" : "JSON body";
      const text = fields.length ? fields.map(([k, v, r]) => `\`${k}${r ? "*" : ""}\`: ${schemaWords(v)}`).join("<br>") : "—";
      const row = `| ${method.toUpperCase()} | \`${url}\` | ${op["x-keel-role"]} | ${fields.length ? `${where}: ` : ""}${text} |`;
      families.set(family, [...(families.get(family) ?? []), row]);
    }
  }
  const info = doc.info as { title: string; description: string };
  const out = [
    "# Keel server API",
    "",
    "<!-- generated from GET /api/openapi.json (src/server/openapi.ts); test/server/openapi.test.ts checks it: run `npx vitest run test/server/openapi.test.ts -u` after changing a route -->",
    "",
    `${info.description} The machine-readable form is \`GET /api/openapi.json\` (OpenAPI 3.1).`,
    "",
    "Field types follow MLflow's protobuf JSON: strings must be JSON strings; int64 fields take a number or a decimal string;",
    'doubles also "NaN", "Infinity", "-Infinity"; ids also an integer; tag and param values also a number or a boolean. A field of the',
    "wrong type, or a string with a lone UTF-16 surrogate, is `400 INVALID_PARAMETER_VALUE`. In a query string a parameter given",
    "twice is a list for list fields; other fields take the first value. Every error is `{ \"error_code\", \"message\", \"keel\": { code, path, expected, problems } }`.",
    "`*` marks a required field. Roles: read < write < admin (see `keel token`).",
  ];
  for (const [family, rows] of families) {
    out.push("", `## ${family}`, "", "| method | path | role | fields |", "|---|---|---|---|", ...rows);
  }
  return out.join("\n") + "\n";
}
