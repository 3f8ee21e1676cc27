/**
 * Hot swap: the server follows the registry. Every version it serves through a moving reference
 * (`models:/name@alias`, `models:/name/latest`, `models:/name/<stage>`) is re-resolved every
 * `intervalMs` (default 1 s, so a move is seen within 2 s counting the load); when it names
 * another version, that version is loaded and warmed off to the side, then put in front of
 * traffic by one assignment. Requests run synchronously between event-loop turns, so each is
 * answered wholly by the old or wholly by the new version and none fails. Rollback is moving the
 * alias back: the versions a slot served last are kept, so going back needs no reload.
 * Pinned references (`models:/name/3`) and folders never move.
 */
import { performance } from "node:perf_hooks";
import { type RegistryStore, parseModelRef, resolveModelVersion } from "../registry/index.js";
import type { Endpoint, ModelSet } from "./endpoint.js";
import type { ServeMetrics } from "./metrics.js";
import type { ServedModel } from "./served-model.js";

/** Which version of an endpoint a reference feeds. */
export type SlotRole = "live" | "canary" | "shadow";

/** One swap, as reported to `onSwap`. */
export interface SwapEvent {
  model: string;
  role: SlotRole;
  ref: string;
  from: string;
  to: string;
  /** Milliseconds spent loading and warming the new version (0 when it was kept from before). */
  loadMs: number;
}

/** Options of `AliasWatcher`: how often to poll, how many old versions to keep warm, and callbacks. */
export interface AliasWatcherOptions {
  /** Poll period in milliseconds (default 1000). */
  intervalMs?: number;
  /** Versions kept per slot for instant rollback (default 2: the live one and the one before). */
  keep?: number;
  onSwap?: (event: SwapEvent) => void;
  /** A failed look-up or load: the old version keeps answering; the next poll tries again (the same failure is reported once). */
  onError?: (error: unknown, ref: string) => void;
}

interface Slot {
  endpoint: Endpoint;
  role: SlotRole;
  ref: string;
  /** Recently served versions of this slot, newest last. */
  recent: ServedModel[];
  /** The last failure reported, so a lasting one is not repeated every poll. */
  lastError: string | null;
}

/**
 * Whether a reference can come to name another version (an alias, latest, or a stage).
 * @example
 * ```ts
 * isMovingRef("models:/credit@champion"); // true
 * isMovingRef("models:/credit/3"); // false
 * ```
 */
export function isMovingRef(ref: string): boolean {
  const r = parseModelRef(ref);
  return r.kind === "registry" && !("version" in r);
}

/**
 * Polls the registry for every moving reference a model set serves and swaps versions in.
 * @example
 * ```ts
 * const access = new RegistryAccess(undefined);
 * const watcher = new AliasWatcher(set, access, (ref, name) => loadServedModel(ref, name, access), null, { intervalMs: 10_000 });
 * watcher.start();
 * ```
 */
export class AliasWatcher {
  private readonly slots: Slot[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  readonly intervalMs: number;
  private readonly keep: number;

  constructor(
    set: ModelSet,
    private readonly access: { get(): Promise<{ registry: RegistryStore }> },
    /** Loads and warms the version a reference names now (start.ts's `loadServedModel`). */
    private readonly load: (ref: string, name: string) => Promise<ServedModel>,
    private readonly metrics: ServeMetrics | null,
    private readonly options: AliasWatcherOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.keep = Math.max(1, options.keep ?? 2);
    for (const endpoint of set.all()) {
      for (const role of ["live", "canary", "shadow"] as const) {
        const m = endpoint[role];
        if (m && isMovingRef(m.info.source)) this.slots.push({ endpoint, role, ref: m.info.source, recent: [m], lastError: null });
      }
    }
  }

  /** How many references are followed. */
  get watched(): number {
    return this.slots.length;
  }

  /** Start polling (nothing to do when no reference moves). */
  start(): this {
    if (this.slots.length === 0 || this.timer || this.stopped) return this;
    const tick = () => {
      this.running = this.poll().finally(() => {
        this.running = null;
        if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs);
      });
    };
    this.timer = setTimeout(tick, this.intervalMs);
    this.timer.unref?.();
    return this;
  }

  /** Stop polling; waits for a poll under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass: re-resolve every moving reference and swap what moved. */
  async poll(): Promise<void> {
    if (this.slots.length === 0) return;
    let registry: RegistryStore;
    try {
      registry = (await this.access.get()).registry;
    } catch (e) {
      this.options.onError?.(e, this.slots[0].ref);
      return;
    }
    for (const slot of this.slots) {
      if (this.stopped) return;
      try {
        const r = parseModelRef(slot.ref);
        if (r.kind !== "registry") continue;
        const target = (await resolveModelVersion(r, registry)).version;
        slot.lastError = null;
        const current = slot.endpoint[slot.role];
        if (!current || current.version === target) continue;
        const t0 = performance.now();
        let next = slot.recent.find((m) => m.version === target);
        if (!next) {
          next = await this.load(slot.ref, slot.endpoint.name);
          // The alias may have moved again while loading: serve what was loaded, the next poll catches up.
        }
        const loadMs = slot.recent.includes(next) ? 0 : performance.now() - t0;
        if (this.stopped) return;
        slot.endpoint[slot.role] = next;
        slot.recent = [...slot.recent.filter((m) => m !== next), next].slice(-this.keep);
        this.metrics?.swaps.labels(slot.endpoint.name).inc();
        this.options.onSwap?.({ model: slot.endpoint.name, role: slot.role, ref: slot.ref, from: current.version, to: next.version, loadMs });
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (message !== slot.lastError) this.options.onError?.(e, slot.ref);
        slot.lastError = message;
      }
    }
  }
}
