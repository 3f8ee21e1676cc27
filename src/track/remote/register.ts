/**
 * Plug the remote store into `openStore` for `http:`/`https:` URIs, and the remote artifact
 * store into `openArtifactStore` for the artifact root a remote store reports (its URL).
 */
import { registerArtifactScheme } from "../artifacts/open-artifacts.js";
import { registerStoreScheme } from "../open-store.js";
import { RemoteArtifactStore } from "./remote-artifacts.js";
import { RemoteStore } from "./remote-store.js";

let registered = false;

/** Register the remote stores (idempotent; done when `track/remote` is imported). */
export function registerRemoteStore(): void {
  if (registered) return;
  registered = true;
  for (const scheme of ["http", "https"]) {
    registerStoreScheme(scheme, (uri) => RemoteStore.open(uri));
    registerArtifactScheme(scheme, (root) => new RemoteArtifactStore(root));
  }
}
