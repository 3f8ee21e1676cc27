/**
 * API tokens in the tracking store's PostgreSQL database (`pg` pool of 2; a `?schema=` in the
 * URI puts the table in that schema, as for the tracking tables). Migrations run under an
 * advisory lock so servers starting together apply them once.
 */
import pg from "pg";
import { AlreadyExistsError, InvalidInputError, NotFoundError, show } from "../../core/errors.js";
import { TOKEN_COLUMNS, TOKEN_MIGRATIONS, type TokenRow, toTokenInfo } from "./token-schema.js";
import { type CreatedToken, type CreateTokenInput, LAST_USED_RESOLUTION_MS, type TokenStore } from "./token-store.js";
import { checkRole, checkTokenName, defaultTokenName, generateToken, hashToken, type TokenInfo, tokenHint } from "./tokens.js";

/** The advisory lock key of token migrations ("keel" "auth" as two int32). */
const LOCK: [number, number] = [0x6b65656c, 0x61757468];

function withoutPassword(uri: string): string {
  try {
    const u = new URL(uri);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return uri.replace(/:[^:@/]*@/, ":***@");
  }
}

export class PostgresTokenStore implements TokenStore {
  readonly location: string;
  private readonly pool: pg.Pool;

  private constructor(pool: pg.Pool, location: string) {
    this.pool = pool;
    this.location = location;
  }

  static async open(uri: string): Promise<PostgresTokenStore> {
    const url = new URL(uri);
    const schema = url.searchParams.get("schema") ?? undefined;
    url.searchParams.delete("schema");
    if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
      throw new InvalidInputError(`PostgreSQL schema ${show(schema)} is not valid: expected letters, digits and _`, { path: "schema", received: schema });
    }
    const pool = new pg.Pool({ connectionString: url.toString(), max: 2, ...(schema ? { options: `-c search_path="${schema}"` } : {}) });
    pool.on("error", () => {
      // an idle client lost its connection; the pool replaces it on the next query
    });
    try {
      const c = await pool.connect();
      try {
        await c.query("BEGIN");
        await c.query("SELECT pg_advisory_xact_lock($1, $2)", LOCK);
        if (schema) await c.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
        await c.query("CREATE TABLE IF NOT EXISTS keel_auth_migrations (version INTEGER PRIMARY KEY, applied_time BIGINT NOT NULL)");
        const done = new Set((await c.query<{ version: number }>("SELECT version FROM keel_auth_migrations")).rows.map((r) => Number(r.version)));
        for (const m of TOKEN_MIGRATIONS) {
          if (done.has(m.version)) continue;
          await c.query(m.postgres);
          await c.query("INSERT INTO keel_auth_migrations (version, applied_time) VALUES ($1, $2)", [m.version, Date.now()]);
        }
        await c.query("COMMIT");
      } catch (e) {
        await c.query("ROLLBACK").catch(() => undefined);
        throw e;
      } finally {
        c.release();
      }
    } catch (e) {
      await pool.end();
      throw e;
    }
    return new PostgresTokenStore(pool, withoutPassword(uri));
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query("BEGIN");
      const out = await fn(c);
      await c.query("COMMIT");
      return out;
    } catch (e) {
      await c.query("ROLLBACK").catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }

  async create(input: CreateTokenInput): Promise<CreatedToken> {
    const role = checkRole(input?.role);
    const t = Date.now();
    const name = checkTokenName(input.name ?? defaultTokenName(role, t));
    const token = generateToken();
    try {
      const r = await this.pool.query<TokenRow>(`INSERT INTO keel_api_tokens (name, role, token_hash, hint, created_time) VALUES ($1, $2, $3, $4, $5) RETURNING ${TOKEN_COLUMNS}`, [
        name,
        role,
        hashToken(token),
        tokenHint(token),
        t,
      ]);
      return { token, info: toTokenInfo(r.rows[0]) };
    } catch (e) {
      if ((e as { code?: string }).code === "23505") throw new AlreadyExistsError(`a valid token named ${show(name)} already exists (revoke it or pick another name)`, { path: "name", received: name });
      throw e;
    }
  }

  async list(options: { includeRevoked?: boolean } = {}): Promise<TokenInfo[]> {
    const where = options.includeRevoked ? "" : "WHERE revoked_time IS NULL";
    return (await this.pool.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM keel_api_tokens ${where} ORDER BY id`)).rows.map(toTokenInfo);
  }

  async revoke(nameOrId: string): Promise<TokenInfo> {
    return this.tx(async (c) => {
      let row = (await c.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM keel_api_tokens WHERE name = $1 AND revoked_time IS NULL FOR UPDATE`, [String(nameOrId)])).rows[0];
      if (!row && /^\d{1,15}$/.test(String(nameOrId))) {
        row = (await c.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM keel_api_tokens WHERE id = $1 AND revoked_time IS NULL FOR UPDATE`, [Number(nameOrId)])).rows[0];
      }
      if (!row) throw new NotFoundError(`no valid token has the name or id ${show(nameOrId)}`, { path: "token", received: nameOrId });
      const r = await c.query<TokenRow>(`UPDATE keel_api_tokens SET revoked_time = $1 WHERE id = $2 RETURNING ${TOKEN_COLUMNS}`, [Date.now(), Number(row.id)]);
      return toTokenInfo(r.rows[0]);
    });
  }

  async verify(token: string): Promise<TokenInfo | undefined> {
    if (typeof token !== "string" || token.length === 0 || token.length > 200) return undefined;
    const row = (await this.pool.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM keel_api_tokens WHERE token_hash = $1 AND revoked_time IS NULL`, [hashToken(token)])).rows[0];
    if (!row) return undefined;
    const info = toTokenInfo(row);
    const t = Date.now();
    if (info.lastUsedTime === null || t - info.lastUsedTime >= LAST_USED_RESOLUTION_MS) {
      await this.pool.query("UPDATE keel_api_tokens SET last_used_time = $1 WHERE id = $2", [t, info.id]);
      info.lastUsedTime = t;
    }
    return info;
  }

  async activeCount(): Promise<number> {
    return Number((await this.pool.query<{ n: string }>("SELECT COUNT(*) AS n FROM keel_api_tokens WHERE revoked_time IS NULL")).rows[0].n);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
