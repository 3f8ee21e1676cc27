/** How values are shown: numbers to 4 significant digits, local times as `YYYY-MM-DD hh:mm:ss`, sizes in KiB/MiB. */

/** A metric value: 4 significant digits, integers as they are, non-finite spelled out. */
export function fmtNum(v: number | undefined | null, digits = 4): string {
  if (v === undefined || v === null) return "—";
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return v.toLocaleString("en-US");
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e7)) return v.toExponential(digits - 1);
  return Number(v.toPrecision(digits)).toString();
}

/** Local time as `2026-12-06 22:26:05`: compact, unambiguous, sorts as text. */
export function fmtTime(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms) || ms <= 0) return "—";
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** A duration in ms as "1.2 s", "3 min 4 s", "2 h 5 min". */
export function fmtDuration(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${m - h * 60} min`;
}

export function fmtBytes(n: number | undefined): string {
  if (n === undefined) return "";
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** A hash shortened for tables (the full value in a title). */
export function shortHash(h: string | undefined | null, n = 12): string {
  if (!h) return "—";
  return h.length > n ? h.slice(0, n) : h;
}

/** A dataset source as MLflow stores it (often JSON such as `{"uri": "..."}`): its URI or path when it has one. */
export function sourceText(source: string | undefined | null): string {
  if (!source) return "";
  try {
    const o = JSON.parse(source) as Record<string, unknown>;
    const v = o.uri ?? o.path ?? o.url;
    return typeof v === "string" ? v : source;
  } catch {
    return source;
  }
}
