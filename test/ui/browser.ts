/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), headless, with a
 * fresh profile per launch. `CHROMIUM` is null where the browser is not installed: browser
 * tests then skip with a message, as the PostgreSQL tests do.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, type ConsoleMessage, type Page, chromium } from "playwright-core";
import { type RunningServer, startServer } from "../../src/server/index.js";

export const CHROMIUM: string | null = existsSync(process.env.KEEL_CHROMIUM ?? "/usr/bin/chromium") ? (process.env.KEEL_CHROMIUM ?? "/usr/bin/chromium") : null;

/** Say once per file, visibly, that browser tests are skipped. */
export function warnIfNoChromium(what: string): void {
  if (!CHROMIUM) console.warn(`Chromium is not installed (/usr/bin/chromium): ${what} SKIPPED (install it with \`apt-get install -y chromium\`)`);
}

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface Session {
  browser: Browser;
  context: BrowserContext;
  /** Console errors and page errors seen since the last `takeErrors()`. */
  takeErrors(): string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Launch Chromium with a fresh user-data dir (playwright passes it as `--user-data-dir`). */
export async function launch(options: { viewport?: { width: number; height: number } } = {}): Promise<Session> {
  if (!CHROMIUM) throw new Error("chromium is not installed");
  const profile = mkdtempSync(path.join(os.tmpdir(), "keel-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: options.viewport ?? { width: 1400, height: 900 },
  });
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on("console", (m: ConsoleMessage) => {
      if (m.type() === "error") errors.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  };
  context.pages().forEach(watch);
  context.on("page", watch);
  return {
    browser: context.browser()!,
    context,
    takeErrors: () => errors.splice(0),
    newPage: async () => context.newPage(),
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A real `keel server` over a store file, and Chromium with one page open on nothing yet. */
export interface UiSession {
  server: RunningServer;
  browser: Session;
  page: Page;
  /** Close the browser and the server, and remove `dir` (the store's temporary folder). */
  close(): Promise<void>;
}

export async function openUi(store: string, dir: string): Promise<UiSession> {
  const server = await startServer({ store, port: 0 });
  const browser = await launch();
  return {
    server,
    browser,
    page: await browser.newPage(),
    close: async () => {
      await browser.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
