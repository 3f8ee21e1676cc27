/**
 * Tokens as the server enforces them (the token stores themselves pass
 * test/conformance/store/tokens.test.ts on every backend).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLoopback, openTokenStore, startServer } from "../../src/server/index.js";
import { API, KEEL_API, type Harness, startHarness } from "./harness.js";

describe("API tokens on the server", () => {
  let h: Harness;
  let read: string;
  let write: string;
  let admin: string;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it("runs open while no token exists", async () => {
    expect((await h.call("POST", `${API}/experiments/create`, { name: "open" })).status).toBe(200);
    const info = await h.call("GET", `${KEEL_API}/server-info`);
    expect(info.body).toMatchObject({ auth: false, principal: { name: "anonymous", role: "admin" } });
  });

  it("401 without a token or with a bad one, once tokens exist", async () => {
    read = (await h.tokens.create({ role: "read", name: "reader" })).token;
    write = (await h.tokens.create({ role: "write", name: "writer" })).token;
    admin = (await h.tokens.create({ role: "admin", name: "boss" })).token;
    const none = await h.call("GET", `${API}/experiments/get`, { experiment_id: "0" });
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error_code: "UNAUTHENTICATED", message: expect.stringMatching(/Bearer/) });
    const bad = await h.call("GET", `${API}/experiments/get`, { experiment_id: "0" }, "keel_notatoken");
    expect(bad.status).toBe(401);
    expect(bad.body.error_code).toBe("UNAUTHENTICATED");
    const scheme = await fetch(`${h.url}${API}/experiments/get?experiment_id=0`, { headers: { authorization: `Basic ${read}` } });
    expect(scheme.status).toBe(401);
    // the health probe stays open
    expect((await h.call("GET", "/health")).status).toBe(200);
  });

  it("403 for a role too weak: read cannot write, write cannot delete models, manage tokens or collect garbage", async () => {
    expect((await h.call("GET", `${API}/experiments/get`, { experiment_id: "0" }, read)).status).toBe(200);
    const w = await h.call("POST", `${API}/experiments/create`, { name: "by-reader" }, read);
    expect(w.status).toBe(403);
    expect(w.body).toMatchObject({ error_code: "PERMISSION_DENIED", message: expect.stringMatching(/reader.*read.*needs write/) });
    expect((await h.call("POST", `${API}/experiments/create`, { name: "by-writer" }, write)).status).toBe(200);
    expect((await h.call("POST", `${API}/registered-models/create`, { name: "m" }, write)).status).toBe(200);
    const del = await h.call("DELETE", `${API}/registered-models/delete`, { name: "m" }, write);
    expect(del.status).toBe(403);
    expect(del.body.error_code).toBe("PERMISSION_DENIED");
    expect((await h.call("GET", `${KEEL_API}/tokens/list`, undefined, write)).status).toBe(403);
    expect((await h.call("POST", `${KEEL_API}/gc`, {}, write)).status).toBe(403);
    expect((await h.call("DELETE", `${API}/registered-models/delete`, { name: "m" }, admin)).status).toBe(200);
    // uploads are checked before the body is read; deleting artifacts needs admin
    const run = (await h.call("POST", `${API}/runs/create`, { experiment_id: "0" }, write)).body.run.info;
    const file = `${h.url}/api/2.0/mlflow-artifacts/artifacts/0/${run.run_id}/artifacts/f.txt`;
    expect((await fetch(file, { method: "PUT", body: "x" })).status).toBe(401);
    expect((await fetch(file, { method: "PUT", body: "x", headers: { authorization: `Bearer ${read}` } })).status).toBe(403);
    expect((await fetch(file, { method: "PUT", body: "x", headers: { authorization: `Bearer ${write}` } })).status).toBe(200);
    expect((await fetch(file, { headers: { authorization: `Bearer ${read}` } })).status).toBe(200);
    expect((await fetch(file, { method: "DELETE", headers: { authorization: `Bearer ${write}` } })).status).toBe(403);
    expect((await fetch(file, { method: "DELETE", headers: { authorization: `Bearer ${admin}` } })).status).toBe(200);
    expect((await h.call("POST", `${KEEL_API}/gc`, {}, admin)).body).toEqual({ purged: [], failed: [] });
  });

  it("records the token's name as the registry actor and its last use", async () => {
    await h.call("POST", `${API}/registered-models/create`, { name: "audited" }, write);
    const audit = await h.call("GET", `${KEEL_API}/audit-log`, { model_name: "audited" }, read);
    expect(audit.body.entries[0]).toMatchObject({ action: "create_model", actor: "writer" });
    // a spoofed actor header does not override an authenticated token
    await fetch(`${h.url}${API}/registered-models/set-tag`, { method: "POST", headers: { authorization: `Bearer ${write}`, "content-type": "application/json", "x-keel-actor": "someone-else" }, body: JSON.stringify({ name: "audited", key: "k", value: "v" }) });
    const after = await h.call("GET", `${KEEL_API}/audit-log`, { model_name: "audited" }, read);
    expect(after.body.entries.map((e: { actor: string }) => e.actor)).toEqual(["writer", "writer"]);
    const listed = await h.call("GET", `${KEEL_API}/tokens/list`, undefined, admin);
    const writer = listed.body.tokens.find((t: { name: string }) => t.name === "writer");
    expect(writer).toMatchObject({ role: "write", hint: write.slice(0, 11) });
    expect(writer.last_used_time).toBeGreaterThan(0);
    expect(JSON.stringify(listed.body)).not.toContain(write);
  });

  it("admin manages tokens over HTTP; a revoked token is refused at once", async () => {
    const created = await h.call("POST", `${KEEL_API}/tokens/create`, { role: "read", name: "temp" }, admin);
    expect(created.status).toBe(200);
    const temp = created.body.token;
    expect(created.body.token_info).toMatchObject({ name: "temp", role: "read" });
    expect((await h.call("GET", `${API}/experiments/get`, { experiment_id: "0" }, temp)).status).toBe(200);
    expect((await h.call("POST", `${KEEL_API}/tokens/revoke`, { token: "temp" }, admin)).body.token_info.revoked_time).toBeGreaterThan(0);
    expect((await h.call("GET", `${API}/experiments/get`, { experiment_id: "0" }, temp)).status).toBe(401);
    const badRole = await h.call("POST", `${KEEL_API}/tokens/create`, { role: "owner" }, admin);
    expect(badRole.status).toBe(400);
    expect(badRole.body.message).toMatch(/role/);
  });
});

describe("binding", () => {
  it("knows loopback addresses", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST", "::ffff:127.0.0.1"]) expect(isLoopback(host), host).toBe(true);
    for (const host of ["0.0.0.0", "::", "192.168.1.4", "10.0.0.1", "example.com", "::ffff:10.0.0.1"]) expect(isLoopback(host), host).toBe(false);
  });

  it("refuses 0.0.0.0 without tokens, with a clear error; listens there once a token exists", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "keel-bind-"));
    const store = path.join(dir, "keel.db");
    try {
      await expect(startServer({ host: "0.0.0.0", port: 0, store })).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/refusing to listen on "0.0.0.0" without API tokens/) });
      const open = await startServer({ host: "127.0.0.1", port: 0, store });
      expect(open.auth).toBe(false);
      await open.close();
      const tokens = await openTokenStore(store);
      const { token } = await tokens.create({ role: "read" });
      await tokens.close();
      const s = await startServer({ host: "0.0.0.0", port: 0, store });
      try {
        expect(s.auth).toBe(true);
        const res = await fetch(`http://127.0.0.1:${s.port}${API}/experiments/get?experiment_id=0`, { headers: { authorization: `Bearer ${token}` } });
        expect(res.status).toBe(200);
        expect((await fetch(`http://127.0.0.1:${s.port}${API}/experiments/get?experiment_id=0`)).status).toBe(401);
      } finally {
        await s.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("beyond loopback it never runs open: revoking every token (over HTTP or with the CLI's store) leaves every request 401", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "keel-exposed-"));
    const store = path.join(dir, "keel.db");
    try {
      const tokens = await openTokenStore(store);
      const { token: admin } = await tokens.create({ role: "admin", name: "ops" });
      const { token: reader } = await tokens.create({ role: "read", name: "reader" });
      await tokens.close();
      const s = await startServer({ host: "0.0.0.0", port: 0, store });
      const at = (p: string) => `http://127.0.0.1:${s.port}${p}`;
      const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
      const post = (p: string, body: unknown, headers: Record<string, string> = {}) =>
        fetch(at(p), { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
      try {
        // an admin token cannot mint admin tokens over HTTP off loopback; read/write it can
        const mint = await post(`${KEEL_API}/tokens/create`, { role: "admin", name: "escalate" }, bearer(admin));
        expect(mint.status).toBe(403);
        expect((await mint.json()) as object).toMatchObject({ error_code: "PERMISSION_DENIED", message: expect.stringMatching(/keel token create --role admin/) });
        expect((await post(`${KEEL_API}/tokens/create`, { role: "write", name: "ci" }, bearer(admin))).status).toBe(200);
        expect((await post(`${KEEL_API}/tokens/revoke`, { token: "ci" }, bearer(admin))).status).toBe(200);
        // the CLI's way (the store directly) revokes the reader
        const local = await openTokenStore(store);
        await local.revoke("reader");
        await local.close();
        // over HTTP, the last admin revokes itself: no valid token is left
        expect((await post(`${KEEL_API}/tokens/revoke`, { token: "ops" }, bearer(admin))).status).toBe(200);
        for (const headers of [{}, bearer(admin), bearer(reader)]) {
          const get = await fetch(at(`${API}/experiments/get?experiment_id=0`), { headers });
          expect(get.status).toBe(401);
          expect(((await get.json()) as { error_code: string }).error_code).toBe("UNAUTHENTICATED");
          expect((await post(`${API}/experiments/create`, { name: "sneaky" }, headers)).status).toBe(401);
          expect((await post(`${KEEL_API}/tokens/create`, { role: "admin" }, headers)).status).toBe(401);
          expect((await fetch(at(`${KEEL_API}/server-info`), { headers })).status).toBe(401);
        }
        // probes stay open
        expect((await fetch(at("/health"))).status).toBe(200);
      } finally {
        await s.close();
      }
      // nothing was created by the refused requests
      const check = await startServer({ host: "127.0.0.1", port: 0, store });
      try {
        const list = (await (await fetch(`${check.url}${API}/experiments/search?max_results=100`)).json()) as { experiments: { name: string }[] };
        expect(list.experiments.map((e: { name: string }) => e.name)).not.toContain("sneaky");
      } finally {
        await check.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
