/**
 * Keel routes the web UI needs beyond MLflow's API:
 *
 * - `GET /api/2.0/keel/artifacts/head` (`run_id`, `path`, `max_bytes`): the first bytes of a run's
 *   artifact as UTF-8 text, with the file's size and whether it was cut — previews (text, JSON,
 *   CSV heads, Markdown, HTML reports) read a 2 GB CSV as cheaply as a 2 KB one. A cut never
 *   splits a UTF-8 character; paths go through the artifact store's checks, as downloads do.
 * - `GET /api/2.0/keel/features`: which optional route families this server serves
 *   (`monitoring`, `studies`), so the UI's monitoring and studies pages know whether anything can
 *   be recorded — and light up once those routes are registered — without probing for 404s.
 */
import { InvalidInputError, show } from "../../core/index.js";
import type { ResolvedDeps } from "../deps.js";
import type { RouteDef } from "../route.js";
import { runId, RUN_ID_FIELDS } from "../run-fields.js";
import { field, required } from "../fields.js";

/** Bytes read when `max_bytes` is not given. */
export const HEAD_DEFAULT_BYTES = 64 * 1024;
/** The most `max_bytes` may ask for. */
export const HEAD_MAX_BYTES = 16 * 1024 * 1024;

/** The length of the longest prefix of `buf` that ends on a whole UTF-8 character. */
export function wholeUtf8(buf: Uint8Array): number {
  let i = buf.length;
  // step back over at most 3 continuation bytes to the lead byte of the last character
  let back = 0;
  while (back < 3 && i - back - 1 >= 0 && (buf[i - back - 1] & 0xc0) === 0x80) back++;
  const lead = i - back - 1;
  if (lead < 0) return i;
  const b = buf[lead];
  const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
  return need > back + 1 ? lead : i;
}

/** A family counts as served when its first route (here) is registered. */
export const FEATURE_ROUTES = {
  monitoring: "/api/2.0/keel/monitoring/models",
  studies: "/api/2.0/keel/studies/search",
} as const;

export function uiRoutes({ store, artifacts }: ResolvedDeps): RouteDef[] {
  return [
    {
      methods: ["GET"],
      api: "keel",
      path: "features",
      role: "read",
      handler: async ({ request }) =>
        Object.fromEntries(Object.entries(FEATURE_ROUTES).map(([name, url]) => [name, request.server.hasRoute({ method: "GET", url })])),
    },
    {
      methods: ["GET"],
      api: "keel",
      path: "artifacts/head",
      role: "read",
      input: { ...RUN_ID_FIELDS, path: required(field.text()), max_bytes: field.int() },
      handler: async ({ fields: f }) => {
        const run = await store.getRun(runId(f));
        const rel = f.requiredString("path");
        const maxBytes = f.int("max_bytes") ?? HEAD_DEFAULT_BYTES;
        if (maxBytes < 1 || maxBytes > HEAD_MAX_BYTES) {
          throw new InvalidInputError(`parameter "max_bytes": ${show(maxBytes)} is out of range`, { path: "max_bytes", expected: `1 to ${HEAD_MAX_BYTES}`, received: maxBytes });
        }
        const { stream, size } = await artifacts.openRead(run.info.artifactUri, rel);
        const chunks: Buffer[] = [];
        let got = 0;
        try {
          for await (const chunk of stream as AsyncIterable<Buffer>) {
            chunks.push(chunk);
            got += chunk.length;
            if (got >= maxBytes) break;
          }
        } finally {
          stream.destroy();
        }
        let bytes = Buffer.concat(chunks, got);
        const truncated = size > maxBytes;
        if (bytes.length > maxBytes) bytes = bytes.subarray(0, maxBytes);
        if (truncated) bytes = bytes.subarray(0, wholeUtf8(bytes));
        return { path: rel, size, truncated, text: bytes.toString("utf8") };
      },
    },
  ];
}
