/**
 * `--json` is a contract for machines: every command takes it, and with it an error is JSON on
 * stdout — `{"error": {"code", "message", "problems"}}` — with the exit code of the table in
 * src/cli/exit-codes.ts, and nothing on stderr. The walk below covers every command the program
 * registers: a new command without `--json` or without a bad-input case here fails it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/main.js";
import { fixture, inBatches, keel, keelAsync } from "./run-cli.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "keel-cli-json-"));
const db = path.join(dir, "store.db");
const csv = fixture("credit-300.csv");
const env = { KEEL_HOME: path.join(dir, "home"), KEEL_STORE: "", MLFLOW_TRACKING_URI: "", KEEL_TOKEN: "" };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every command that runs (no subcommands, or an action of its own beside them: `keel tune`), as the words that invoke it. */
function leaves(cmd: Command, prefix: string[] = []): { words: string[]; cmd: Command }[] {
  const runs = (c: Command) => c.commands.length === 0 || (c as unknown as { _actionHandler: unknown })._actionHandler !== null;
  return cmd.commands.flatMap((c) => [...(runs(c) ? [{ words: [...prefix, c.name()], cmd: c }] : []), ...leaves(c, [...prefix, c.name()])]);
}

/** One bad input per command: the arguments, the error code and the exit code expected. */
const BAD: Record<string, { args: string[]; code: string; exit: number }> = {
  init: { args: [path.join(dir, "missing.csv"), "--dir", dir], code: "NOT_FOUND", exit: 1 },
  run: { args: [path.join(dir, "no-project")], code: "NOT_FOUND", exit: 1 },
  tune: { args: [path.join(dir, "no-project")], code: "NOT_FOUND", exit: 1 },
  "tune worker": { args: [path.join(dir, "no-project"), "--store", db, "--study", "s"], code: "INVALID_INPUT", exit: 1 },
  retrain: { args: [path.join(dir, "no-project")], code: "NOT_FOUND", exit: 1 },
  profile: { args: [path.join(dir, "missing.csv")], code: "NOT_FOUND", exit: 1 },
  "schema infer": { args: [path.join(dir, "missing.csv")], code: "NOT_FOUND", exit: 1 },
  "schema keel-yaml": { args: ["--out", path.join(dir, "no-such-folder", "keel.yaml.schema.json")], code: "NOT_FOUND", exit: 1 },
  validate: { args: [csv, "--schema", path.join(dir, "missing.schema.json")], code: "NOT_FOUND", exit: 1 },
  train: { args: [csv, "--target", "no_such_column"], code: "INVALID_INPUT", exit: 1 },
  predict: { args: [path.join(dir, "no-model"), csv], code: "NOT_FOUND", exit: 1 },
  evaluate: { args: [path.join(dir, "no-model"), csv, "--threshold", "half"], code: "USAGE", exit: 2 },
  explain: { args: [path.join(dir, "no-model"), csv, "--method", "magic"], code: "USAGE", exit: 2 },
  "runs list": { args: ["--filter", "metrics.auc >> 1", "--store", db], code: "INVALID_INPUT", exit: 1 },
  "runs show": { args: ["0123456789abcdef", "--store", db], code: "NOT_FOUND", exit: 1 },
  "runs compare": { args: ["0123456789abcdef", "--store", db], code: "USAGE", exit: 2 },
  "models list": { args: ["--filter", "name >> 1", "--store", db], code: "INVALID_INPUT", exit: 1 },
  "models show": { args: ["no-such-model", "--store", db], code: "NOT_FOUND", exit: 1 },
  "models alias": { args: ["no-such-model", "champion", "--store", db], code: "USAGE", exit: 2 },
  server: { args: ["--port", "99999"], code: "USAGE", exit: 2 },
  serve: { args: [path.join(dir, "no-model"), "--port", "99999"], code: "USAGE", exit: 2 },
  feedback: { args: [csv, "--model", "credit", "--log-dir", path.join(dir, "feedback-log")], code: "INVALID_INPUT", exit: 1 },
  "token create": { args: ["--role", "superuser", "--store", db], code: "INVALID_INPUT", exit: 1 },
  "token list": { args: ["--store", "ftp://example.com/store"], code: "UNSUPPORTED", exit: 1 },
  "token revoke": { args: ["no-such-token", "--store", db], code: "NOT_FOUND", exit: 1 },
  gc: { args: ["--older-than", "soon", "--store", db], code: "USAGE", exit: 2 },
  "monitor drift": { args: [csv, path.join(dir, "missing.csv")], code: "NOT_FOUND", exit: 1 },
  promote: { args: ["credit", "1", "--to", "champion", "--force", "--store", db], code: "USAGE", exit: 2 },
  rollback: { args: ["no-such-model", "--store", db], code: "NOT_FOUND", exit: 1 },
  doctor: { args: ["models:/nope@champion", "--store", db], code: "NOT_FOUND", exit: 1 },
  "monitor ab": { args: ["nope", "--store", db], code: "NOT_FOUND", exit: 1 },
  "monitor watch": { args: [path.join(dir, "no-project"), "--once"], code: "NOT_FOUND", exit: 1 },
  "monitor profile": { args: [path.join(dir, "missing.csv"), "--out", path.join(dir, "p.json")], code: "NOT_FOUND", exit: 1 },
};

