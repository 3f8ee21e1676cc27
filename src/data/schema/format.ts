/**
 * A validation report as a plain-text table for terminals: one line per failed expectation
 * naming the column, the expectation, the failing rows and examples, then a summary line.
 */
import { show } from "../../core/index.js";
import type { ValidationReport } from "./types.js";

/**
 * Render the failed (and, with `all: true`, every) expectation of a report as an aligned table.
 * Row numbers count from 0.
 * @example
 * ```ts
 * console.log(formatValidationReport(validate(frame, schema)));
 * ```
 */
export function formatValidationReport(report: ValidationReport, options: { all?: boolean } = {}): string {
  const rows = report.results.filter((r) => options.all || (!r.pass && !r.skipped));
  const table: string[][] = [["status", "column", "expectation", "failing rows", "examples"]];
  for (const r of rows) {
    const status = r.pass ? "ok" : r.skipped ? "skipped" : "FAIL";
    const ex = r.examples.map((e) => `row ${e.row}: ${show(e.value, 30)}`).join("; ");
    table.push([status, r.column ?? "(frame)", r.expectation, r.pass || r.skipped ? "" : String(r.failingRows), ex || (r.pass ? "" : r.message)]);
  }
  const widths = table[0].map((_, j) => Math.min(j === 4 ? 80 : 32, Math.max(...table.map((row) => row[j].length))));
  const line = (row: string[]) => row.map((c, j) => (c.length > widths[j] ? `${c.slice(0, widths[j] - 1)}…` : c.padEnd(widths[j]))).join("  ").trimEnd();
  const s = report.summary;
  const summary = `${report.ok ? "OK" : "FAILED"}: ${s.passed} of ${s.expectations} expectations passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} not checked` : ""} (${report.rows} rows)`;
  if (rows.length === 0) return summary;
  return [line(table[0]), ...table.slice(1).map(line), "", summary].join("\n");
}
