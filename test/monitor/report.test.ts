import { describe, expect, it } from "vitest";
import { categorical } from "../../src/data/column.js";
import { type ColumnInput, Frame } from "../../src/data/frame.js";
import { dataDrift, dataQuality, driftReportToHtml, qualityReference } from "../../src/monitor/index.js";
import { sample, uniforms } from "./reference.js";

/** 10 columns: 6 numeric, 2 low-cardinality categorical, 1 with 3,000 categories, 1 boolean-like numeric. */
function tenColumns(n: number, seed: number, shift: number): Frame {
  const cols: Record<string, ColumnInput> = {};
  for (let j = 0; j < 6; j++) cols[`num_${j}`] = sample({ kind: "bell", seed: seed + j, n, shift: j % 2 ? shift : 0 });
  const u = uniforms(seed + 50, n);
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = Math.floor(u[i] * (shift ? 4 : 3));
  cols.cat_small = categorical(codes, ["a", "b", "c", "d"]);
  cols["<b>tricky</b> & \"name\""] = categorical(codes.map((c) => c % 2), ["x<y", "y&z"]);
  const many = Array.from({ length: 3000 }, (_, i) => `cat-${i}`);
  const manyCodes = new Int32Array(n);
  const v = uniforms(seed + 60, n);
  for (let i = 0; i < n; i++) manyCodes[i] = Math.floor(v[i] * 3000);
  cols.cat_many = categorical(manyCodes, many);
  cols.flag = sample({ kind: "ints", seed: seed + 70, n, levels: 2 });
  return Frame.fromColumns(cols);
}

function reportFor(nRef: number, nCur: number): string {
  const ref = tenColumns(nRef, 1, 0);
  const cur = tenColumns(nCur, 101, 0.3);
  const drift = dataDrift(ref, cur);
  const quality = dataQuality(Object.fromEntries(ref.names.map((c) => [c, qualityReference(ref.column(c))])), cur);
  return driftReportToHtml(drift, quality, { referenceName: "ref.parquet", currentName: "cur.parquet", generatedAt: new Date(0) });
}

describe("HTML drift report", () => {
  it("stays ≤ 2 MB for 10 columns whatever the row count: the same size at 2,000 and 400,000 rows", () => {
    const small = reportFor(2_000, 1_500);
    const large = reportFor(400_000, 300_000);
    const bytes = (s: string) => Buffer.byteLength(s, "utf8");
    expect(bytes(large)).toBeLessThan(2 * 1024 * 1024);
    // only digits in numbers and labels change with the rows
    expect(Math.abs(bytes(large) - bytes(small))).toBeLessThan(0.1 * bytes(small));
    expect((large.match(/<svg /g) ?? []).length).toBe(10);
  });

  it("is self-contained, puts the summary first and escapes names", () => {
    const html = reportFor(3_000, 2_000);
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', "")).not.toMatch(/https?:\/\//);
    const verdict = html.indexOf('class="verdict');
    const table = html.indexOf("<h2>Columns</h2>");
    const quality = html.indexOf("<h2>Data quality</h2>");
    const perColumn = html.indexOf("<h2>Per column</h2>");
    expect(verdict).toBeGreaterThan(0);
    expect(verdict < table && table < quality && quality < perColumn).toBe(true);
    expect(html).toMatch(/Dataset drift detected|No dataset drift/);
    expect(html).not.toContain("<b>tricky</b>");
    expect(html).toContain("&lt;b&gt;tricky&lt;/b&gt; &amp; &quot;name&quot;");
    expect(html).toContain("x&lt;y");
    // thousands of categories draw as the 20 largest plus "other (n)"
    expect(html).toMatch(/other \(\d{4}\)/);
  });
});
