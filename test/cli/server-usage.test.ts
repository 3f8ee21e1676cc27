/**
 * `keel server` with a port already in use, or a `--host` that is not an address of this
 * machine, is the user's mistake: a one-line usage error naming the flag, exit 2 — not
 * "internal error", exit 70.
 */
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keel } from "./run-cli.js";

let dir: string;
let blocker: net.Server;
let port: number;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "keel-server-usage-"));
  blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  port = (blocker.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => blocker.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

function expectUsage(r: { code: number; stderr: string }, flag: string, what: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^keel: error: ${flag}: `));
  expect(lines[0]).toMatch(what);
  expect(r.stderr).not.toMatch(/internal error/);
}

describe("keel server: listening problems are usage errors", () => {
  it("a port already in use", () => {
    const r = keel(["server", "--port", String(port), "--store", path.join(dir, "a.db")]);
    expectUsage(r, "--port", new RegExp(`port ${port} on "127\\.0\\.0\\.1" is already in use`));
  });

  it("with --json: the error as JSON on stdout, code USAGE, exit 2", () => {
    const r = keel(["server", "--json", "--port", String(port), "--store", path.join(dir, "c.db")]);
    expect(r.code, r.stderr).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out.error.code).toBe("USAGE");
    expect(out.error.message).toMatch(/already in use/);
  });

  it("a host name that does not resolve, or an address that is not this machine's", () => {
    // off loopback a token must exist first (else the server refuses to be open, exit 1)
    const db = path.join(dir, "b.db");
    const token = keel(["token", "create", "--role", "admin", "--name", "ops", "--store", db]);
    expect(token.code, token.stderr).toBe(0);
    expectUsage(keel(["server", "--port", "0", "--host", "no-such-host.invalid", "--store", db]), "--host", /"no-such-host\.invalid" does not resolve/);
    expectUsage(keel(["server", "--port", "0", "--host", "192.0.2.1", "--store", db]), "--host", /"192\.0\.2\.1" is not an address of this machine/);
  });
});
