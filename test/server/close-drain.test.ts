/**
 * `keel server`'s close never cuts an answer short: a connection whose response was ended but is
 * still queued on its socket (a client reading slowly) is ended once the bytes are written, not
 * destroyed by Node's `server.close()` → `closeIdleConnections()` (backend/http/connection-drain.ts,
 * the same drain `keel serve` uses, installed by `buildApp` for every route). The large answer
 * comes from the data plane mounted with `--serve`.
 */
import http from "node:http";
import type { Socket } from "node:net";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { autoPipeline, gbdtClassifier, readTable, saveModel } from "../../src/index.js";
import { startServer } from "../../src/server/index.js";
import { closeTrackingStores } from "../../src/track/index.js";
import { fixture } from "../cli/run-cli.js";

let dir: string;
let modelDir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "keel-server-drain-"));
  const data = await readTable(fixture("credit-300.csv"));
  modelDir = path.join(dir, "credit");
  saveModel(await autoPipeline(gbdtClassifier({ maxIter: 5 })).fit(data, { target: "Status", threads: 1 }), modelDir);
}, 120_000);
afterAll(() => closeTrackingStores());

/**
 * Send `body` to `url`, read nothing of the answer until the server is closing (so its tail is
 * still queued on the server's socket), then read it all.
 */
function readAfterClose(url: string, method: string, headers: Record<string, string>, body: string | null, sockets: Socket[], close: () => Promise<void>, closed: { at: number }): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      res.pause();
      setTimeout(() => {
        expect(sockets.length).toBe(1);
        expect(sockets[0].writableLength).toBeGreaterThan(0);
        void close().then(() => (closed.at = Date.now()));
        setTimeout(() => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c) => (text += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
          res.on("error", reject);
          res.resume();
        }, 100);
      }, 200);
    });
    req.on("error", reject);
    req.end(body ?? undefined);
  });
}

describe("keel server close", () => {
  it("--serve: a connection still writing out a prediction is ended once written, never cut short", async () => {
    const s = await startServer({ store: path.join(dir, "a.db"), artifacts: path.join(dir, "artifacts-a"), port: 0, serve: [{ ref: modelDir, name: "credit" }] });
    const sockets: Socket[] = [];
    s.app.server.on("connection", (socket: Socket) => sockets.push(socket));
    const [head, first] = readFileSync(fixture("credit-300.csv"), "utf8").trim().split("\n");
    const keep = head.split(",").map((c) => JSON.parse(c) !== "Status");
    const line = first.split(",").filter((_, j) => keep[j]).join(",");
    const rows = 100_000;
    const closed = { at: 0 };
    const r = await readAfterClose(`${s.url}/invocations`, "POST", { "content-type": "text/csv" }, head.split(",").filter((_, j) => keep[j]).join(",") + "\n" + `${line}\n`.repeat(rows), sockets, () => s.close(), closed);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text).predictions).toHaveLength(rows);
    await s.close().catch(() => undefined);
    expect(closed.at).toBeGreaterThan(0);
  }, 120_000);
});
