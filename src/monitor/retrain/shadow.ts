/**
 * The shadow phase of a challenger, from the serving prediction log: `keel serve --shadow
 * models:/name@challenger` answers each live request a second time with the challenger and logs
 * that answer beside the live one (role `shadow`). The phase is over when the challenger has given
 * the configured number of shadow answers and/or spent the configured hours in shadow (every bound
 * given must be reached); its failed answers (status ≥ 500) are counted so promotion can refuse a
 * challenger that breaks under real traffic.
 */
import type { PredictionLogReader } from "../log/log-reader.js";

/** keel.yaml's `retrain.shadow` (null bounds are not required). */
export interface ShadowBounds {
  requests: number | null;
  hours: number | null;
}

/** A challenger's shadow phase so far: requests answered and failed, hours, and whether it is complete or unhealthy. */
export interface ShadowProgress {
  /** Epoch ms the challenger entered shadow. */
  since: number;
  /** Shadow requests the challenger answered (status < 400). */
  answered: number;
  /** Shadow requests it failed (status ≥ 500). */
  failed: number;
  /** Live requests over the same period, and how many of them failed (status ≥ 500). */
  live: number;
  liveFailed: number;
  hours: number;
  /** Every bound is reached. */
  complete: boolean;
  /** Its failure share is above the live one's (and above 1%). */
  unhealthy: boolean;
  message: string;
}

/**
 * How far a challenger (`model`, `version`) has come in its shadow phase since `since`.
 *
 * @example
 * const p = await shadowProgress(reader, "credit", "2", Date.parse(tag), { requests: 100, hours: null });
 * if (p.complete && !p.unhealthy) await promote({ registry, tracking, name: "credit", version: "2", problem });
 */
export async function shadowProgress(reader: PredictionLogReader, model: string, version: string, since: number, bounds: ShadowBounds, now = Date.now()): Promise<ShadowProgress> {
  const records = await reader.predictions({ model, since });
  let answered = 0;
  let failed = 0;
  let live = 0;
  let liveFailed = 0;
  for (const r of records) {
    if (r.role === "shadow" && r.version === version) {
      if (r.status >= 500) failed++;
      else if (r.status < 400) answered++;
    } else if (r.role === "live") {
      live++;
      if (r.status >= 500) liveFailed++;
    }
  }
  const hours = Math.max(0, now - since) / 3_600_000;
  const complete = (bounds.requests === null || answered >= bounds.requests) && (bounds.hours === null || hours >= bounds.hours);
  const share = (f: number, n: number) => (n > 0 ? f / n : 0);
  const unhealthy = share(failed, answered + failed) > Math.max(0.01, share(liveFailed, live));
  const need = [bounds.requests !== null ? `${answered} of ${bounds.requests} shadow answers` : null, bounds.hours !== null ? `${hours.toFixed(1)} of ${bounds.hours} h` : null].filter(Boolean).join(", ");
  const message = `${need || "no shadow bounds"}${failed ? `; ${failed} shadow answers failed (live: ${liveFailed} of ${live})` : ""}`;
  return { since, answered, failed, live, liveFailed, hours, complete, unhealthy, message };
}
