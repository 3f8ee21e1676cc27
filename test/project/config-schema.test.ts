import { readFileSync } from "node:fs";
import path from "node:path";
import AjvModule from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { Frame } from "../../src/data/frame.js";
import { profile } from "../../src/data/profile/index.js";
import { keelYamlJsonSchema, keelYamlJsonSchemaText, keelYamlSchemaPath } from "../../src/project/config-schema.js";
import { parseProjectText } from "../../src/project/config.js";
import { initProjectYaml, schemaLine } from "../../src/project/init.js";

const root = path.resolve(import.meta.dirname, "../..");
const Ajv = (AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule;
const ajv = new (Ajv as unknown as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null } })({ allErrors: true, strict: false });
const validateYaml = ajv.compile(JSON.parse(readFileSync(keelYamlSchemaPath(), "utf8")));

describe("keel.yaml's JSON Schema", () => {
  it("is the committed file, generated from the Zod schema (regenerate: keel schema keel-yaml --out schema/keel.yaml.schema.json)", () => {
    expect(readFileSync(path.join(root, "schema/keel.yaml.schema.json"), "utf8")).toBe(keelYamlJsonSchemaText());
    expect(keelYamlJsonSchema()).toMatchObject({ $schema: "http://json-schema.org/draft-07/schema#", type: "object", additionalProperties: false, required: ["name", "problem", "data"] });
  });

  it("accepts the examples' keel.yaml, which also parse", () => {
    for (const example of ["credit", "flights"]) {
      const text = readFileSync(path.join(root, "examples", example, "keel.yaml"), "utf8");
      expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=../../schema/keel.yaml.schema.json");
      expect(validateYaml(parse(text)), `${example}: ${JSON.stringify(validateYaml.errors)}`).toBe(true);
      expect(parseProjectText(text).problems).toEqual([]);
    }
  });

  it("refuses what the parser refuses: unknown keys, out-of-range numbers, wrong types, empty model lists", () => {
    const base = parse(readFileSync(path.join(root, "examples/credit/keel.yaml"), "utf8"));
    const bad = [
      { ...base, extra: 1 },
      { ...base, problem: { ...base.problem, wyh: "x" } },
      { ...base, cv: { folds: 1 } },
      { ...base, split: { ...base.split, test: 1 } },
      { ...base, problem: { ...base.problem, task: "binery" } },
      { ...base, models: [] },
      { ...base, models: ["gbdt", { a: {}, b: {} }] },
      { ...base, data: { ...base.data, drop: "x" } },
    ];
    for (const doc of bad) {
      expect(validateYaml(doc), JSON.stringify(doc)).toBe(false);
      expect(parseProjectText(JSON.stringify(doc)).problems.length, JSON.stringify(doc)).toBeGreaterThan(0);
    }
  });

  it("keel init's first line points editors at it, relative to the folder keel.yaml is written to", () => {
    expect(schemaLine(path.join(root, "examples/credit"))).toBe("# yaml-language-server: $schema=../../schema/keel.yaml.schema.json");
    const f = Frame.fromColumns({ x: Array.from({ length: 60 }, (_, i) => (i * 7) % 11), y: Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? "a" : "b")) });
    const text = initProjectYaml(f, profile(f, { target: "y" }), { source: "d.csv", target: "y", dir: root });
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=schema/keel.yaml.schema.json");
    expect(validateYaml(parse(text)), JSON.stringify(validateYaml.errors)).toBe(true);
  });
});
