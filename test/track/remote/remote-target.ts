/**
 * The remote store as a target of the shared store suite: each `open()` starts a `keel server`
 * on loopback over a fresh SQLite store and returns a `RemoteStore` talking to it over HTTP.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildApp } from "../../../src/server/index.js";
import { SqliteStore } from "../../../src/track/index.js";
import { RemoteStore } from "../../../src/track/remote/index.js";

export interface RemoteOpened {
  store: RemoteStore;
  /** The server's own store (to look behind the HTTP layer). */
  backing: SqliteStore;
  url: string;
  dir: string;
  cleanup(): Promise<void>;
}

export async function openRemote(): Promise<RemoteOpened> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "keel-remote-test-"));
  const file = path.join(dir, "keel.db");
  const backing = await SqliteStore.open(file, { artifactRoot: path.join(dir, "artifacts") });
  const app = await buildApp({ store: backing });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const store = await RemoteStore.open(url, { token: "" });
  return {
    store,
    backing,
    url,
    dir,
    async cleanup() {
      await store.close();
      await app.close();
      await backing.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The shape `test/conformance/store/targets.ts` gives each target. */
export const remoteTarget = {
  name: "remote",
  available: true,
  async open() {
    const o = await openRemote();
    return {
      store: o.store,
      uri: o.url,
      dir: o.dir,
      async rawSql(sql: string) {
        const Database = (await import("better-sqlite3")).default;
        const db = new Database(path.join(o.dir, "keel.db"));
        try {
          db.exec(sql);
        } finally {
          db.close();
        }
      },
      cleanup: o.cleanup,
    };
  },
  freshUri() {
    throw new Error("the remote target has no URI before its server starts");
  },
};
