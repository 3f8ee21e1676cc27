/**
 * The web UI at `/`: the static files Vite builds into `ui/dist/` (`npm run build`), found from
 * this module's own place — `src/server/` under tsx, `dist/server/` once compiled, both two levels
 * below the package root. Any GET that is no API path and no file gets `index.html`, so the
 * app's deep links (`/runs/<id>`, `/models/credit`) open directly; API paths (`/api/`,
 * `/ajax-api/`, `/v2`, `/invocations`, `/metrics`, `/health`, `/get-artifact`,
 * `/model-versions/`) keep their JSON 404s. Files under `/assets/` carry content hashes and are
 * cached for a year; `index.html` is revalidated. The app talks to the server's HTTP API only.
 */
import { existsSync, realpathSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { notFoundResponse } from "./errors.js";

/** First path segments that belong to APIs, never to the app. */
const API_SEGMENTS = new Set(["api", "ajax-api", "v2", "invocations", "metrics", "health", "get-artifact", "model-versions"]);

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * What the app may do in a browser: its own scripts only; styles inline (charts set them);
 * images and previews from blob URLs; HTML reports only in sandboxed frames (`srcdoc`).
 */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; frame-src 'self' blob: data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** `<package root>/ui/dist`, from where this file is (src/server or dist/server). */
export function defaultUiDir(): string {
  return fileURLToPath(new URL("../../ui/dist/", import.meta.url));
}

/** Whether `urlPath` (no query) belongs to an API rather than to the app. */
export function isApiPath(urlPath: string): boolean {
  const first = urlPath.split("/").find((s) => s !== "") ?? "";
  return API_SEGMENTS.has(first);
}

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Keel</title>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:10vh auto;line-height:1.5">
<h1>Keel's web UI is not built</h1>
<p>The server's API works (try <code>/api/2.0/keel/server-info</code>), but the UI's files are missing. Build them in the Keel checkout with <code>npm run build</code> (<code>npm install</code> does it too), then reload.</p>
</body></html>`;

/** Serve the UI from `dir` (default: `defaultUiDir()`). */
export async function registerStaticUi(app: FastifyInstance, dir = defaultUiDir()): Promise<void> {
  const root = existsSync(dir) ? realpathSync(dir) : dir;

  // Read whole (the build's files are small) rather than streamed: a streamed reply could leave its
  // keep-alive connection counted as active, so closing the server waited on it forever.
  const sendFile = async (reply: FastifyReply, file: string, size: number, immutable: boolean) => {
    const ext = path.extname(file).toLowerCase();
    void reply
      .header("content-type", TYPES[ext] ?? "application/octet-stream")
      .header("content-length", String(size))
      .header("x-content-type-options", "nosniff")
      .header("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
    if (ext === ".html") void reply.header("content-security-policy", CSP).header("referrer-policy", "no-referrer");
    return reply.send(await readFile(file));
  };

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const urlPath = request.url.split("?")[0];
    if (isApiPath(urlPath)) {
      const r = notFoundResponse(request.method, request.url);
      return reply.code(r.status).type("application/json").send(r.body);
    }
    let rel: string;
    try {
      rel = decodeURIComponent(urlPath);
    } catch {
      rel = urlPath;
    }
    // a file of the build, never outside it
    const file = path.resolve(root, "." + path.posix.normalize("/" + rel));
    if (file.startsWith(root + path.sep) && existsSync(file)) {
      const st = statSync(file);
      if (st.isFile()) return sendFile(reply, file, st.size, rel.startsWith("/assets/"));
    }
    // a missing asset is a 404, not the app
    if (rel.startsWith("/assets/")) {
      const r = notFoundResponse(request.method, request.url);
      return reply.code(r.status).type("application/json").send(r.body);
    }
    const index = path.join(root, "index.html");
    if (!existsSync(index)) return reply.code(404).header("content-type", "text/html; charset=utf-8").header("cache-control", "no-cache").send(NOT_BUILT);
    return sendFile(reply, index, statSync(index).size, false);
  };

  app.get("/", { config: {} }, handler);
  app.get("/*", { config: {} }, handler);
}
