import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, keel } from "./run-cli.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "keel-train-"));
const lines = readFileSync(fixture("credit-300.csv"), "utf8").trim().split("\n");
const header = lines[0];
const trainFile = path.join(tmp, "train.csv");
const testFile = path.join(tmp, "test.csv");
writeFileSync(trainFile, [header, ...lines.slice(1, 221)].join("\n") + "\n");
writeFileSync(testFile, [header, ...lines.slice(221)].join("\n") + "\n");
const modelDir = path.join(tmp, "model");

const readCsv = (file: string) => readFileSync(file, "utf8").trim().split("\n").map((l) => l.split(","));

describe("keel train", () => {
  it("cross-validates, tests, saves, and prints the JSON the issue asks for", () => {
    const r = keel(["train", trainFile, "--target", "Status", "--model", "logistic", "--cv", "3", "--test", testFile, "--out", modelDir, "--threads", "1", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.task).toBe("binary");
    expect(j.model).toBe("logistic");
    expect(j.fitSeconds).toBeGreaterThan(0);
    for (const m of ["roc_auc", "log_loss", "accuracy", "f1"]) {
      expect(j.metrics[m]).toBeTypeOf("number");
      expect(j.cv.mean[m]).toBeTypeOf("number");
      expect(j.cv.std[m]).toBeTypeOf("number");
    }
    expect(j.cv.folds).toHaveLength(3);
    expect(j.metrics.roc_auc).toBeGreaterThan(0.6);
  });

  it("infers regression from a numeric target and reports regression metrics", () => {
    const r = keel(["train", trainFile, "--target", "Amount", "--model", "ridge", "--cv", "3", "--threads", "1", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.task).toBe("regression");
    expect(Object.keys(j.metrics)).toEqual(expect.arrayContaining(["rmse", "mae", "r2"]));
  });

  it("names what is wrong: target, constant target, model, --set key and value", () => {
    const constant = path.join(tmp, "constant.csv");
    writeFileSync(constant, "a,y\n1,x\n2,x\n3,x\n");
    const cases: [string[], RegExp][] = [
      [["train", trainFile, "--target", "Nope"], /target column "Nope" is not in/],
      [["train", constant, "--target", "y"], /target column "y" has one value only/],
      [["train", trainFile, "--target", "Status", "--model", "magic"], /unknown model "magic"/],
      [["train", trainFile, "--target", "Status", "--model", "logistic", "--set", "Cee=2"], /unknown parameter "Cee" for logistic \(did you mean "C"\?\)/],
      [["train", trainFile, "--target", "Status", "--model", "logistic", "--set", "C=big"], /parameter "C" of logistic: got "big", expected a number/],
      [["train", trainFile, "--target", "Status", "--model", "ridge"], /model "ridge" does regression only/],
    ];
    for (const [args, message] of cases) {
      const r = keel(args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe("keel predict", () => {
  it("writes one row per input row, in input order, with prediction and proba_<class> columns", () => {
    const out = path.join(tmp, "preds.csv");
    const r = keel(["predict", modelDir, testFile, "--out", out]);
    expect(r.code).toBe(0);
    const rows = readCsv(out);
    expect(rows[0]).toEqual(["prediction", "proba_bad", "proba_good"]);
    expect(rows).toHaveLength(lines.length - 221 + 1);
    for (const row of rows.slice(1)) {
      const [pred, pb, pg] = [row[0], Number(row[1]), Number(row[2])];
      expect(pb + pg).toBeCloseTo(1, 9);
      expect(pred).toBe(pg >= pb ? "good" : "bad");
    }
    // the same rows reversed give the same predictions reversed
    const reversed = path.join(tmp, "reversed.csv");
    writeFileSync(reversed, [header, ...lines.slice(221).reverse()].join("\n") + "\n");
    const r2 = keel(["predict", modelDir, reversed]);
    expect(r2.code).toBe(0);
    const back = r2.stdout.trim().split("\n").slice(1).reverse();
    expect(back).toEqual(rows.slice(1).map((x) => x.join(",")));
  });

  it("refuses unknown and missing columns and text where numbers belong, naming them", () => {
    const extra = path.join(tmp, "extra.csv");
    writeFileSync(extra, [header + ",Zodiac", ...lines.slice(221, 230).map((l) => l + ",leo")].join("\n") + "\n");
    const missing = path.join(tmp, "missing.csv");
    writeFileSync(missing, lines.slice(221, 230).map((l) => l.split(",").slice(0, -1).join(",")).join("\n").replace(/^/, header.split(",").slice(0, -1).join(",") + "\n") + "\n");
    const text = path.join(tmp, "text.csv");
    writeFileSync(text, [header, ...lines.slice(221, 230).map((l, i) => (i === 3 ? l.replace(/^("\w+"),\d+/, '$1,"twelve"') : l))].join("\n") + "\n");
    const cases: [string, RegExp][] = [
      [extra, /column "Zodiac" was not seen in training/],
      [missing, /missing column "Price"/],
      [text, /column "Seniority" row 3: "twelve" is not a number/],
    ];
    for (const [file, message] of cases) {
      const r = keel(["predict", modelDir, file]);
      expect(r.code, file).toBe(1);
      expect(r.stderr).toMatch(message);
    }
    const r = keel(["predict", path.join(tmp, "no-model"), testFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/model ".*no-model" does not exist/);
  });
});

describe("keel train with the tree models", () => {
  const cases: [string, string][] = [
    ["tree", "maxDepth=4,minSamplesLeaf=5,criterion=entropy"],
    ["forest", "nEstimators=20,maxFeatures=0.5,oobScore=true"],
    ["extra-trees", "nEstimators=20,maxDepth=6"],
    ["gbdt", "maxIter=30,learningRate=0.1,maxLeaves=15,minSamplesLeaf=10,maxBins=63"],
  ];
  for (const [model, set] of cases) {
    it(`${model}: --set and --categorical reach the model, which saves and predicts`, () => {
      const dir = path.join(tmp, `model-${model}`);
      // Seniority is read as a category: gbdt splits it natively, the others one-hot encode it.
      const r = keel(["train", trainFile, "--target", "Status", "--model", model, "--set", set, "--categorical", "Seniority", "--test", testFile, "--out", dir, "--threads", "1", "--json"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.model).toBe(model);
      for (const [k, v] of set.split(",").map((kv) => kv.split("="))) expect(String(j.params[k])).toBe(v);
      expect(j.test.metrics.roc_auc).toBeGreaterThan(0.6);
      // the model step itself received Seniority as a categorical column
      const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
      const modelStep = manifest.root.children.step1 ?? manifest.root.children.step2;
      const seniority = modelStep.signature.inputs.find((c: { name: string }) => c.name === "Seniority" || c.name.startsWith("cat__Seniority_"));
      expect(seniority, JSON.stringify(modelStep.signature.inputs.map((c: { name: string }) => c.name))).toBeDefined();
      if (model === "gbdt") expect(seniority.categories.length).toBeGreaterThan(20);
      const p = keel(["predict", dir, testFile]);
      expect(p.code).toBe(0);
      const out = p.stdout.trim().split("\n");
      expect(out[0]).toBe("prediction,proba_bad,proba_good");
      expect(out).toHaveLength(lines.length - 221 + 1);
    });
  }

  it("names a parameter of the wrong model", () => {
    const r = keel(["train", trainFile, "--target", "Status", "--model", "forest", "--set", "maxLeaves=31"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown parameter "maxLeaves" for forest/);
  });
});
