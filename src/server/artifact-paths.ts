/**
 * Paths of MLflow's artifact proxy (`/api/2.0/mlflow-artifacts/artifacts/<path>`) are relative
 * to the server's artifact root: `<experiment>/<run id>/artifacts/<file>`. This splits one into
 * the run's artifact URI (`mlflow-artifacts:/<experiment>/<run id>/artifacts`, which the
 * server's local artifact store maps onto its root) and the path inside the run, after the
 * checks of `artifactSegments` (no `..`, not absolute, no NUL, no backslash, no reserved names).
 */
import { InvalidInputError, show } from "../core/index.js";
import { artifactSegments } from "../backend/index.js";

/** The URI prefix the proxy's paths hang under (MLflow's proxied artifact scheme). */
export const PROXY_SCHEME = "mlflow-artifacts:";

const RUN_ID = /^[0-9a-f]{32}$/;

export interface ProxyTarget {
  /** `mlflow-artifacts:/<unit>`: the run's folder (or, for other layouts, the first folder). */
  artifactUri: string;
  /** The path inside it ("" for the folder itself). */
  rel: string;
}

/** Split a proxy path; throws INVALID_INPUT for unsafe paths or the bare root. */
export function splitProxyPath(p: unknown): ProxyTarget {
  const segments = artifactSegments(p, true);
  if (segments.length === 0) throw new InvalidInputError(`artifact path ${show(p)} names the artifact root; name a run's folder (<experiment>/<run id>/artifacts/...)`, { path: "path", received: p });
  let cut = 1;
  for (let i = 0; i + 1 < segments.length; i++) {
    if (RUN_ID.test(segments[i]) && segments[i + 1] === "artifacts") {
      cut = i + 2;
      break;
    }
  }
  return { artifactUri: `${PROXY_SCHEME}/${segments.slice(0, cut).join("/")}`, rel: segments.slice(cut).join("/") };
}

/** A content type for downloads: text for what a browser should show as text (never HTML or SVG: they could run script). */
export function contentTypeFor(path: string): string {
  const base = path.split("/").pop() ?? "";
  const ext = base.includes(".") ? base.slice(base.lastIndexOf(".") + 1).toLowerCase() : "";
  if (ext === "json") return "application/json";
  if (["txt", "log", "yaml", "yml", "md", "csv", "tsv", "py", "ts", "js", "toml", "ini", "cfg", "html", "htm", "svg", "xml"].includes(ext) || base === "MLmodel") return "text/plain; charset=utf-8";
  if (ext === "png") return "image/png";
  if (ext === "jpg" || ext === "jpeg") return "image/jpeg";
  if (ext === "gif") return "image/gif";
  return "application/octet-stream";
}
