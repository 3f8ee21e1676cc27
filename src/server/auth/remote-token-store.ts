/** API tokens of a remote `keel server`, managed through its admin endpoints (needs an admin token). */
import type { HttpBackend } from "../../backend/index.js";
import { UnauthenticatedError } from "../../core/index.js";
import type { CreatedToken, CreateTokenInput, TokenStore } from "./token-store.js";
import { decodeTokenInfo, type TokenInfo } from "./tokens.js";

const BASE = "/api/2.0/keel/tokens";

export class RemoteTokenStore implements TokenStore {
  readonly location: string;

  constructor(readonly backend: HttpBackend) {
    this.location = backend.uri;
  }

  async create(input: CreateTokenInput): Promise<CreatedToken> {
    const r = await this.backend.http.call("POST", `${BASE}/create`, { role: input.role, name: input.name });
    return { token: String(r.token), info: decodeTokenInfo(r.token_info) };
  }

  async list(options: { includeRevoked?: boolean } = {}): Promise<TokenInfo[]> {
    const r = await this.backend.http.call("GET", `${BASE}/list`, { include_revoked: options.includeRevoked ? "true" : undefined });
    return ((r.tokens as unknown[]) ?? []).map(decodeTokenInfo);
  }

  async revoke(nameOrId: string): Promise<TokenInfo> {
    const r = await this.backend.http.call("POST", `${BASE}/revoke`, { token: nameOrId });
    return decodeTokenInfo(r.token_info);
  }

  /** Asks the server who `token` is (it records the use), then reads that token's record. */
  async verify(token: string): Promise<TokenInfo | undefined> {
    if (typeof token !== "string" || token.length === 0 || token.length > 200) return undefined;
    let principal: { name?: unknown; authenticated?: unknown };
    try {
      const info = await this.backend.http.call("GET", "/api/2.0/keel/server-info", undefined, { authorization: `Bearer ${token}` });
      principal = { ...(info.principal as object), authenticated: info.auth };
    } catch (e) {
      if (e instanceof UnauthenticatedError) return undefined;
      throw e;
    }
    if (principal.authenticated !== true) return undefined; // an open server: no token is valid
    return (await this.list()).find((t) => t.name === principal.name);
  }

  async activeCount(): Promise<number> {
    return (await this.list()).length;
  }

  async close(): Promise<void> {}
}
