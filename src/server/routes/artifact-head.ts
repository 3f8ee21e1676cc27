/**
 * `GET /api/2.0/keel/artifacts/head` (`run_id`, `path`, `max_bytes`): the first bytes of a run's
 * artifact as UTF-8 text, with the file's size and whether it was cut — the web UI's previews
 * (text, JSON, CSV heads, Markdown, HTML reports) read a 2 GB CSV as cheaply as a 2 KB one.
 * A cut never splits a UTF-8 character. Paths go through the artifact store's checks, as downloads do.
 */
import { InvalidInputError, show } from "../../core/errors.js";
import type { ResolvedDeps } from "../deps.js";
import type { RouteDef } from "../route.js";
import { runId } from "../run-fields.js";

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

export function artifactHeadRoutes({ store, artifacts }: ResolvedDeps): RouteDef[] {
  return [
    {
      methods: ["GET"],
      api: "keel",
      path: "artifacts/head",
      role: "read",
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
