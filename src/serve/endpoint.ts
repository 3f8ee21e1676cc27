/**
 * An endpoint: the model name requests address, and the versions behind it — the live one that
 * answers, optionally a canary that answers a sticky share of the traffic, and a shadow that
 * receives a copy of every request and never answers. `pick` is the one routing decision.
 */
import { InvalidInputError, NotFoundError, show } from "../core/index.js";
import { murmur3String } from "../features/index.js";
import type { ServedModel } from "./served-model.js";

/** Buckets the canary weight is resolved to (0.01 % steps). */
const BUCKETS = 10_000;

/**
 * Which of `BUCKETS` buckets a request key falls in: MurmurHash3 (x86, 32-bit, seed 0) of the key's
 * UTF-8 bytes, modulo 10,000. The same key always lands in the same bucket, so one user always
 * sees one version while the weight stays put.
 * @example
 * ```ts
 * keyBucket("user-42"); // 2080, every time: one of 10,000 buckets
 * ```
 */
export function keyBucket(key: string): number {
  return (murmur3String(key) >>> 0) % BUCKETS;
}

/**
 * One served name: the live version, and any canary and shadow versions with their weights.
 * @example
 * ```ts
 * const endpoint = new Endpoint("credit", live);
 * const version = endpoint.pick(request.headers["x-user-id"] as string | undefined);
 * ```
 */
export class Endpoint {
  /** Canary share in percent (0–100). */
  canaryWeight = 0;
  canary: ServedModel | null = null;
  shadow: ServedModel | null = null;

  constructor(
    readonly name: string,
    public live: ServedModel,
  ) {}

  /**
   * The version that answers a request: the canary when the key's bucket is below its weight
   * (a random draw when the request has no key), else the live version.
   */
  pick(key: string | undefined): ServedModel {
    const canary = this.canary;
    if (canary === null || this.canaryWeight <= 0) return this.live;
    const bucket = key === undefined ? Math.floor(Math.random() * BUCKETS) : keyBucket(key);
    return bucket < this.canaryWeight * (BUCKETS / 100) ? canary : this.live;
  }

  /** Every version the endpoint holds (live first). */
  versions(): ServedModel[] {
    const out = [this.live];
    if (this.canary && !out.includes(this.canary)) out.push(this.canary);
    if (this.shadow && !out.includes(this.shadow)) out.push(this.shadow);
    return out;
  }

  /** The version `v` of this endpoint, NOT_FOUND naming the ones it has. */
  version(v: string): ServedModel {
    const found = this.versions().find((m) => m.version === v);
    if (!found) throw new NotFoundError(`model ${show(this.name)} has no version ${show(v)} loaded; loaded: ${this.versions().map((m) => m.version).join(", ")}`, { path: "version", expected: this.versions().map((m) => m.version).join(" | "), received: v });
    return found;
  }
}

/**
 * The endpoints one server answers for, by name; `/invocations` answers for `defaultName`.
 * @example
 * ```ts
 * const set = new ModelSet();
 * set.add(new Endpoint("credit", live));
 * ```
 */
export class ModelSet {
  private readonly byName = new Map<string, Endpoint>();
  defaultName: string | null = null;

  add(endpoint: Endpoint): void {
    if (this.byName.has(endpoint.name)) throw new InvalidInputError(`two models are named ${show(endpoint.name)}: give one another name (--name)`, { path: "name", received: endpoint.name });
    this.byName.set(endpoint.name, endpoint);
    this.defaultName ??= endpoint.name;
  }

  get(name: string): Endpoint | undefined {
    return this.byName.get(name);
  }

  /** The endpoint `name`, NOT_FOUND naming the models served. */
  endpoint(name: string): Endpoint {
    const e = this.byName.get(name);
    if (!e) throw new NotFoundError(`no model named ${show(name)} is served here; models: ${[...this.byName.keys()].join(", ")}`, { path: "name", expected: [...this.byName.keys()].join(" | "), received: name });
    return e;
  }

  /** The endpoint `/invocations` answers for. */
  defaultEndpoint(): Endpoint {
    return this.endpoint(this.defaultName ?? "");
  }

  all(): Endpoint[] {
    return [...this.byName.values()];
  }
}
