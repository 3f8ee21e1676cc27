/**
 * Colour and progress bars are for a person at a terminal: a non-TTY stdout (a file, a pipe, a
 * CI log), NO_COLOR or TERM=dumb turn both off. Checked on a real pseudo-terminal through
 * util-linux `script` when it is installed, and through pipes always.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { colorEnabled, progressEnabled } from "../../src/cli/terminal.js";
import { openStore, startRun } from "../../src/track/index.js";
import { fixture, keel } from "./run-cli.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dir = mkdtempSync(path.join(os.tmpdir(), "keel-cli-tty-"));
const db = path.join(dir, "keel.db");
const csv = fixture("credit-300.csv");
const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;
const ids: string[] = [];

/** A clean environment: no forced progress, bars drawn at once (so a fast command still shows one). */
function envWith(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !["KEEL_PROGRESS", "NO_COLOR", "FORCE_COLOR", "TERM", "CI"].includes(k)) env[k] = v;
  return { ...env, TERM: "xterm-256color", KEEL_PROGRESS_DELAY_MS: "0", ...extra };
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Run keel with stdout and stderr on a pseudo-terminal; returns what the terminal showed. */
function onTerminal(args: string[], extra: Record<string, string> = {}, redirectStdoutTo?: string): string {
  const cmd = [process.execPath, "--import", "tsx", path.join(root, "src/cli/entry.ts"), ...args].map(quote).join(" ") + (redirectStdoutTo ? ` > ${quote(redirectStdoutTo)}` : "");
  const r = spawnSync("script", ["-qec", cmd, "/dev/null"], { cwd: root, env: envWith(extra), encoding: "utf8", timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

const ESC = "\x1b";
const BAR = "\r\x1b[2K";

beforeAll(async () => {
  const store = await openStore(db);
  for (let i = 0; i < 2; i++) {
    const run = await startRun({ store, experiment: "tty", name: `trial-${i}`, environment: false });
    await run.logParams({ depth: 3 + i, model: "gbdt" });
    await run.end("FINISHED");
    ids.push(run.runId);
  }
  await store.close();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("when to draw", () => {
  it("colour needs a terminal and no NO_COLOR / TERM=dumb; bars need stdout and stderr on a terminal", () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(colorEnabled(tty, {})).toBe(true);
    expect(colorEnabled(pipe, {})).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: "" })).toBe(true); // no-color.org: set and not empty
    expect(colorEnabled(tty, { TERM: "dumb" })).toBe(false);
    expect(progressEnabled({ stdout: tty, stderr: tty }, {})).toBe(true);
    expect(progressEnabled({ stdout: pipe, stderr: tty }, {})).toBe(false);
    expect(progressEnabled({ stdout: tty, stderr: pipe }, {})).toBe(false);
    expect(progressEnabled({ stdout: tty, stderr: tty }, { NO_COLOR: "1" })).toBe(false);
    expect(progressEnabled({ stdout: tty, stderr: tty }, { KEEL_PROGRESS: "0" })).toBe(false);
    expect(progressEnabled({ stdout: pipe, stderr: pipe }, { KEEL_PROGRESS: "1" })).toBe(true);
  });
});

describe("through pipes (CI)", () => {
  it("draws no bar and no colour", () => {
    const env = envWith({ KEEL_PROGRESS: "" });
    const profile = keel(["profile", csv], { env });
    expect(profile.code, profile.stderr).toBe(0);
    expect(profile.stderr).toBe("");
    expect(profile.stdout).not.toContain(ESC);
    const compare = keel(["runs", "compare", ...ids, "--store", db], { env });
    expect(compare.code, compare.stderr).toBe(0);
    expect(compare.stdout).toMatch(/^\*.*depth/m);
    expect(compare.stdout).not.toContain(ESC);
  });
});

describe.skipIf(!hasScript)("on a terminal (a pty through `script`)", () => {
  it("draws progress bars, unless NO_COLOR or TERM=dumb is set or stdout is not the terminal", () => {
    expect(onTerminal(["profile", csv, "--json"])).toContain(BAR);
    expect(onTerminal(["profile", csv, "--json"], { NO_COLOR: "1" })).not.toContain(ESC);
    expect(onTerminal(["profile", csv, "--json"], { TERM: "dumb" })).not.toContain(ESC);
    const out = path.join(dir, "profile.json");
    expect(onTerminal(["profile", csv, "--json"], {}, out)).not.toContain(ESC);
    expect(JSON.parse(readFileSync(out, "utf8")).rows).toBe(300);
  });

  it("colours the rows that differ in runs compare, unless NO_COLOR is set or stdout is not the terminal", () => {
    expect(onTerminal(["runs", "compare", ...ids, "--store", db])).toContain(`${ESC}[1;33m`);
    expect(onTerminal(["runs", "compare", ...ids, "--store", db], { NO_COLOR: "1" })).not.toContain(ESC);
    const out = path.join(dir, "compare.txt");
    expect(onTerminal(["runs", "compare", ...ids, "--store", db], {}, out)).not.toContain(ESC);
    expect(readFileSync(out, "utf8")).not.toContain(ESC);
  });
});
