/**
 * The API token store suite, against every backend in `backends.ts`: tokens are created once
 * (only their SHA-256 is stored), listed, verified, revoked by name or id, and names are unique
 * among valid tokens. Over HTTP the server's tokens are managed with an admin token.
 */
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTokenStore, type TokenStore } from "../../../src/server/index.js";
import { code, targets, warnIfNoPostgres, type OpenedBackend } from "./backends.js";

warnIfNoPostgres();

describe.each(targets)("token store: $name", (target) => {
  let o: OpenedBackend;
  let t: TokenStore;
  /** Names of valid tokens, leaving out the target's own. */
  const names = async (options?: { includeRevoked?: boolean }) => (await t.list(options)).map((x) => x.name).filter((n) => !o.ownTokens.includes(n));
  beforeEach(async () => {
    if (!target.available) return;
    o = await target.open({ auth: true });
    t = await openTokenStore(o.backend);
  });
  afterEach(async () => {
    if (!o) return;
    await t.close();
    await o.cleanup();
  });

  describe.skipIf(!target.available)("tokens", () => {
    it("opens again over the same backend (the migration is idempotent)", async () => {
      const again = await openTokenStore(o.backend);
      await again.close();
      expect(await t.activeCount()).toBe(o.ownTokens.length);
      expect(t.location).toBe(o.backend.uri);
    });

    it("creates a token once and stores only its SHA-256", async () => {
      const { token, info } = await t.create({ role: "write", name: "ci" });
      expect(token).toMatch(/^keel_[A-Za-z0-9_-]{43}$/);
      expect(info).toMatchObject({ name: "ci", role: "write", lastUsedTime: null, revokedTime: null });
      expect(token.startsWith(info.hint)).toBe(true);
      expect((await o.rawQuery("SELECT token_hash FROM keel_api_tokens WHERE name = 'ci'")).map((r) => r.token_hash)).toEqual([createHash("sha256").update(token).digest("hex")]);
      expect(JSON.stringify(await o.rawQuery("SELECT * FROM keel_api_tokens"))).not.toContain(token);
      expect(await code(t.create({ role: "read", name: "ci" }))).toBe("ALREADY_EXISTS");
      expect(await code(t.create({ role: "root" as never }))).toBe("INVALID_INPUT");
      expect(await code(t.create({ role: "read", name: "no spaces" }))).toBe("INVALID_INPUT");
      const other = await t.create({ role: "read" });
      expect(other.info.name).toMatch(/^read-\d{14}$/);
      expect(await t.activeCount()).toBe(o.ownTokens.length + 2);
      expect(await names()).toEqual(["ci", other.info.name]);
    });

    it("verifies valid tokens and records their use", async () => {
      const { token } = await t.create({ role: "write", name: "ci" });
      expect(await t.verify(token)).toMatchObject({ name: "ci", role: "write" });
      expect((await t.list()).find((x) => x.name === "ci")?.lastUsedTime).toBeGreaterThan(0);
      expect(await t.verify(token + "x")).toBeUndefined();
      expect(await t.verify("")).toBeUndefined();
    });

    it("revokes by name or id at once; a revoked name can be reused", async () => {
      const { token } = await t.create({ role: "write", name: "ci" });
      const other = await t.create({ role: "read" });
      const revoked = await t.revoke("ci");
      expect(revoked).toMatchObject({ name: "ci" });
      expect(revoked.revokedTime).toBeGreaterThan(0);
      expect(await t.verify(token)).toBeUndefined();
      expect(await names()).toEqual([other.info.name]);
      expect(await names({ includeRevoked: true })).toEqual(["ci", other.info.name]);
      await t.revoke(String(other.info.id));
      expect(await t.activeCount()).toBe(o.ownTokens.length);
      expect(await code(t.revoke("ci"))).toBe("NOT_FOUND");
      expect(await code(t.revoke("987654"))).toBe("NOT_FOUND");
      expect((await t.create({ role: "admin", name: "ci" })).info.role).toBe("admin");
      expect(await names({ includeRevoked: true })).toEqual(["ci", other.info.name, "ci"]);
    });
  });
});
