/**
 * Whether the CLI may draw for a person: colour and progress bars only on a terminal, never when
 * output goes to a file, a pipe or a CI log, and never with `NO_COLOR` set (https://no-color.org:
 * present and not empty) or `TERM=dumb`. `KEEL_PROGRESS=1` / `0` force progress bars on or off.
 */

type Env = Readonly<Record<string, string | undefined>>;

function plainTerminal(env: Env): boolean {
  return (env.NO_COLOR !== undefined && env.NO_COLOR !== "") || env.TERM === "dumb";
}

/** True when `stream` (stdout by default) may carry ANSI colour. */
export function colorEnabled(stream: { isTTY?: boolean } = process.stdout, env: Env = process.env): boolean {
  return Boolean(stream.isTTY) && !plainTerminal(env);
}

/**
 * True when progress bars may be drawn: `KEEL_PROGRESS=1` forces them (on stderr, one line per
 * change when it is not a terminal), `KEEL_PROGRESS=0` hides them; otherwise both stdout and
 * stderr must be terminals and neither `NO_COLOR` nor `TERM=dumb` set.
 */
export function progressEnabled(
  streams: { stdout: { isTTY?: boolean }; stderr: { isTTY?: boolean } } = process,
  env: Env = process.env,
): boolean {
  if (env.KEEL_PROGRESS === "1") return true;
  if (env.KEEL_PROGRESS === "0") return false;
  return Boolean(streams.stdout.isTTY) && Boolean(streams.stderr.isTTY) && !plainTerminal(env);
}
