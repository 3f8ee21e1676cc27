/** What the server's routes work with: the stores, opened by whoever starts the server. */
import type { MonitoringStore } from "../monitor/index.js";
import type { RegistryStore } from "../registry/index.js";
import type { ArtifactStore } from "../backend/index.js";
import type { TrackingStore } from "../track/index.js";
import type { TokenStore } from "./auth/token-store.js";

export interface ServerDeps {
  /** The tracking store (over a SQL backend: SQLite or PostgreSQL). */
  store: TrackingStore;
  /**
   * Where run artifacts are (default: a local store on `store.artifactRoot` that also
   * understands the proxy's `mlflow-artifacts:` URIs).
   */
  artifacts?: ArtifactStore;
  /** The model registry (default: opened over `store`'s backend). */
  registry?: RegistryStore;
  /** Per-window monitoring results (default: opened over `store`'s backend). */
  monitoring?: MonitoringStore;
  /** API tokens; absent or empty = the server runs open (allowed on loopback only by `startServer`). */
  tokens?: TokenStore;
  /** Largest artifact upload in bytes (default 5 GiB). */
  artifactLimit?: number;
}

/** `ServerDeps` with the defaults filled in. */
export interface ResolvedDeps extends ServerDeps {
  artifacts: ArtifactStore;
  registry: RegistryStore;
  monitoring: MonitoringStore;
  artifactLimit: number;
}

export const DEFAULT_ARTIFACT_LIMIT = 5 * 1024 ** 3;
