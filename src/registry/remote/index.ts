/**
 * The remote registry: a `keel server`'s model registry over HTTP(S), behind the same
 * `RegistryStore` interface as SQLite and PostgreSQL, and the MLflow JSON shapes both sides use.
 * Importing this module registers it for `http:` and `https:` URIs (`openRegistry("http://...")`).
 */
import { registerRemoteRegistry } from "./remote-registry.js";

export { RemoteRegistry, registerRemoteRegistry } from "./remote-registry.js";
export * from "./mlflow-json.js";

registerRemoteRegistry();
