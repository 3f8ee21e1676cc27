/**
 * Where runs keep their files. One interface: a local folder (`LocalArtifactStore`) or a
 * `keel server`'s artifact proxy (`RemoteArtifactStore`; S3-compatible later), whichever the
 * backend names (`backend.artifacts`). Every method takes the run's artifact URI
 * (`run.info.artifactUri`) and a path relative to it ("/"-separated, no `..`).
 */
import type { Readable } from "node:stream";

/** One file or folder under a run's artifact root (MLflow's FileInfo, plus the checksum). */
export interface ArtifactEntry {
  /** Relative to the run's artifact root, "/"-separated (`model/manifest.json`). */
  path: string;
  isDir: boolean;
  /** Bytes, for files. */
  fileSize?: number;
  /** SHA-256 (hex) recorded when Keel wrote the file, for files. */
  sha256?: string;
}

/** Where a run's artifacts live: a local folder (`LocalArtifactStore`) or a `keel server` (`RemoteArtifactStore`); paths are relative to the run's artifact URI. */
export interface ArtifactStore {
  /** Entries directly under `path` (default: the run's root), folders first, then by name. */
  list(artifactUri: string, path?: string): Promise<ArtifactEntry[]>;
  /** A file's bytes. NOT_FOUND when absent. */
  read(artifactUri: string, path: string): Promise<Buffer>;
  /** A file as a stream with its size (for large downloads). */
  openRead(artifactUri: string, path: string): Promise<{ stream: Readable; size: number }>;
  /** Write bytes (or UTF-8 text) atomically: readers see the old file or the new one, never half. */
  write(artifactUri: string, path: string, data: Uint8Array | string): Promise<ArtifactEntry>;
  /** Write a stream atomically (uploads). */
  writeStream(artifactUri: string, path: string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<ArtifactEntry>;
  /** Copy a local file in (default name: the file's base name). */
  writeFile(artifactUri: string, localFile: string, path?: string): Promise<ArtifactEntry>;
  /** Copy a local folder in, recursively (default: into the root). Returns the files written. */
  writeDir(artifactUri: string, localDir: string, path?: string): Promise<ArtifactEntry[]>;
  /** Delete a file or folder under the run's root. */
  delete(artifactUri: string, path: string): Promise<void>;
  /** Delete everything the run stored (garbage collection of deleted runs). */
  deleteAll(artifactUri: string): Promise<void>;
  /**
   * Remove the temporary files (`.keel-tmp-*`) that writes interrupted by a dead process left:
   * under one run's folder, or under the whole store when `artifactUri` is undefined; only those
   * last modified at least `olderThanMs` ago (default 0: all, for a run known dead). Returns the
   * number removed. A remote store's files are the server's to sweep (its `keel gc`): 0 here.
   */
  removeTemporaryFiles(artifactUri?: string, olderThanMs?: number): Promise<number>;
  /** Recompute a file's SHA-256 and compare it with the recorded one. */
  verify(artifactUri: string, path: string): Promise<{ ok: boolean; recorded?: string; actual: string }>;
}
