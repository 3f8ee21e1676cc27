/**
 * `keel feedback <file>`: a CSV or Parquet table of request ids and true labels lands where the
 * feedback route puts its records (the same JSON-lines files, the same fields; a PostgreSQL store's
 * keel_feedback table), and a bad row is refused naming the row and column, with nothing written.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type SqlBackend, openBackend } from "../../src/backend/index.js";
import { Frame } from "../../src/data/frame.js";
import { writeTable } from "../../src/data/io/write-table.js";
import { autoPipeline, gbdtClassifier, readTable, saveModel } from "../../src/index.js";
import { startServe } from "../../src/serve/index.js";
import { fixture, keel } from "../cli/run-cli.js";

let dir: string;
let model: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "keel-feedback-cli-"));
  model = path.join(dir, "credit");
  saveModel(await autoPipeline(gbdtClassifier({ maxIter: 5 })).fit(await readTable(fixture("credit-300.csv")), { target: "Status", threads: 1 }), model);
}, 120_000);

const feedbackLines = (folder: string) =>
  readdirSync(folder)
    .filter((f) => f.startsWith("feedback-"))
    .flatMap((f) => readFileSync(path.join(folder, f), "utf8").trim().split("\n"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("keel feedback", () => {
  it("CSV: the same records, in the same files, as POST /v2/models/{name}/feedback", async () => {
    const folder = path.join(dir, "log-csv");
    const s = await startServe({ models: [{ ref: model }], port: 0, logDir: folder });
    try {
      const res = await fetch(`${s.url}/v2/models/credit/feedback`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id: "from-route", label: "bad" }) });
      expect(res.status).toBe(200);
    } finally {
      await s.close();
    }
    const csv = path.join(dir, "labels.csv");
    writeFileSync(csv, "request_id,Status\nr-1,good\nr-2,bad\n3,good\n");
    const r = keel(["feedback", csv, "--model", "credit", "--id-column", "request_id", "--label-column", "Status", "--log-dir", folder]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3 labels stored/);
    const lines = feedbackLines(folder);
    expect(lines.map((l) => [l.id, l.model, l.label])).toEqual([
      ["from-route", "credit", "bad"],
      ["r-1", "credit", "good"],
      ["r-2", "credit", "bad"],
      ["3", "credit", "good"],
    ]);
    // one shape for both sources
    for (const l of lines) expect(Object.keys(l).sort()).toEqual(Object.keys(lines[0]).sort());
  }, 60_000);

  it("Parquet with a model column and numeric labels", async () => {
    const file = path.join(dir, "labels.parquet");
    await writeTable(Frame.fromColumns({ id: ["a", "b"], label: [1, 0], model: ["credit", "credit-next"] }), file);
    const folder = path.join(dir, "log-parquet");
    const r = keel(["feedback", file, "--log-dir", folder, "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ accepted: 2, where: folder });
    expect(feedbackLines(folder).map((l) => [l.id, l.model, l.label])).toEqual([
      ["a", "credit", 1],
      ["b", "credit-next", 0],
    ]);
  }, 60_000);

  it("a row without an id, a missing column or no model: an error naming it, nothing written", () => {
    const folder = path.join(dir, "log-bad");
    const csv = path.join(dir, "bad.csv");
    writeFileSync(csv, "id,label\nr-1,good\n,bad\n");
    const r = keel(["feedback", csv, "--model", "credit", "--log-dir", folder]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/row 2: column "id"/);
    expect(existsSync(folder)).toBe(false);
    const other = keel(["feedback", csv, "--model", "credit", "--label-column", "Status", "--log-dir", folder]);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(/no column "Status"/);
    const noModel = keel(["feedback", csv, "--log-dir", folder]);
    expect(noModel.code).not.toBe(0);
    expect(noModel.stderr).toMatch(/--model/);
    expect(existsSync(folder)).toBe(false);
  }, 60_000);

  const pg = process.env.KEEL_TEST_POSTGRES;
  (pg ? it : it.skip)("PostgreSQL store: rows in keel_feedback, as the route stores them (KEEL_TEST_POSTGRES)", async () => {
    const csv = path.join(dir, "pg.csv");
    const id = `cli-${Date.now()}`;
    writeFileSync(csv, `id,label\n${id},bad\n`);
    const r = keel(["feedback", csv, "--model", "credit", "--store", pg!]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const backend = (await openBackend(pg!)) as SqlBackend;
    try {
      const rows = await backend.sql.all<Record<string, unknown>>("SELECT request_id, model, label FROM keel_feedback WHERE request_id = ?", [id]);
      expect(rows).toEqual([{ request_id: id, model: "credit", label: '"bad"' }]);
    } finally {
      await backend.close();
    }
  }, 60_000);
});
