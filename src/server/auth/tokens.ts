/**
 * API tokens: roles, how a token looks, how it is stored (SHA-256 of the token, never the
 * token), and which role each kind of request needs.
 *
 * Roles are ordered read < write < admin; a token may do everything its role and the roles
 * below it may:
 * - read: every read (experiments, runs, metrics, artifacts download and listing, registry
 *   reads, the registry audit log);
 * - write: creating and changing things — experiments, runs, logging, tags, artifact uploads,
 *   soft deletes and restores of experiments and runs, registered models and versions, aliases,
 *   stage transitions, descriptions;
 * - admin: what destroys data or grants access — deleting registered models and model versions,
 *   deleting artifacts, purging runs and garbage collection, managing tokens.
 */
import { createHash, randomBytes } from "node:crypto";
import { InvalidInputError, show } from "../../core/index.js";

export type Role = "read" | "write" | "admin";
export const ROLES: readonly Role[] = ["read", "write", "admin"];

const RANK: Record<Role, number> = { read: 0, write: 1, admin: 2 };

/** True when a token of role `has` may do what needs role `needs`. */
export function roleAllows(has: Role, needs: Role): boolean {
  return RANK[has] >= RANK[needs];
}

export function checkRole(role: unknown): Role {
  if (!ROLES.includes(role as Role)) throw new InvalidInputError(`role ${show(role)} is not valid`, { path: "role", expected: ROLES.join(" | "), received: role });
  return role as Role;
}

/** Every token starts with this, so a leaked one is easy to recognise (and to grep for). */
export const TOKEN_PREFIX = "keel_";

/** A new random token: `keel_` + 32 random bytes in base64url (256 bits). */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

/** What the store keeps: the SHA-256 of the token, hex. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The first characters of a token, shown by `keel token list` to tell tokens apart. */
export function tokenHint(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + 6);
}

/** A token as the store lists it (never the token itself). */
export interface TokenInfo {
  id: number;
  name: string;
  role: Role;
  /** The token's first characters (`keel_AbCdEf`). */
  hint: string;
  /** Epoch ms. */
  createdTime: number;
  /** Epoch ms of the last request made with it (updated at most once a minute), null if never used. */
  lastUsedTime: number | null;
  /** Epoch ms, null while the token is valid. */
  revokedTime: number | null;
}

/** Who made a request: a token's name and role, or the open server's anonymous admin. */
export interface Principal {
  name: string;
  role: Role;
  /** False when the server runs open (no tokens configured). */
  authenticated: boolean;
}

/** The name tokens get when created without one. */
export function defaultTokenName(role: Role, now = Date.now()): string {
  return `${role}-${new Date(now).toISOString().slice(0, 19).replace(/[-:T]/g, "")}`;
}

export function checkTokenName(name: unknown): string {
  if (typeof name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/.test(name)) {
    throw new InvalidInputError(`token name ${show(name)} is not valid: expected 1 to 100 letters, digits, ".", "_", "@" or "-" (starting with a letter or digit)`, {
      path: "name",
      expected: "[A-Za-z0-9][A-Za-z0-9._@-]{0,99}",
      received: name,
    });
  }
  return name;
}

/** A token's record as JSON (snake_case, as the rest of the API). */
export function encodeTokenInfo(t: TokenInfo): Record<string, unknown> {
  const out: Record<string, unknown> = { id: t.id, name: t.name, role: t.role, hint: t.hint, created_time: t.createdTime };
  if (t.lastUsedTime !== null) out.last_used_time = t.lastUsedTime;
  if (t.revokedTime !== null) out.revoked_time = t.revokedTime;
  return out;
}

export function decodeTokenInfo(v: unknown): TokenInfo {
  const o = (v ?? {}) as Record<string, unknown>;
  const num = (x: unknown) => (x === undefined || x === null ? null : Number(x));
  return {
    id: Number(o.id),
    name: String(o.name),
    role: checkRole(o.role),
    hint: String(o.hint ?? ""),
    createdTime: Number(o.created_time),
    lastUsedTime: num(o.last_used_time),
    revokedTime: num(o.revoked_time),
  };
}
