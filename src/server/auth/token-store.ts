/** The token store contract, shared by the SQLite, PostgreSQL and remote implementations. */
import type { Role, TokenInfo } from "./tokens.js";

export interface CreateTokenInput {
  role: Role;
  /** Unique among valid tokens; default `<role>-<UTC timestamp>`. */
  name?: string;
}

export interface CreatedToken {
  /** The token itself: shown once, never stored. */
  token: string;
  info: TokenInfo;
}

/** The token store contract (SQLite, PostgreSQL, remote). */
export interface TokenStore {
  /** Where the tokens are (a file, a database URI without password, a server URL). */
  readonly location: string;
  create(input: CreateTokenInput): Promise<CreatedToken>;
  /** Valid tokens, oldest first; with `includeRevoked` revoked ones too. */
  list(options?: { includeRevoked?: boolean }): Promise<TokenInfo[]>;
  /** Revoke by name or id (NOT_FOUND when no valid token has it). */
  revoke(nameOrId: string): Promise<TokenInfo>;
  /** The token's record when it is valid, else undefined. Records the use (at most once a minute). */
  verify(token: string): Promise<TokenInfo | undefined>;
  /** How many valid tokens exist (0 = the server may run open on loopback). */
  activeCount(): Promise<number>;
  close(): Promise<void>;
}

/** How often `last_used_time` is rewritten for a token in use (ms). */
export const LAST_USED_RESOLUTION_MS = 60_000;
