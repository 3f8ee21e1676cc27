/** API tokens of a remote `keel server`, managed through its admin endpoints (needs an admin token). */
import { UnsupportedError } from "../../core/errors.js";
import { HttpClient } from "../../track/remote/index.js";
import type { CreatedToken, CreateTokenInput, TokenStore } from "./token-store.js";
import { decodeTokenInfo, type TokenInfo } from "./tokens.js";

const BASE = "/api/2.0/keel/tokens";

export class RemoteTokenStore implements TokenStore {
  readonly location: string;
  private readonly http: HttpClient;

  constructor(url: string, token?: string) {
    this.http = new HttpClient(url, { token });
    this.location = this.http.baseUrl;
  }

  async create(input: CreateTokenInput): Promise<CreatedToken> {
    const r = await this.http.call("POST", `${BASE}/create`, { role: input.role, name: input.name });
    return { token: String(r.token), info: decodeTokenInfo(r.token_info) };
  }

  async list(options: { includeRevoked?: boolean } = {}): Promise<TokenInfo[]> {
    const r = await this.http.call("GET", `${BASE}/list`, { include_revoked: options.includeRevoked ? "true" : undefined });
    return ((r.tokens as unknown[]) ?? []).map(decodeTokenInfo);
  }

  async revoke(nameOrId: string): Promise<TokenInfo> {
    const r = await this.http.call("POST", `${BASE}/revoke`, { token: nameOrId });
    return decodeTokenInfo(r.token_info);
  }

  async verify(): Promise<TokenInfo | undefined> {
    throw new UnsupportedError("tokens of a remote server are verified by that server");
  }

  async activeCount(): Promise<number> {
    return (await this.list()).length;
  }

  async close(): Promise<void> {}
}
