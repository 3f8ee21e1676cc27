import { describe, expect, it } from "vitest";
import path from "node:path";
import ts from "typescript";
import { auditExports, collectExamples, examplesModule, projectProgram } from "./tsdoc-audit.js";

const root = path.resolve(import.meta.dirname, "../..");
const entry = path.join(root, "src/index.ts");

/** A program over in-memory files (name → text), rooted at `/m/index.ts`. */
function memoryProgram(files: Record<string, string>): ts.Program {
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, strict: true, noLib: true, types: [] };
  const host = ts.createCompilerHost(options);
  host.fileExists = (f) => f in files;
  host.directoryExists = (d) => Object.keys(files).some((f) => f.startsWith(`${d}/`));
  host.getCurrentDirectory = () => "/m";
  host.readFile = (f) => files[f];
  host.getSourceFile = (f, target) => (f in files ? ts.createSourceFile(f, files[f]!, target, true) : undefined);
  return ts.createProgram({ rootNames: ["/m/index.ts"], options, host });
}

describe("the TSDoc audit", () => {
  const program = memoryProgram({
    "/m/index.ts": [
      `export * from "./a.js";`,
      `export { undocumentedFn as renamed, documentedFn } from "./b.js";`,
      `/** Documented, with an example.\n * @example\n * \`\`\`ts\n * const n = add(1, 2);\n * \`\`\`\n */`,
      `export function add(a: number, b: number): number { return a + b; }`,
    ].join("\n"),
    "/m/a.ts": [
      `/** A documented interface. */ export interface Documented { x: number }`,
      `export interface Bare { x: number }`,
      `export type Alias = string;`,
      `/** A documented constant that is not callable. */ export const LIMIT = 3;`,
      `/** A factory held in a constant: callable, so it needs an example. */`,
      `export const factory = (n: number) => ({ n });`,
      `/** A class without an example. */ export class Thing { constructor(readonly n: number) {} }`,
      `export declare function overloaded(a: string): string;`,
      `/** The second overload's comment counts.\n * @example\n * \`\`\`ts\n * overloaded(1);\n * \`\`\`\n */`,
      `export declare function overloaded(a: number): number;`,
    ].join("\n"),
    "/m/b.ts": [
      `export function undocumentedFn(): void {}`,
      `/** Has a description only. */ export function documentedFn(): void {}`,
    ].join("\n"),
  });

  it("names each export without TSDoc and each callable one without @example, through re-exports", () => {
    const audit = auditExports(program, "/m/index.ts");
    expect(audit.checked).toEqual(["Alias", "Bare", "Documented", "LIMIT", "Thing", "add", "documentedFn", "factory", "overloaded", "renamed"]);
    expect(audit.callable).toEqual(["Thing", "add", "documentedFn", "factory", "overloaded", "renamed"]);
    expect(audit.problems.map((p) => `${p.name}: ${p.missing}`)).toEqual([
      "Alias: tsdoc",
      "Bare: tsdoc",
      "Thing: example",
      "documentedFn: example",
      "factory: example",
      "renamed: example",
      "renamed: tsdoc",
    ]);
    expect(audit.problems.find((p) => p.name === "renamed")!.at).toBe("/m/b.ts:1");
  });

  it("collects the code inside each @example fence", () => {
    expect(collectExamples(program, "/m/index.ts")).toEqual([
      { name: "add", code: "const n = add(1, 2);" },
      { name: "overloaded", code: "overloaded(1);" },
    ]);
  });
});

describe("keel's public surface", () => {
  const program = projectProgram(path.join(root, "tsconfig.json"), entry);

  it("documents every export of src/index.ts, with an @example on each callable one", () => {
    const audit = auditExports(program, entry);
    expect(audit.checked.length).toBeGreaterThan(900);
    expect(audit.problems.map((p) => `${p.name}: ${p.missing} (${p.at.replace(root + "/", "")})`)).toEqual([]);
  });

  // Examples may use what a reader has at hand without defining it: the names below, typed, and any
  // other undeclared name (an error type, so only "cannot find name" errors are allowed) — every
  // call to Keel's exports must type-check.
  const PRELUDE = [
    `import { appendFileSync, readFileSync, statSync, writeFileSync } from "node:fs";`,
    `import type { FastifyInstance } from "fastify";`,
    ...["frame", "train", "test", "current", "reference", "rows"].map((n) => `declare const ${n}: Frame;`),
    `declare const model: Classifier;`,
    `declare const fitted: Fitted;`,
    `declare const store: TrackingStore;`,
    `declare const tracking: TrackingStore;`,
    `declare const registry: RegistryStore;`,
    `declare const stores: { registry: RegistryStore; tracking: TrackingStore };`,
    `declare const reader: PredictionLogReader;`,
    `declare const records: LoggedPrediction[];`,
    `declare const record: PredictionRecord;`,
    `declare const monitoring: ModelMonitoring;`,
    `declare const study: Study;`,
    `declare const trial: Trial;`,
    `declare const run: ActiveRun;`,
    `declare const problem: PromotionProblem;`,
    `declare const job: ScoreJob;`,
    `declare const sql: SqlDriver;`,
    `declare const state: ServeState;`,
    `declare const live: ServedModel;`,
    `declare const app: FastifyInstance;`,
    `declare const body: any;`,
  ].join("\n");
  const FREE_NAME = new Set([2304, 2552, 2582, 2593, 18004]);
  it("type-checks every @example against the package's exports", () => {
    const examplesFile = path.join(root, "test/api/__examples__.ts");
    const text = examplesModule(program, entry, "../../src/index.js", PRELUDE);
    // Type-only exports are imported with `import type`; classes exported with `export type` are not
    // told apart, so the examples module relaxes verbatimModuleSyntax (it is never emitted).
    const options = { ...program.getCompilerOptions(), verbatimModuleSyntax: false, isolatedModules: false };
    const host = ts.createCompilerHost(options);
    const { getSourceFile, fileExists, readFile } = host;
    host.fileExists = (f) => f === examplesFile || fileExists(f);
    host.readFile = (f) => (f === examplesFile ? text : readFile(f));
    host.getSourceFile = (f, target, ...rest) => (f === examplesFile ? ts.createSourceFile(f, text, target, true) : getSourceFile(f, target, ...rest));
    const checked = ts.createProgram({ rootNames: [entry, examplesFile], options, host, oldProgram: program });
    const source = checked.getSourceFile(examplesFile)!;
    const lines = text.split("\n");
    const diagnostics = checked.getSemanticDiagnostics(source).concat(checked.getSyntacticDiagnostics(source));
    const errors = diagnostics.filter((d) => !FREE_NAME.has(d.code)).map((d) => {
      const line = source.getLineAndCharacterOfPosition(d.start ?? 0).line;
      let owner = line;
      while (owner > 0 && !lines[owner]!.startsWith("// ")) owner--;
      return `${lines[owner]!.slice(3)}: ${lines[line]!.trim()} — ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
    expect(errors).toEqual([]);
  });
});
