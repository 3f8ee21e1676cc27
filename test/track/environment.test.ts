import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gitInfo } from "../../src/track/index.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "keel-env-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("gitInfo", () => {
  it("reports the commit and whether tracked files changed", async () => {
    const repo = path.join(dir, "repo");
    mkdirSync(repo);
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "pipe" }).toString().trim();
    git("init", "-q");
    git("config", "user.email", "t@example.com");
    git("config", "user.name", "t");
    writeFileSync(path.join(repo, "a.txt"), "1");
    git("add", "a.txt");
    git("commit", "-q", "-m", "one");
    const head = git("rev-parse", "HEAD");
    expect(await gitInfo(repo)).toMatchObject({ commit: head, dirty: false });
    writeFileSync(path.join(repo, "a.txt"), "2");
    expect(await gitInfo(repo)).toMatchObject({ commit: head, dirty: true });
    expect(await gitInfo(dir)).toBeNull();
  });
});
