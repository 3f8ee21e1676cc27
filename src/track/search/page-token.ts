/**
 * Opaque page tokens: base64 of `{"offset": n}` (the shape MLflow's SQL store uses), so a
 * token from one page continues the same query from the next row.
 */
import { InvalidInputError, show } from "../../core/index.js";

/**
 * The opaque page token for a result offset (what MLflow's `next_page_token` carries).
 * @example
 * ```ts
 * decodePageToken(encodePageToken(100)); // 100
 * ```
 */
export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString("base64");
}

/**
 * The offset a token stands for; 0 for no token.
 * @example
 * ```ts
 * const offset = decodePageToken(query.pageToken);
 * ```
 */
export function decodePageToken(token: string | undefined | null): number {
  if (token === undefined || token === null || token === "") return 0;
  let offset: unknown;
  try {
    offset = (JSON.parse(Buffer.from(String(token), "base64").toString("utf8")) as { offset?: unknown }).offset;
  } catch {
    offset = undefined;
  }
  if (typeof offset !== "number" || !Number.isSafeInteger(offset) || offset < 0) {
    throw new InvalidInputError(`page token ${show(token)} is not valid: pass the next_page_token a previous search returned`, { path: "page_token", received: token });
  }
  return offset;
}
