/** Readable default run names (`brave-otter-417`), as MLflow gives unnamed runs. */
import { randomInt } from "node:crypto";

const ADJECTIVES = ["amber", "bold", "brave", "bright", "calm", "clever", "crisp", "eager", "fair", "gentle", "glad", "keen", "lively", "lucid", "merry", "nimble", "patient", "proud", "quick", "quiet", "rapid", "sharp", "steady", "sunny", "swift", "tidy", "vivid", "warm", "wise", "zesty"];
const NOUNS = ["badger", "bison", "crane", "dolphin", "eagle", "falcon", "fox", "gecko", "heron", "ibis", "jaguar", "koala", "lark", "lynx", "marten", "newt", "otter", "owl", "panda", "puffin", "quail", "raven", "seal", "stork", "tapir", "tern", "viper", "walrus", "wren", "yak"];

/**
 * A fresh two-word name with a number (not reproducible on purpose: names are labels, not data).
 * @example
 * ```ts
 * randomRunName(); // e.g. "brave-otter-417"
 * ```
 */
export function randomRunName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}-${randomInt(1000)}`;
}
