/**
 * The sealed test set. Split off before anything learns from the data, its content hash is
 * recorded at once, and it can be read exactly when the final evaluation unseals it; any earlier
 * read is a CONFLICT error. This makes "the test set was kept apart" a property the code enforces,
 * not a promise.
 */
import { ConflictError } from "../core/index.js";
import { frameHash, type Frame } from "../data/index.js";

export class SealedFrame {
  /** SHA-256 content hash of the sealed rows, recorded when sealed. */
  readonly hash: string;
  readonly nRows: number;
  private readonly frame: Frame;
  private openedBy: string | null = null;

  /** `hash`: the frame's content hash when already known (a cached split); computed otherwise. */
  constructor(frame: Frame, hash?: string) {
    this.frame = frame;
    this.hash = hash ?? frameHash(frame);
    this.nRows = frame.nRows;
  }

  /** Unseal for the final evaluation (once). Records who opened it. */
  unseal(by: string): Frame {
    if (this.openedBy !== null) throw new ConflictError(`the test set was already unsealed by ${this.openedBy}; it is evaluated once`, { path: "test", received: by });
    this.openedBy = by;
    return this.frame;
  }

  get unsealed(): boolean {
    return this.openedBy !== null;
  }

  /** The rows, after `unseal`; reading a sealed test set throws. */
  read(): Frame {
    if (this.openedBy === null) {
      throw new ConflictError("the test set is sealed until the final evaluation; no step before it may read it", { path: "test", expected: "unseal() by the final evaluation first" });
    }
    return this.frame;
  }
}