/** The error JSON's shape, checked field by field; returns the error. */
function errorOf(stdout: string, label: string): { code: string; message: string; problems: { code: string; path: string; message: string }[] } {
  let parsed: unknown;
  expect(() => (parsed = JSON.parse(stdout)), `${label}: stdout is not JSON: ${stdout.slice(0, 200)}`).not.toThrow();
  const body = parsed as { error: { code: string; message: string; problems: { code: string; path: string; message: string }[] } };
  expect(Object.keys(body), label).toEqual(["error"]);
  expect(Object.keys(body.error), label).toEqual(["code", "message", "problems"]);
  expect(typeof body.error.message, label).toBe("string");
  expect(body.error.message.length, label).toBeGreaterThan(0);
  expect(body.error.problems.length, label).toBeGreaterThan(0);
  for (const p of body.error.problems) {
    expect(typeof p.code, label).toBe("string");
    expect(typeof p.path, label).toBe("string");
    expect(typeof p.message, label).toBe("string");
  }
  return body.error;
}

describe("--json", () => {
  let commands: { words: string[]; cmd: Command }[] = [];
  beforeAll(async () => {
    commands = leaves(await buildProgram());
    // create the store once, so the commands below do not race to create it
    expect(keel(["runs", "list", "--store", db, "--json"], { env }).code).toBe(0);
  }, 60_000);

  it("is an option of every command, and every command has a bad-input case here", () => {
    expect(commands.length).toBeGreaterThanOrEqual(18);
    for (const { words, cmd } of commands) {
      expect(cmd.options.some((o) => o.long === "--json"), `keel ${words.join(" ")} has no --json`).toBe(true);
      expect(BAD[words.join(" ")], `no bad-input case for keel ${words.join(" ")} in this test`).toBeDefined();
    }
  });

  it("turns every command's error into {error: {code, message, problems}} on stdout, with the exit code of the table", async () => {
    const results = await inBatches(commands.map(({ words }) => () => keelAsync([...words, ...BAD[words.join(" ")].args, "--json"], { env })));
    commands.forEach(({ words }, i) => {
      const label = `keel ${words.join(" ")}`;
      const r = results[i];
      const want = BAD[words.join(" ")];
      expect(r.stderr, label).toBe("");
      expect(r.code, `${label}: ${r.stdout}`).toBe(want.exit);
      expect(errorOf(r.stdout, label).code, label).toBe(want.code);
    });
  }, 300_000);

  it("reports a wrong command line as a USAGE error (exit 2), for every command", async () => {
    const results = await inBatches(commands.map(({ words }) => () => keelAsync([...words, "--json", "--no-such-option"], { env })));
    commands.forEach(({ words }, i) => {
      const label = `keel ${words.join(" ")}`;
      const r = results[i];
      expect(r.stderr, label).toBe("");
      expect(r.code, `${label}: ${r.stdout}`).toBe(2);
      const e = errorOf(r.stdout, label);
      expect(e.code, label).toBe("USAGE");
      // commander checks required options first, then unknown ones
      expect(e.message, label).toMatch(/unknown option '--no-such-option'|required option '.*' not specified/);
    });
    const unknown = keel(["predcit", "--json"], { env });
    expect(unknown.code).toBe(2);
    expect(errorOf(unknown.stdout, "keel predcit").message).toMatch(/unknown command 'predcit'/);
  }, 300_000);

  it("prints the results of init, schema infer and predict as JSON", () => {
    const project = path.join(dir, "proj");
    mkdirSync(project);
    const init = keel(["init", csv, "--target", "Status", "--dir", project, "--json"], { env });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr).toBe("");
    const made = JSON.parse(init.stdout) as { file: string; config: { problem: { target: string; task: string } } };
    expect(made.file).toBe(path.join(project, "keel.yaml"));
    expect(existsSync(made.file)).toBe(true);
    expect(made.config.problem).toMatchObject({ target: "Status", task: "binary" });

    const out = path.join(dir, "credit.schema.json");
    const schema = keel(["schema", "infer", csv, "--out", out, "--json"], { env });
    expect(schema.code, schema.stderr).toBe(0);
    expect(JSON.parse(schema.stdout)).toEqual(JSON.parse(readFileSync(out, "utf8")));

    const model = path.join(dir, "model");
    expect(keel(["train", csv, "--target", "Status", "--model", "logistic", "--cv", "2", "--out", model, "--json"], { env }).code).toBe(0);
    const asCsv = keel(["predict", model, csv], { env });
    const asJson = keel(["predict", model, csv, "--json"], { env });
    expect(asJson.code, asJson.stderr).toBe(0);
    const preds = JSON.parse(asJson.stdout) as { rows: number; predictions: Record<string, string | number>[]; unseen: unknown[] };
    expect(preds.rows).toBe(300);
    expect(preds.unseen).toEqual([]);
    const lines = asCsv.stdout.trim().split("\n");
    expect(lines[0].split(",").map((h) => h.replace(/"/g, ""))).toEqual(Object.keys(preds.predictions[0]));
    // the same predictions as the CSV, row by row
    for (let i = 0; i < 300; i++) {
      const cells = lines[i + 1].split(",").map((c) => c.replace(/"/g, ""));
      const row = Object.values(preds.predictions[i]);
      expect(row[0], `row ${i}`).toBe(cells[0]);
      for (let j = 1; j < row.length; j++) expect(row[j] as number, `row ${i}`).toBeCloseTo(Number(cells[j]), 12);
    }
  }, 120_000);
});

/** Start a long-running keel command with --json; resolves with its first stdout line and the child. */
async function firstLine(args: string[]): Promise<{ line: string; child: import("node:child_process").ChildProcess }> {
  const { spawn } = await import("node:child_process");
  const root = path.resolve(import.meta.dirname, "../..");
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "src/cli/entry.ts"), ...args, "--json"], { cwd: root, env: { ...process.env, ...env, KEEL_PROGRESS: "0" }, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")));
    });
    child.on("close", (code) => reject(new Error(`keel ${args[0]} exited ${code} before listening: ${err}`)));
  });
  return { line, child };
}

