/**
 * What a run ran on: git commit (and whether the working tree had uncommitted changes), branch
 * and remote, the script, the user, Node's version, Keel's version and the project's installed
 * the user project's package versions — as run tags in MLflow's keys (`mlflow.source.git.commit`, ...) plus Keel's
 * own (`keel.git.dirty`, `keel.node.version`, `keel.packages`, ...).
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LIMITS } from "./store.js";
import { TAG } from "./system-tags.js";
import type { RunTag } from "../wire/index.js";

/** The git state a run records: commit, dirty flag, branch and remote. */
export interface GitInfo {
  commit: string;
  dirty: boolean;
  branch?: string;
  /** Remote URL without credentials. */
  repoUrl?: string;
}

function git(args: string[], cwd: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile("git", args, { cwd, timeout: 5000, windowsHide: true }, (err, stdout) => resolve(err ? null : String(stdout).trim()));
  });
}

/**
 * Git state of the repository holding `cwd`, or null outside a repository (or without git).
 * @example
 * ```ts
 * const git = await gitInfo(); // { commit, dirty, branch?, repoUrl? } or null
 * ```
 */
export async function gitInfo(cwd = process.cwd()): Promise<GitInfo | null> {
  const commit = await git(["rev-parse", "HEAD"], cwd);
  if (!commit || !/^[0-9a-f]{7,64}$/.test(commit)) return null;
  const [status, branch, remote] = await Promise.all([git(["status", "--porcelain", "--untracked-files=no"], cwd), git(["rev-parse", "--abbrev-ref", "HEAD"], cwd), git(["config", "--get", "remote.origin.url"], cwd)]);
  const info: GitInfo = { commit, dirty: status !== null && status.length > 0 };
  if (branch && branch !== "HEAD") info.branch = branch;
  if (remote) info.repoUrl = remote.replace(/^([a-z+]+:\/\/)[^@/]*@/i, "$1");
  return info;
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/**
 * Keel's own version (from its package.json), or "unknown".
 * @example
 * ```ts
 * keelVersion(); // e.g. "0.1.0"
 * ```
 */
export function keelVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = readJson(path.join(dir, "package.json"));
    if (pkg && pkg.name === "keel" && typeof pkg.version === "string") return pkg.version;
    dir = path.dirname(dir);
  }
  return "unknown";
}

/**
 * Installed versions of the runtime dependencies the user's project declares: the nearest
 * package.json up from `cwd` (its `dependencies`, read from its node_modules). Keel's own
 * checkout is not a user project (Keel's version is its own tag), and dev dependencies do not
 * shape a model, so neither is recorded.
 * @example
 * ```ts
 * packageVersions(); // { "some-dependency": "1.2.3", … }
 * ```
 */
export function packageVersions(cwd = process.cwd()): Record<string, string> {
  let dir = path.resolve(cwd);
  let pkg: Record<string, unknown> | null = null;
  for (;;) {
    if (existsSync(path.join(dir, "package.json"))) {
      pkg = readJson(path.join(dir, "package.json"));
      break;
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const out: Record<string, string> = {};
  if (!pkg || pkg.name === "keel") return out;
  for (const name of Object.keys((pkg.dependencies as object) ?? {}).sort()) {
    const dep = readJson(path.join(dir, "node_modules", name, "package.json"));
    if (dep && typeof dep.version === "string") out[name] = dep.version;
  }
  return out;
}

/**
 * The environment tags for a new run (git tags only inside a repository).
 * @example
 * ```ts
 * const tags = await environmentTags(); // mlflow.source.git.commit, keel.version, …
 * ```
 */
export async function environmentTags(cwd = process.cwd()): Promise<RunTag[]> {
  const tags: RunTag[] = [];
  const add = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== "") tags.push({ key, value: value.length > LIMITS.tagValueLength ? value.slice(0, LIMITS.tagValueLength) : value });
  };
  const g = await gitInfo(cwd);
  if (g) {
    add(TAG.gitCommit, g.commit);
    add(TAG.gitDirty, String(g.dirty));
    add(TAG.gitBranch, g.branch);
    add(TAG.gitRepoUrl, g.repoUrl);
  }
  add(TAG.sourceName, process.argv[1] ? path.relative(cwd, path.resolve(process.argv[1])) || process.argv[1] : undefined);
  add(TAG.sourceType, "LOCAL");
  try {
    add(TAG.user, os.userInfo().username);
  } catch {
    // no user database entry (containers)
  }
  add(TAG.nodeVersion, process.version);
  add(TAG.keelVersion, keelVersion());
  add(TAG.platform, `${process.platform}-${process.arch}`);
  // drop the least important packages until the JSON fits a tag value
  const pkgs = packageVersions(cwd);
  let json = JSON.stringify(pkgs);
  const names = Object.keys(pkgs);
  while (json.length > LIMITS.tagValueLength && names.length > 0) {
    delete pkgs[names.pop()!];
    json = JSON.stringify(pkgs);
  }
  if (names.length > 0) add(TAG.packages, json);
  return tags;
}
