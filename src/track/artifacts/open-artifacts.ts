/**
 * Choosing an artifact store by URI: a path or `file://` → `LocalArtifactStore`; other schemes
 * (`mlflow-artifacts:`, `http(s):`, `s3:`) come from factories registered by higher layers
 * (the server's proxy client) — track/ never imports them.
 */
import { UnsupportedError, show } from "../../core/errors.js";
import type { ArtifactStore } from "./artifact-store.js";
import { LocalArtifactStore } from "./local.js";

export type ArtifactStoreFactory = (rootUri: string) => ArtifactStore;

const factories = new Map<string, ArtifactStoreFactory>();

/** Register (or replace) the artifact store for a URI scheme (without ":"), case-insensitive. */
export function registerArtifactScheme(scheme: string, factory: ArtifactStoreFactory): void {
  factories.set(scheme.toLowerCase(), factory);
}

/** The artifact store for an artifact root (a tracking store's `artifactRoot`, a path or a URI). */
export function openArtifactStore(rootUri: string): ArtifactStore {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rootUri)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme.length === 1 || scheme === "file") return new LocalArtifactStore(rootUri);
  const factory = factories.get(scheme);
  if (!factory) {
    throw new UnsupportedError(`artifact location ${show(rootUri)}: no artifact store for scheme ${show(scheme + ":")} in this process (local folders and file:// are built in; remote ones come with keel server)`, {
      path: "artifact_location",
      received: rootUri,
    });
  }
  return factory(rootUri);
}
