import { describe, expect, it } from "vitest";
import { Frame } from "../../../src/data/frame.js";
import { profile, profileToHtml } from "../../../src/data/profile/index.js";
import { creditFrame } from "./fixture.js";

describe("profileToHtml", () => {
  const planted = '<script>alert("x")</script>';
  const evilName = '"><img src=x onerror=alert(1)>';
  const n = 60;
  const frame = Frame.fromColumns({
    label: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? planted : i % 3 === 1 ? "plain" : "A & B")),
    [evilName]: Float64Array.from({ length: n }, (_, i) => (i * 37) % 11),
    when: Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i))),
    y: Array.from({ length: n }, (_, i) => (i % 4 === 0 ? "yes" : "no")),
  });
  const p = profile(frame, { target: "y" });
  const html = profileToHtml(p, { title: "<b>report</b>" });

  it("is one self-contained page: no scripts, no URLs", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toMatch(/<\/html>$/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<[a-z][^>]*\ssrc\s*=/i); // no element loads anything
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain("<svg");
  });

  it("escapes every string from the data", () => {
    expect(html).not.toContain(planted);
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).not.toContain("<img");
    expect(html).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain("A &amp; B");
    expect(html).toContain("&lt;b&gt;report&lt;/b&gt;");
    expect(html).not.toContain("<b>report</b>");
  });

  it("shows the summary, warnings first, charts and every column", () => {
    const c = creditFrame();
    const q = profile(c, { target: "Status" });
    const page = profileToHtml(q);
    const warnAt = page.indexOf('id="warnings"');
    expect(warnAt).toBeGreaterThan(0);
    expect(warnAt).toBeLessThan(page.indexOf('id="columns"'));
    expect(page).toContain("DUPLICATE_ROWS");
    expect(page).toContain("Pearson r");
    expect(page).toContain("Spearman ρ");
    expect(page).toContain("Cramér&#39;s V");
    expect(page).toContain("Single-feature predictive power");
    for (const name of c.names) expect(page).toContain(`<h3>${name}</h3>`);
    // one histogram per numeric column
    const numericCols = q.columns.filter((x) => x.kind === "numeric").length;
    expect(page.match(/aria-label="histogram"/g)!.length).toBe(numericCols);
    // three heat maps
    expect(page.match(/aria-label="correlation heat map"/g)!.length).toBe(3);
  });
});
