/**
 * The exit-code table (src/cli/exit-codes.ts), run as a CI pipeline runs it: real `keel` child
 * processes on a real project. A model that fails its verdict exits 3 and never becomes
 * @challenger; keel.yaml's `register_failing: false` keeps it out of the registry altogether.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/errors.js";
import { EXIT, EXIT_MEANINGS, UsageError, exitCodeOf } from "../../src/cli/exit-codes.js";
import { fixture, keel } from "./run-cli.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "keel-cli-exit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function project(name: string, problemExtra: string, models: string): { dir: string; env: Record<string, string> } {
  const p = path.join(dir, name);
  mkdirSync(p);
  copyFileSync(fixture("credit-300.csv"), path.join(p, "credit.csv"));
  writeFileSync(
    path.join(p, "keel.yaml"),
    `name: credit\nproblem: { task: binary, target: Status, positive: bad, metric: roc_auc${problemExtra} }\ndata: { source: credit.csv }\nsplit: { test: 0.25, stratify: true, seed: 7 }\ncv: { folds: 2 }\nmodels: ${models}\n`,
  );
  return { dir: p, env: { KEEL_HOME: "", KEEL_STORE: path.join(p, "store.db"), MLFLOW_TRACKING_URI: "" } };
}

interface Summary {
  verdict: { goodEnough: boolean | null; beatsBaseline: boolean };
  registered: { name: string; version: string; alias: string | null; dir: string | null } | null;
}

describe("exit codes", () => {
  it("keel run: 0 and @challenger for a good model; 3 and no alias for one below the bar, whose version is still registered", () => {
    const p = project("gate", ", good_enough: 0.6", "[baseline, logistic]");
    const good = keel(["run", p.dir, "--json"], { env: p.env });
    expect(good.code, good.stderr).toBe(EXIT.ok);
    const s1 = JSON.parse(good.stdout) as Summary;
    expect(s1.verdict).toMatchObject({ goodEnough: true, beatsBaseline: true });
    expect(s1.registered).toMatchObject({ version: "1", alias: "challenger" });

    // a stricter bar and another model: runs to the end, registers v2 without the alias, exits 3
    writeFileSync(path.join(p.dir, "keel.yaml"), `name: credit\nproblem: { task: binary, target: Status, positive: bad, metric: roc_auc, good_enough: 0.999 }\ndata: { source: credit.csv }\nsplit: { test: 0.25, stratify: true, seed: 7 }\ncv: { folds: 2 }\nmodels: [dummy, { logistic: { C: 0.01 } }]\n`);
    const bad = keel(["run", p.dir, "--json"], { env: p.env });
    expect(bad.code, bad.stderr).toBe(EXIT.notGoodEnough);
    const s2 = JSON.parse(bad.stdout) as Summary;
    expect(s2.verdict.goodEnough).toBe(false);
    expect(s2.registered).toMatchObject({ version: "2", alias: null });
    const shown = keel(["models", "show", "credit", "--json"], { env: p.env });
    expect(shown.code, shown.stderr).toBe(EXIT.ok);
    const versions = (JSON.parse(shown.stdout) as { versions: { version: string; aliases: string[]; tags: { key: string; value: string }[] }[] }).versions;
    expect(versions.map((v) => [v.version, v.aliases])).toEqual([["2", []], ["1", ["challenger"]]]);
    expect(versions[0].tags).toContainEqual({ key: "keel.good_enough", value: "false" });
    const card = (s: Summary) => readFileSync(path.join(path.dirname(s.registered!.dir!), "model_card.md"), "utf8");
    expect(card(s2)).toMatch(/Eligible for promotion: \*\*no\*\* — registered without the `@challenger` alias/);
    expect(card(s1)).toMatch(/Eligible for promotion: yes/);

    // the text output says so too, with the same exit code
    const text = keel(["run", p.dir], { env: p.env });
    expect(text.code, text.stderr).toBe(EXIT.notGoodEnough);
    expect(text.stdout).toMatch(/verdict: NOT good enough/);
    expect(text.stdout).toMatch(/registered: credit version 2 without the @challenger alias/);
  });

  it("keel run: exit 3 for a model that does not beat the baseline, and nothing registered with register_failing: false", () => {
    const p = project("strict", ", register_failing: false", "[dummy]");
    const r = keel(["run", p.dir, "--json"], { env: p.env });
    expect(r.code, r.stderr).toBe(EXIT.notGoodEnough);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.verdict).toMatchObject({ goodEnough: null, beatsBaseline: false });
    expect(s.registered).toBeNull();
    const models = keel(["models", "list", "--json"], { env: p.env });
    expect(models.code, models.stderr).toBe(EXIT.ok);
    expect(JSON.parse(models.stdout)).toEqual([]);
    const text = keel(["run", p.dir], { env: p.env });
    expect(text.code).toBe(EXIT.notGoodEnough);
    expect(text.stdout).toMatch(/not registered: the model is not good enough/);
  });

  it("keel run: a wrong register_failing in keel.yaml is an error (1) naming the key and its line", () => {
    const p = project("badkey", ", register_failing: sometimes", "[baseline]");
    const r = keel(["run", p.dir], { env: p.env });
    expect(r.code).toBe(EXIT.failed);
    expect(r.stderr).toMatch(/keel\.yaml:2: problem\.register_failing is "sometimes", expected true or false/);
  });

  it("usage errors exit 2, errors and failed checks 1", () => {
    expect(keel(["runs", "list", "--max", "0"]).code).toBe(EXIT.usage);
    expect(keel(["train", fixture("credit-300.csv")]).code).toBe(EXIT.usage); // --target is required
    expect(keel(["profile", fixture("credit-300.csv"), "--no-such-option"]).code).toBe(EXIT.usage);
    expect(keel(["gc", "--older-than", "soon", "--store", path.join(dir, "gc.db")]).code).toBe(EXIT.usage);
    expect(keel([]).code).toBe(EXIT.usage); // no command at all
    expect(keel(["runs"]).code).toBe(EXIT.usage); // a group without its subcommand
    const help = keel(["--help"]);
    expect(help.code).toBe(EXIT.ok);
    for (const m of EXIT_MEANINGS) expect(help.stdout).toContain(`${String(m.code).padStart(2)}  ${m.meaning}`);
    const missing = keel(["profile", path.join(dir, "nope.csv")]);
    expect(missing.code).toBe(EXIT.failed);
    expect(missing.stderr).toMatch(/^keel: error: .*nope\.csv/);
  });

  it("maps errors to codes in one place, and documents every code", () => {
    expect(exitCodeOf(new UsageError("bad flag"))).toBe(2);
    expect(exitCodeOf(new InvalidInputError("bad value"))).toBe(1);
    expect(exitCodeOf(new TypeError("a bug"))).toBe(70);
    expect(EXIT_MEANINGS.map((m) => m.code)).toEqual([0, 1, 2, 3, 70]);
    expect(new Set(Object.values(EXIT))).toEqual(new Set(EXIT_MEANINGS.map((m) => m.code)));
  });
});
