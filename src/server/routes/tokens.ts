/** Managing API tokens over HTTP (`/api/2.0/keel/tokens/*`, admin only): list, create, revoke. */
import { ForbiddenError, UnsupportedError } from "../../core/index.js";
import { checkRole, encodeTokenInfo } from "../auth/tokens.js";
import type { ServerDeps } from "../deps.js";
import type { RouteDef } from "../route.js";
import { field, required } from "../fields.js";

/**
 * @param options.allowAdminCreate false on a server bound beyond loopback: there admin tokens are
 * made only locally with `keel token create`, so a leaked admin token cannot mint more.
 */
export function tokenRoutes({ tokens }: ServerDeps, options: { allowAdminCreate?: boolean } = {}): RouteDef[] {
  const allowAdminCreate = options.allowAdminCreate ?? true;
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
      input: { include_revoked: field.bool() },
      handler: async ({ fields: f }) => ({ tokens: (await need().list({ includeRevoked: f.bool("include_revoked") ?? false })).map(encodeTokenInfo) }),
    },
    {
      methods: ["POST"],
      api: "keel",
      path: "tokens/create",
      role: "admin",
      input: { role: required(field.text()), name: field.text() },
      handler: async ({ fields: f }) => {
        const role = checkRole(f.requiredString("role"));
        if (role === "admin" && !allowAdminCreate) {
          throw new ForbiddenError("admin tokens cannot be created over HTTP on a server bound beyond loopback: create one on the server's machine with `keel token create --role admin`", { path: "role", expected: "read | write", received: role });
        }
        const created = await need().create({ role, name: f.string("name") || undefined });
        return { token: created.token, token_info: encodeTokenInfo(created.info) };
      },
    },
    {
      methods: ["POST"],
      api: "keel",
      path: "tokens/revoke",
      role: "admin",
      input: { token: required(field.text()) },
      handler: async ({ fields: f }) => ({ token_info: encodeTokenInfo(await need().revoke(f.requiredString("token"))) }),
    },
  ];
}
