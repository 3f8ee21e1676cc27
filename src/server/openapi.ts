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
