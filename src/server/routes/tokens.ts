/** Managing API tokens over HTTP (`/api/2.0/keel/tokens/*`, admin only): list, create, revoke. */
import { UnsupportedError } from "../../core/errors.js";
import { checkRole, encodeTokenInfo } from "../auth/tokens.js";
import type { ServerDeps } from "../deps.js";
import type { RouteDef } from "../route.js";

export function tokenRoutes({ tokens }: ServerDeps): RouteDef[] {
  const need = () => {
    if (!tokens) throw new UnsupportedError("this server has no token store");
    return tokens;
  };
  return [
    {
      methods: ["GET"],
      api: "keel",
      path: "tokens/list",
      role: "admin",
      handler: async ({ fields: f }) => ({ tokens: (await need().list({ includeRevoked: f.bool("include_revoked") ?? false })).map(encodeTokenInfo) }),
    },
    {
      methods: ["POST"],
      api: "keel",
      path: "tokens/create",
      role: "admin",
      handler: async ({ fields: f }) => {
        const created = await need().create({ role: checkRole(f.requiredString("role")), name: f.string("name") || undefined });
        return { token: created.token, token_info: encodeTokenInfo(created.info) };
      },
    },
    {
      methods: ["POST"],
      api: "keel",
      path: "tokens/revoke",
      role: "admin",
      handler: async ({ fields: f }) => ({ token_info: encodeTokenInfo(await need().revoke(f.requiredString("token"))) }),
    },
  ];
}
