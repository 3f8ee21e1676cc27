/**
 * Progress bars on stderr for anything that runs over a second. Shown on a terminal only —
 * stdout and stderr both terminals, no NO_COLOR (terminal.ts) — or when KEEL_PROGRESS=1; never on
 * stdout, so `--json` output stays clean. The bar redraws on
 * every report and, while asynchronous work (reading a file) runs, on a timer with the elapsed time.
 */
import type { ProgressEvent } from "../core/index.js";
import { progressEnabled } from "./terminal.js";

/** Bars appear after this long (KEEL_PROGRESS_DELAY_MS overrides it: 0 draws at once). */
const DELAY_MS = 1000;
const WIDTH = 28;

export class ProgressBars {
  private readonly started = Date.now();
  private readonly enabled: boolean;
  private readonly delayMs: number;
  private readonly stream: NodeJS.WriteStream;
  private current: ProgressEvent | null = null;
  private lastDraw = 0;
  private drawn = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.stream = stream;
    this.enabled = progressEnabled({ stdout: process.stdout, stderr: stream });
    const delay = Number(process.env.KEEL_PROGRESS_DELAY_MS);
    this.delayMs = process.env.KEEL_PROGRESS_DELAY_MS && Number.isFinite(delay) && delay >= 0 ? delay : DELAY_MS;
  }

  /** A reporter for `withProgress`. */
  readonly report = (e: ProgressEvent): void => {
    if (!this.enabled) return;
    const labelChanged = this.current?.label !== e.label;
    this.current = e;
    if (!this.timer && this.stream.isTTY) {
      this.timer = setInterval(() => this.draw(false), 250);
      this.timer.unref();
    }
    this.draw(labelChanged);
  };

  private draw(force: boolean): void {
    const e = this.current;
    const now = Date.now();
    if (!e || now - this.started < this.delayMs) return;
    if (!force && now - this.lastDraw < 100) return;
    if (!this.stream.isTTY && !force) return;
    this.lastDraw = now;
    const secs = ((now - this.started) / 1000).toFixed(1);
    let line: string;
    if (e.total && e.total > 0) {
      const f = Math.max(0, Math.min(1, e.done / e.total));
      const full = Math.round(f * WIDTH);
      line = `${e.label.padEnd(28)} [${"█".repeat(full)}${"░".repeat(WIDTH - full)}] ${(f * 100).toFixed(0).padStart(3)}%  ${secs}s`;
    } else {
      line = `${e.label.padEnd(28)} ${e.done > 0 ? e.done.toLocaleString("en-US") + "  " : ""}${secs}s`;
    }
    this.stream.write(this.stream.isTTY ? `\r\x1b[2K${line}` : `${line}\n`);
    this.drawn = true;
  }

  /** Stop redrawing and clear the bar line before results are printed. */
  done(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.drawn && this.stream.isTTY) this.stream.write("\r\x1b[2K");
    this.drawn = false;
  }
}