async function stopChild(child: import("node:child_process").ChildProcess): Promise<number | null> {
  const closed = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
  child.kill("SIGTERM");
  return closed;
}

describe("long-running commands with --json", () => {
  it("keel server prints where it listens as one JSON line, and serves there", async () => {
    const { line, child } = await firstLine(["server", "--port", "0", "--store", path.join(dir, "server.db")]);
    try {
      const info = JSON.parse(line) as { url: string; store: string; artifacts: string; auth: string };
      expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(info.auth).toBe("open");
      const res = await fetch(`${info.url}/api/2.0/mlflow/experiments/search?max_results=1`);
      expect(res.status).toBe(200);
    } finally {
      expect(await stopChild(child)).toBe(0);
    }
  }, 60_000);

  it("keel serve prints where it listens and the models it serves as one JSON line", async () => {
    const model = path.join(dir, "serve-model");
    expect(keel(["train", csv, "--target", "Status", "--model", "logistic", "--cv", "2", "--out", model, "--json"], { env }).code).toBe(0);
    const { line, child } = await firstLine(["serve", model, "--name", "credit", "--port", "0", "--no-prediction-log"]);
    try {
      const info = JSON.parse(line) as { url: string; models: { name: string; version: string; default: boolean }[]; auth: string };
      expect(info.auth).toBe("open");
      expect(info.models).toMatchObject([{ name: "credit", default: true }]);
      const res = await fetch(`${info.url}/v2/models/credit/ready`);
      expect(res.status).toBe(200);
    } finally {
      expect(await stopChild(child)).toBe(0);
    }
  }, 120_000);
});
