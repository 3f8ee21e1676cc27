/**
 * How the CLI talks: tables for people, `--json` for machines, one clear line for user errors
 * (never a stack trace for a mistake), a stack only for Keel's own bugs.
 */
import { isKeelError, type Problem } from "../core/index.js";
import { exitCodeOf, isUsageError } from "./exit-codes.js";

export type Cell = string | number | boolean | null | undefined;

/** Format a number for a table: integers as they are, others to 4 significant digits. */
export function fmt(v: Cell, digits = 4): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "NaN";
    if (Number.isInteger(v)) return v.toLocaleString("en-US");
    const a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(digits - 1);
    return Number(v.toPrecision(digits)).toString();
  }
  return String(v);
}

/** A plain-text table: header, rule, rows; numbers right-aligned. */
export function table(rows: readonly Record<string, Cell>[], columns?: readonly string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => cols.map((c) => fmt(r[c])));
  // right-align columns of numbers (and of number-like values such as dates)
  const numeric = cols.map((c) => rows.length > 0 && rows.some((r) => typeof r[c] === "number") && rows.every((r) => r[c] === null || r[c] === undefined || typeof r[c] === "number" || /^-?\d/.test(String(r[c]))));
  const widths = cols.map((c, j) => Math.min(48, Math.max(c.length, ...cells.map((row) => row[j].length))));
  const pad = (s: string, j: number) => {
    const t = s.length > widths[j] ? s.slice(0, widths[j] - 1) + "…" : s;
    return numeric[j] ? t.padStart(widths[j]) : t.padEnd(widths[j]);
  };
  const lines = [cols.map((c, j) => pad(c, j)).join("  "), widths.map((w) => "─".repeat(w)).join("  ")];
  for (const row of cells) lines.push(row.map((s, j) => pad(s, j)).join("  ").trimEnd());
  return lines.join("\n");
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2) + "\n");
}

/** The `--json` form of an error: `{"error": {"code", "message", "problems"}}` (problems never empty). */
export function errorJson(code: string, message: string, problems: readonly Problem[] = []): { error: { code: string; message: string; problems: Problem[] } } {
  return { error: { code, message, problems: problems.length > 0 ? [...problems] : [{ code, path: "", message }] } };
}

/**
 * Print an error the way a user (or, with `json`, a program) should see it; returns its exit
 * code (exit-codes.ts). A bug prints its stack on stderr either way.
 */
export function reportError(e: unknown, json = false): number {
  const code = exitCodeOf(e);
  if (isKeelError(e)) {
    if (json) {
      printJson(errorJson(isUsageError(e) ? "USAGE" : e.code, e.message, e.problems.length > 0 ? e.problems : [e.toProblem()]));
      return code;
    }
    process.stderr.write(`keel: error: ${e.message}\n`);
    if (e.problems.length > 1) {
      for (const p of e.problems.slice(0, 20)) process.stderr.write(`  - ${p.path ? `${p.path}: ` : ""}${p.message}\n`);
      if (e.problems.length > 20) process.stderr.write(`  … ${e.problems.length - 20} more\n`);
    }
    return code;
  }
  const err = e as Error;
  if (json) printJson(errorJson("INTERNAL", `internal error (a bug in Keel; please report it): ${err?.message ?? String(e)}`));
  process.stderr.write(`keel: internal error (a bug in Keel; please report it): ${err?.stack ?? String(e)}\n`);
  return code;
}
