import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, keel } from "./run-cli.js";

const credit = fixture("credit-300.csv");
const tmp = mkdtempSync(path.join(os.tmpdir(), "keel-cli-"));

describe("keel profile", () => {
  it("prints a table and writes a self-contained HTML report", () => {
    const out = path.join(tmp, "p.html");
    const r = keel(["profile", credit, "--target", "Status", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/300 rows, 14 columns/);
    expect(r.stdout).toMatch(/target Status \(classification\): good \d+/);
    const html = readFileSync(out, "utf8");
    expect(html).toMatch(/<svg/);
    expect(html).not.toMatch(/<script src|https?:\/\//);
  });

  it("gives the JSON the issue asks for", () => {
    const r = keel(["profile", credit, "--target", "Status", "--json"]);
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(p.rows).toBe(300);
    const age = p.columns.find((c: { name: string }) => c.name === "Age");
    for (const k of ["name", "kind", "missing", "distinct", "mean", "std", "min", "max"]) expect(age).toHaveProperty(k);
    expect(p.duplicates).toHaveProperty("count");
    expect(p.target.name).toBe("Status");
    expect(p.target.classes.map((c: { value: string }) => c.value).sort()).toEqual(["bad", "good"]);
    expect(Array.isArray(p.warnings)).toBe(true);
  });

  it("fails in one line, with a non-zero exit, on a missing file, an unknown target, an empty or ragged file", () => {
    const cases: [string[], RegExp][] = [
      [["profile", path.join(tmp, "nope.csv")], /nope\.csv.*not found/],
      [["profile", credit, "--target", "Nope"], /target column "Nope" is not in the data/],
    ];
    writeFileSync(path.join(tmp, "empty.csv"), "");
    cases.push([["profile", path.join(tmp, "empty.csv")], /empty/]);
    writeFileSync(path.join(tmp, "ragged.csv"), "a,b\n1,2\n3,4,5\n");
    cases.push([["profile", path.join(tmp, "ragged.csv")], /ragged\.csv.*line 3/]);
    for (const [args, message] of cases) {
      const r = keel(args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe("keel schema keel-yaml", () => {
  it("prints keel.yaml's JSON Schema, the file Keel ships, or writes it with --out", () => {
    const shipped = readFileSync(path.resolve(import.meta.dirname, "../../schema/keel.yaml.schema.json"), "utf8");
    const r = keel(["schema", "keel-yaml"]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toBe(shipped);
    const out = path.join(tmp, "keel.yaml.schema.json");
    expect(keel(["schema", "keel-yaml", "--out", out]).code).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(shipped);
  });
});

describe("keel init", () => {
  it("writes keel.yaml with the schema line first and the --categorical / --text columns under data.types", () => {
    const dir = mkdtempSync(path.join(tmp, "init-"));
    const r = keel(["init", credit, "--target", "Status", "--dir", dir, "--categorical", "Seniority", "--text", "Job"]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(path.join(dir, "keel.yaml"), "utf8");
    const schemaFile = path.resolve(import.meta.dirname, "../../schema/keel.yaml.schema.json");
    expect(text.split("\n")[0]).toBe(`# yaml-language-server: $schema=${path.relative(dir, schemaFile)}`);
    expect(text).toMatch(/\n  types: \{ Seniority: categorical, Job: text \}/);
  });
});

describe("keel schema infer / validate", () => {
  it("infers a schema its own data passes, and fails changed data naming column and examples", () => {
    const schemaFile = path.join(tmp, "s.json");
    expect(keel(["schema", "infer", credit, "--out", schemaFile]).code).toBe(0);
    const ok = keel(["validate", credit, "--schema", schemaFile]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^OK/);
    const lines = readFileSync(credit, "utf8").trim().split("\n");
    lines[5] = lines[5].replace(/^"good",\d+/, '"good",-7');
    lines[9] = lines[9].replace(/^"(good|bad)"/, '"maybe"');
    const changed = path.join(tmp, "changed.csv");
    writeFileSync(changed, lines.join("\n") + "\n");
    const bad = keel(["validate", changed, "--schema", schemaFile]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL\s+Seniority\s+between\s+1\s+row 4: -7/);
    expect(bad.stdout).toMatch(/FAIL\s+Status\s+in_set\s+1\s+row 8: "maybe"/);
    const json = JSON.parse(keel(["validate", changed, "--schema", schemaFile, "--json"]).stdout);
    expect(json.ok).toBe(false);
  });

  it("refuses a schema that does not parse, naming the file", () => {
    const broken = path.join(tmp, "broken.json");
    writeFileSync(broken, "{ not json");
    const r = keel(["validate", credit, "--schema", broken]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.json: not valid JSON/);
  });
});

describe("keel --help", () => {
  it("shows an example for every command", () => {
    for (const cmd of [["profile"], ["schema", "infer"], ["validate"]]) {
      const r = keel([...cmd, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Examples?:\n\s+\$ keel /);
    }
  });
});
