/**
 * Lists the exports of a module, following re-exports to their declarations, and reports each one
 * without a TSDoc description and each callable one (function, class, or a constant whose type has a
 * call or construct signature, such as an estimator factory) without an `@example` block.
 */
import ts from "typescript";

/** One export that falls short of the rule. */
export interface ExportProblem {
  name: string;
  missing: "tsdoc" | "example";
  /** Where the export is declared, `path:line`. */
  at: string;
}

/** What `auditExports` found. */
export interface ExportAudit {
  /** Every export name of the entry module, sorted. */
  checked: string[];
  /** The names that are callable (and so need an `@example`). */
  callable: string[];
  problems: ExportProblem[];
}

function docsOf(declaration: ts.Declaration): ts.JSDoc[] {
  return ts.getJSDocCommentsAndTags(declaration).filter((node): node is ts.JSDoc => ts.isJSDoc(node));
}

function commentText(comment: ts.JSDoc["comment"]): string {
  if (comment === undefined) return "";
  if (typeof comment === "string") return comment;
  return comment.map((part) => part.text).join("");
}

function isCallable(checker: ts.TypeChecker, symbol: ts.Symbol, declaration: ts.Declaration): boolean {
  if (symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class)) return true;
  if (!(symbol.flags & ts.SymbolFlags.Variable)) return false;
  const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
  return type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0;
}

function where(declaration: ts.Declaration): string {
  const file = declaration.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(declaration.getStart());
  return `${file.fileName}:${line + 1}`;
}

/** Audits every export of `entryFile` (a root of `program`) for TSDoc and, on callables, `@example`. */
export function auditExports(program: ts.Program, entryFile: string): ExportAudit {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entryFile);
  if (source === undefined) throw new Error(`${entryFile} is not part of the program`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) throw new Error(`${entryFile} is not a module (it exports nothing)`);
  const checked: string[] = [];
  const callable: string[] = [];
  const problems: ExportProblem[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const name = exported.getName();
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declarations = symbol.declarations ?? [];
    checked.push(name);
    const first = declarations[0];
    if (first === undefined) {
      problems.push({ name, missing: "tsdoc", at: "(no declaration)" });
      continue;
    }
    const docs = declarations.flatMap(docsOf);
    if (!docs.some((doc) => commentText(doc.comment).trim() !== "")) {
      problems.push({ name, missing: "tsdoc", at: where(first) });
    }
    if (declarations.some((declaration) => isCallable(checker, symbol, declaration))) {
      callable.push(name);
      const hasExample = docs.some((doc) => (doc.tags ?? []).some((tag) => tag.tagName.text === "example"));
      if (!hasExample) problems.push({ name, missing: "example", at: where(first) });
    }
  }
  checked.sort();
  callable.sort();
  const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  problems.sort((a, b) => order(a.name, b.name) || order(a.missing, b.missing));
  return { checked, callable, problems };
}

/** A program over the project's `tsconfig.json`, rooted at `entryFile` only (its imports come along). */
export function projectProgram(tsconfigPath: string, entryFile: string): ts.Program {
  const config = ts.readConfigFile(tsconfigPath, ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, tsconfigPath.replace(/[^/]*$/, ""));
  return ts.createProgram({ rootNames: [entryFile], options: { ...parsed.options, noEmit: true } });
}

/** One `@example` block of an export: the code inside its fence (or the whole tag text without one). */
export interface ExportExample {
  name: string;
  code: string;
}

/** Every `@example` block on the exports of `entryFile`, in export order. */
export function collectExamples(program: ts.Program, entryFile: string): ExportExample[] {
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entryFile)!)!;
  const examples: ExportExample[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    for (const doc of (symbol.declarations ?? []).flatMap(docsOf)) {
      for (const tag of doc.tags ?? []) {
        if (tag.tagName.text !== "example") continue;
        const text = commentText(tag.comment);
        const fenced = /```(?:ts|typescript)?\n([\s\S]*?)```/.exec(text);
        examples.push({ name: exported.getName(), code: (fenced ? fenced[1]! : text).trim() });
      }
    }
  }
  return examples;
}

/**
 * A TypeScript module holding each example as the body of its own async function, importing every
 * export of `entrySpecifier` by name (values with `import`, types with `import type`), after
 * `prelude` (declarations of the names examples may use without defining them).
 */
export function examplesModule(program: ts.Program, entryFile: string, entrySpecifier: string, prelude = ""): string {
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entryFile)!)!;
  const values: string[] = [];
  const types: string[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    (symbol.flags & ts.SymbolFlags.Value ? values : types).push(exported.getName());
  }
  const header = [
    `import { ${values.join(", ")} } from ${JSON.stringify(entrySpecifier)};`,
    `import type { ${types.join(", ")} } from ${JSON.stringify(entrySpecifier)};`,
    prelude,
  ];
  const bodies = collectExamples(program, entryFile).map((example, i) => {
    const code = example.code.split("\n").filter((line) => !/^import\s/.test(line));
    return [`// ${example.name}`, `export async function example${i}(): Promise<void> {`, ...code.map((l) => `  ${l}`), "}"].join("\n");
  });
  return [...header, ...bodies, ""].join("\n");
}
