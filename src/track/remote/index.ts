/**
 * The remote tracking store: a `keel server` reached over HTTP(S), behind the same
 * `TrackingStore` interface as SQLite and PostgreSQL. Importing this module registers it for
 * `http:` and `https:` store URIs (`openStore("http://host:5000")`); the token comes from
 * `KEEL_TOKEN`.
 */
import { registerRemoteStore } from "./register.js";

export * from "./mlflow-json.js";
export * from "./http-client.js";
export { RemoteStore, REMOTE_LOG_METRICS_CHUNK, type RemoteStoreOptions } from "./remote-store.js";
export { RemoteArtifactStore } from "./remote-artifacts.js";
export { registerRemoteStore } from "./register.js";

registerRemoteStore();
