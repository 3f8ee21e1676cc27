/** API tokens in the tracking store's SQLite file (better-sqlite3, WAL, busy timeout). */
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { AlreadyExistsError, NotFoundError, show } from "../../core/errors.js";
import { TOKEN_COLUMNS, TOKEN_MIGRATIONS, type TokenRow, toTokenInfo } from "./token-schema.js";
import { type CreatedToken, type CreateTokenInput, LAST_USED_RESOLUTION_MS, type TokenStore } from "./token-store.js";
import { checkRole, checkTokenName, defaultTokenName, generateToken, hashToken, type TokenInfo, tokenHint } from "./tokens.js";

export class SqliteTokenStore implements TokenStore {
  readonly location: string;
  private readonly db: Database.Database;

  private constructor(db: Database.Database, location: string) {
    this.db = db;
    this.location = location;
  }

  /** Open (creating the file when missing) and apply the token migrations. */
  static async open(file: string): Promise<SqliteTokenStore> {
    const memory = file === ":memory:";
    const abs = memory ? file : path.resolve(file);
    if (!memory) mkdirSync(path.dirname(abs), { recursive: true });
    const db = new Database(abs);
    try {
      db.pragma("busy_timeout = 10000");
      if (!memory) db.pragma("journal_mode = WAL");
      db.exec("CREATE TABLE IF NOT EXISTS keel_auth_migrations (version INTEGER PRIMARY KEY, applied_time INTEGER NOT NULL)");
      const migrate = db.transaction(() => {
        const done = new Set((db.prepare("SELECT version FROM keel_auth_migrations").all() as { version: number }[]).map((r) => r.version));
        for (const m of TOKEN_MIGRATIONS) {
          if (done.has(m.version)) continue;
          db.exec(m.sqlite);
          db.prepare("INSERT INTO keel_auth_migrations (version, applied_time) VALUES (?, ?)").run(m.version, Date.now());
        }
      });
      migrate.immediate();
    } catch (e) {
      db.close();
      throw e;
    }
    return new SqliteTokenStore(db, memory ? "sqlite::memory:" : `sqlite:${abs}`);
  }

  async create(input: CreateTokenInput): Promise<CreatedToken> {
    const role = checkRole(input?.role);
    const t = Date.now();
    const name = checkTokenName(input.name ?? defaultTokenName(role, t));
    const token = generateToken();
    const insert = this.db.transaction(() => {
      const clash = this.db.prepare("SELECT 1 FROM keel_api_tokens WHERE name = ? AND revoked_time IS NULL").get(name);
      if (clash) throw new AlreadyExistsError(`a valid token named ${show(name)} already exists (revoke it or pick another name)`, { path: "name", received: name });
      const r = this.db
        .prepare(`INSERT INTO keel_api_tokens (name, role, token_hash, hint, created_time) VALUES (?, ?, ?, ?, ?) RETURNING ${TOKEN_COLUMNS}`)
        .get(name, role, hashToken(token), tokenHint(token), t) as TokenRow;
      return toTokenInfo(r);
    });
    return { token, info: insert.immediate() };
  }

  async list(options: { includeRevoked?: boolean } = {}): Promise<TokenInfo[]> {
    const where = options.includeRevoked ? "" : "WHERE revoked_time IS NULL";
    return (this.db.prepare(`SELECT ${TOKEN_COLUMNS} FROM keel_api_tokens ${where} ORDER BY id`).all() as TokenRow[]).map(toTokenInfo);
  }

  async revoke(nameOrId: string): Promise<TokenInfo> {
    const revoke = this.db.transaction(() => {
      const byName = this.db.prepare(`SELECT ${TOKEN_COLUMNS} FROM keel_api_tokens WHERE name = ? AND revoked_time IS NULL`).get(String(nameOrId)) as TokenRow | undefined;
      const row =
        byName ?? (/^\d+$/.test(String(nameOrId)) ? (this.db.prepare(`SELECT ${TOKEN_COLUMNS} FROM keel_api_tokens WHERE id = ? AND revoked_time IS NULL`).get(Number(nameOrId)) as TokenRow | undefined) : undefined);
      if (!row) throw new NotFoundError(`no valid token has the name or id ${show(nameOrId)}`, { path: "token", received: nameOrId });
      const r = this.db.prepare(`UPDATE keel_api_tokens SET revoked_time = ? WHERE id = ? RETURNING ${TOKEN_COLUMNS}`).get(Date.now(), Number(row.id)) as TokenRow;
      return toTokenInfo(r);
    });
    return revoke.immediate();
  }

  async verify(token: string): Promise<TokenInfo | undefined> {
    if (typeof token !== "string" || token.length === 0 || token.length > 200) return undefined;
    const row = this.db.prepare(`SELECT ${TOKEN_COLUMNS} FROM keel_api_tokens WHERE token_hash = ? AND revoked_time IS NULL`).get(hashToken(token)) as TokenRow | undefined;
    if (!row) return undefined;
    const info = toTokenInfo(row);
    const t = Date.now();
    if (info.lastUsedTime === null || t - info.lastUsedTime >= LAST_USED_RESOLUTION_MS) {
      this.db.prepare("UPDATE keel_api_tokens SET last_used_time = ? WHERE id = ?").run(t, info.id);
      info.lastUsedTime = t;
    }
    return info;
  }

  async activeCount(): Promise<number> {
    return Number((this.db.prepare("SELECT COUNT(*) AS n FROM keel_api_tokens WHERE revoked_time IS NULL").get() as { n: number }).n);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
