/**
 * Per-phase wall-clock timers of a GBDT fit, for profiling (off unless asked for): the main
 * thread's time in each step of the boosting loop — every thread works inside the step the main
 * thread waits on, so these are the shares of the fit's elapsed time. Turn on with
 * `KEEL_GBDT_PROFILE=1` in the environment (a "note" event then carries the table) or
 * `setPhaseProfiling(true)`; read the last fit's figures with `lastPhaseProfile()`.
 */

export const PHASES = ["binning", "gradients", "histogram", "merge", "subtract", "split search", "partition", "class trees", "prediction update", "other"] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseProfile {
  /** Wall-clock seconds per phase. */
  seconds: Record<Phase, number>;
  /** Seconds from the start of binning to the end of the last tree. */
  total: number;
  /**
   * CPU seconds of the whole process (all threads) per phase, and in total: on a loaded machine
   * the one-thread CPU shares are the robust figures (wall-clock shares include waiting for a core).
   * With workers, a phase can be charged CPU spent in the phase before it: Linux books a thread
   * running on another core only at its next tick or switch, so a worker's last milliseconds of
   * a histogram job land in the split search that follows when it goes to sleep (a 2-thread
   * split search showed 3× its wall time in CPU although the worker spins only ~0.15 ms after
   * each job before it sleeps — measured per thread, the likely cause).
   */
  cpu: Record<Phase, number>;
  cpuTotal: number;
  /**
   * Work units per phase, where counted: (row, feature) histogram updates for "histogram" and
   * for "gradients" (whose job also builds the root histogram), rows moved for "partition".
   */
  units: Record<Phase, number>;
}

let enabled = typeof process !== "undefined" && process.env?.KEEL_GBDT_PROFILE === "1";
let last: PhaseProfile | null = null;

/** Turn per-phase timing on or off for the next fits in this thread. */
export function setPhaseProfiling(on: boolean): void {
  enabled = on;
}

/** The phase times of the last profiled fit (null when none was). */
export function lastPhaseProfile(): PhaseProfile | null {
  return last;
}

/** Accumulates phase times for one fit; every call is a no-op when profiling is off. */
export class PhaseClock {
  readonly on: boolean;
  private readonly acc = new Float64Array(PHASES.length);
  private readonly accCpu = new Float64Array(PHASES.length);
  private readonly accUnits = new Float64Array(PHASES.length);
  private readonly t0: number;
  private readonly c0: number;
  private mark: number;
  private markCpu: number;

  /**
   * `on`: whether to time at all (by default, whether profiling is on in this thread).
   * @example
   * const clock = new PhaseClock(false); // a clock that never times
   */
  constructor(on = enabled) {
    this.on = on;
    this.t0 = this.mark = on ? performance.now() : 0;
    this.c0 = this.markCpu = on ? cpuMicros() : 0;
  }

  /** Charge the time since the last `lap` (or the start) to `phase`. */
  lap(phase: Phase): void {
    if (!this.on) return;
    const t = performance.now();
    const c = cpuMicros();
    const i = PHASES.indexOf(phase);
    this.acc[i] += t - this.mark;
    this.accCpu[i] += c - this.markCpu;
    this.mark = t;
    this.markCpu = c;
  }

  /** Count `units` of work (see `PhaseProfile.units`) to `phase`. */
  count(phase: Phase, units: number): void {
    if (this.on) this.accUnits[PHASES.indexOf(phase)] += units;
  }

  /** Close the fit: remaining time goes to "other"; the profile becomes `lastPhaseProfile()`. */
  finish(): PhaseProfile | null {
    if (!this.on) return null;
    this.lap("other");
    const seconds = {} as Record<Phase, number>;
    const cpu = {} as Record<Phase, number>;
    const units = {} as Record<Phase, number>;
    PHASES.forEach((p, i) => {
      seconds[p] = this.acc[i] / 1000;
      cpu[p] = this.accCpu[i] / 1e6;
      units[p] = this.accUnits[i];
    });
    last = { seconds, total: (this.mark - this.t0) / 1000, cpu, cpuTotal: (this.markCpu - this.c0) / 1e6, units };
    return last;
  }
}

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/**
 * "phase 12.3% (1.23 s)" per phase, largest first — with "1.52 ns/unit" where the phase's work
 * units were counted; `cpu`: the CPU-time shares (and CPU ns per unit) instead of wall-clock.
 */
export function formatPhaseProfile(p: PhaseProfile, cpu = false): string {
  const per = cpu ? p.cpu : p.seconds;
  const total = cpu ? p.cpuTotal : p.total;
  return PHASES.map((ph) => [ph, per[ph]] as const)
    .filter(([, s]) => s > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([ph, s]) => `${ph} ${((100 * s) / total).toFixed(1)}% (${s.toFixed(2)} s${p.units[ph] > 0 ? `, ${((s * 1e9) / p.units[ph]).toFixed(2)} ns/${ph === "partition" ? "row" : "update"}` : ""})`)
    .join(", ");
}
