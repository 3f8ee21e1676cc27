/**
 * A loopback server asks "is any token active?" on every request without one; the SQL token
 * store answers from memory for up to ACTIVE_COUNT_TTL_MS (a round trip less per request on
 * PostgreSQL), at once for its own creates and revokes, and within the TTL for another
 * process's.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openBackend } from "../../src/backend/index.js";
import { openTokenStore } from "../../src/server/index.js";
import { ACTIVE_COUNT_TTL_MS } from "../../src/server/auth/sql-token-store.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "keel-token-count-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the active token count", () => {
  it("is fresh for this process's writes and at most ACTIVE_COUNT_TTL_MS old for another's", async () => {
    const file = path.join(dir, "keel.db");
    const a = await openBackend(file);
    const b = await openBackend(file); // another process's connection
    try {
      const server = await openTokenStore(a);
      const cli = await openTokenStore(b);
      expect(await server.activeCount()).toBe(0);
      await server.create({ role: "read", name: "own" });
      expect(await server.activeCount()).toBe(1); // its own create: at once
      await cli.create({ role: "admin", name: "other" });
      const t0 = Date.now();
      let seen = await server.activeCount();
      while (seen !== 2) {
        expect(Date.now() - t0).toBeLessThan(ACTIVE_COUNT_TTL_MS + 500);
        await new Promise((r) => setTimeout(r, 50));
        seen = await server.activeCount();
      }
      await server.revoke("own");
      expect(await server.activeCount()).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
