/** API tokens in a SQL backend (SQLite or PostgreSQL): the `keel_api_tokens` table beside the tracking tables. */
import { isUniqueViolation, type SqlBackend, type SqlDriver } from "../../backend/index.js";
import { AlreadyExistsError, NotFoundError, show } from "../../core/index.js";
import { TOKEN_COLUMNS, TOKEN_MIGRATIONS, type TokenRow, toTokenInfo } from "./token-schema.js";
import { type CreatedToken, type CreateTokenInput, LAST_USED_RESOLUTION_MS, type TokenStore } from "./token-store.js";
import { checkRole, checkTokenName, defaultTokenName, generateToken, hashToken, type TokenInfo, tokenHint } from "./tokens.js";

/**
 * How long `activeCount` trusts its last answer, ms. A loopback server asks on every request
 * without a token; a token created or revoked by another process (the CLI) counts within this
 * time, by this process at once.
 */
export const ACTIVE_COUNT_TTL_MS = 1000;

export class SqlTokenStore implements TokenStore {
  readonly location: string;
  private readonly sql: SqlDriver;
  private active: { n: number; at: number } | undefined;

  private constructor(readonly backend: SqlBackend) {
    this.sql = backend.sql;
    this.location = backend.uri;
  }

  /** Open over a SQL backend: applies the token migrations. */
  static async open(backend: SqlBackend): Promise<SqlTokenStore> {
    await backend.migrate("tokens", TOKEN_MIGRATIONS);
    return new SqlTokenStore(backend);
  }

  async create(input: CreateTokenInput): Promise<CreatedToken> {
    const role = checkRole(input?.role);
    const t = Date.now();
    const name = checkTokenName(input.name ?? defaultTokenName(role, t));
    const token = generateToken();
    try {
      // the partial unique index on valid names refuses a clash, also between processes
      this.active = undefined;
      const row = await this.sql.get<TokenRow>(`INSERT INTO keel_api_tokens (name, role, token_hash, hint, created_time) VALUES (?, ?, ?, ?, ?) RETURNING ${TOKEN_COLUMNS}`, [name, role, hashToken(token), tokenHint(token), t]);
      this.active = undefined;
      return { token, info: toTokenInfo(row!) };
    } catch (e) {
      if (isUniqueViolation(e)) throw new AlreadyExistsError(`a valid token named ${show(name)} already exists (revoke it or pick another name)`, { path: "name", received: name });
      throw e;
    }
  }

  async list(options: { includeRevoked?: boolean } = {}): Promise<TokenInfo[]> {
    const where = options.includeRevoked ? "" : "WHERE revoked_time IS NULL";
    return (await this.sql.all<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM keel_api_tokens ${where} ORDER BY id`)).map(toTokenInfo);
  }

  async revoke(nameOrId: string): Promise<TokenInfo> {
    const key = String(nameOrId);
    const revoke = (column: "name" | "id", value: string | number) =>
      this.sql.get<TokenRow>(`UPDATE keel_api_tokens SET revoked_time = ? WHERE ${column} = ? AND revoked_time IS NULL RETURNING ${TOKEN_COLUMNS}`, [Date.now(), value]);
    this.active = undefined;
    const row = (await revoke("name", key)) ?? (/^\d{1,15}$/.test(key) ? await revoke("id", Number(key)) : undefined);
    this.active = undefined;
    if (!row) throw new NotFoundError(`no valid token has the name or id ${show(nameOrId)}`, { path: "token", received: nameOrId });
    return toTokenInfo(row);
  }

  async verify(token: string): Promise<TokenInfo | undefined> {
    if (typeof token !== "string" || token.length === 0 || token.length > 200) return undefined;
    const row = await this.sql.get<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM keel_api_tokens WHERE token_hash = ? AND revoked_time IS NULL`, [hashToken(token)]);
    if (!row) return undefined;
    const info = toTokenInfo(row);
    const t = Date.now();
    if (info.lastUsedTime === null || t - info.lastUsedTime >= LAST_USED_RESOLUTION_MS) {
      await this.sql.run("UPDATE keel_api_tokens SET last_used_time = ? WHERE id = ?", [t, info.id]);
      info.lastUsedTime = t;
    }
    return info;
  }

  async activeCount(): Promise<number> {
    const t = Date.now();
    if (this.active && t - this.active.at < ACTIVE_COUNT_TTL_MS) return this.active.n;
    const n = Number((await this.sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM keel_api_tokens WHERE revoked_time IS NULL"))!.n);
    this.active = { n, at: t };
    return n;
  }

  /** The connection is the backend's: nothing of the store's own to release. */
  async close(): Promise<void> {}
}
