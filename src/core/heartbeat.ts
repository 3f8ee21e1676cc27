/**
 * A heartbeat: call `beat` now and then every `intervalMs`, so that whoever watches a shared
 * record (a run, a tuning trial) can tell a live worker from a dead one. The worker writes a
 * deadline with each beat — "presume me dead after now + timeout" — and a reaper (the next
 * `keel run`, `keel gc`) marks records whose deadline passed. The timer never keeps the
 * process alive; a failed beat is reported to `onError` and the beats go on.
 */

/** Beat interval when none is given: 10 s. */
export const DEFAULT_HEARTBEAT_MS = 10_000;
/** A worker is presumed dead after this many missed intervals. */
export const HEARTBEAT_MISSES = 6;

/** Options of `startHeartbeat`. */
export interface HeartbeatOptions {
  /** Interval between beats, ms (default `heartbeatInterval()`); 0 turns the heartbeat off. */
  intervalMs?: number;
  /** Told about a failed beat (default: ignored; the next beat retries). */
  onError?(error: unknown): void;
}

/** A running heartbeat, from `startHeartbeat`. */
export interface Heartbeat {
  /** The interval in ms (0 when off). */
  readonly intervalMs: number;
  /** How long after a beat the worker is presumed dead: `HEARTBEAT_MISSES` × interval. */
  readonly timeoutMs: number;
  /** Stop beating and wait for a beat in flight. */
  stop(): Promise<void>;
}

/**
 * The process's beat interval: `KEEL_HEARTBEAT_MS` when set (a whole number of ms; 0 = off),
 * else 10 s.
 * @example
 * ```ts
 * const ms = heartbeatInterval(); // 10000 unless KEEL_HEARTBEAT_MS is set
 * ```
 */
export function heartbeatInterval(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.KEEL_HEARTBEAT_MS;
  if (v === undefined || v === "") return DEFAULT_HEARTBEAT_MS;
  const n = Number(v);
  return /^\d+$/.test(v) && Number.isSafeInteger(n) ? n : DEFAULT_HEARTBEAT_MS;
}

/**
 * Start beating: `beat(timeoutMs)` is called at once (awaited by the returned promise, so the
 * record carries a deadline before work starts; its failure rejects) and then every interval.
 *
 * @example
 * const hb = await startHeartbeat((timeout) => store.heartbeat(runId, timeout));
 * try { await work(); } finally { await hb.stop(); }
 */
export async function startHeartbeat(beat: (timeoutMs: number) => Promise<void>, options: HeartbeatOptions = {}): Promise<Heartbeat> {
  const intervalMs = options.intervalMs ?? heartbeatInterval();
  const timeoutMs = intervalMs * HEARTBEAT_MISSES;
  if (intervalMs <= 0) return { intervalMs: 0, timeoutMs: 0, stop: async () => undefined };
  let inFlight: Promise<void> = Promise.resolve();
  let stopped = false;
  const once = () => {
    inFlight = beat(timeoutMs).catch((e) => options.onError?.(e));
    return inFlight;
  };
  await beat(timeoutMs); // a failure here is the caller's: the record would carry no deadline
  const timer = setInterval(() => {
    if (!stopped) void once();
  }, intervalMs);
  timer.unref();
  return {
    intervalMs,
    timeoutMs,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
  };
}
