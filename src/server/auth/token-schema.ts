/**
 * The tokens table (migration component "tokens", run by the backend's migration runner). The
 * statements keep `IF NOT EXISTS`: stores made before the runner kept their own
 * `keel_auth_migrations` record of this same table, which it adopts as it is.
 */
import type { Migration } from "../../backend/index.js";
import type { Role, TokenInfo } from "./tokens.js";

export const TOKEN_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "API tokens (SHA-256 of the token, role, hint, times); names unique among valid tokens",
    statements: (dialect) => [
      dialect === "sqlite"
        ? `CREATE TABLE IF NOT EXISTS keel_api_tokens (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('read', 'write', 'admin')),
      token_hash TEXT NOT NULL UNIQUE,
      hint TEXT NOT NULL,
      created_time INTEGER NOT NULL,
      last_used_time INTEGER,
      revoked_time INTEGER
    )`
        : `CREATE TABLE IF NOT EXISTS keel_api_tokens (
      id BIGSERIAL PRIMARY KEY,
      name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('read', 'write', 'admin')),
      token_hash TEXT NOT NULL UNIQUE,
      hint TEXT NOT NULL,
      created_time BIGINT NOT NULL,
      last_used_time BIGINT,
      revoked_time BIGINT
    )`,
      "CREATE UNIQUE INDEX IF NOT EXISTS keel_api_tokens_valid_name ON keel_api_tokens (name) WHERE revoked_time IS NULL",
    ],
  },
];

export const TOKEN_COLUMNS = "id, name, role, hint, created_time, last_used_time, revoked_time";

export interface TokenRow {
  id: number | string;
  name: string;
  role: string;
  hint: string;
  created_time: number | string;
  last_used_time: number | string | null;
  revoked_time: number | string | null;
}

export function toTokenInfo(r: TokenRow): TokenInfo {
  return {
    id: Number(r.id),
    name: r.name,
    role: r.role as Role,
    hint: r.hint,
    createdTime: Number(r.created_time),
    lastUsedTime: r.last_used_time === null ? null : Number(r.last_used_time),
    revokedTime: r.revoked_time === null ? null : Number(r.revoked_time),
  };
}
