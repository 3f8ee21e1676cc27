/** The token store contract, shared by the SQL (SQLite, PostgreSQL) and remote implementations. */
import type { Backend } from "../../backend/index.js";
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
  /** The backend the token store opened over. */
  readonly backend: Backend;
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
  /** Done with the store; closes the backend only when the store opened it. */
  close(): Promise<void>;
}

/** How often `last_used_time` is rewritten for a token in use (ms). */
export const LAST_USED_RESOLUTION_MS = 60_000;
