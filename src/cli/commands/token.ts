/** `keel token create|list|revoke`: API tokens for `keel server` (stored hashed beside the store). */
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { checkRole, openTokenStore, type TokenInfo } from "../../server/index.js";
import { action, jsonOption, withExamples } from "../command.js";
import { printJson, table } from "../output.js";
import { when } from "./store-option.js";

interface Flags {
  store?: string;
  json?: boolean;
}

function tokenJson(t: TokenInfo) {
  return { id: t.id, name: t.name, role: t.role, hint: t.hint, createdTime: t.createdTime, lastUsedTime: t.lastUsedTime, revokedTime: t.revokedTime };
}

export function registerToken(program: Command): void {
  const token = program.command("token").description(COMMAND_INFO.token.description);
  const storeOpt = (c: Command) =>
    jsonOption(
      c.option("--store <url>", "the server's store (a SQLite path, postgres://..., or a server URL with an admin KEEL_TOKEN); default $KEEL_STORE, else .keel/keel.db"),
    );

  const create = storeOpt(
    token
      .command("create")
      .description("create a token and print it once (only its SHA-256 is stored)")
      .requiredOption("-r, --role <role>", "read (search and download), write (log, create, update) or admin (delete models, gc, tokens)")
      .option("-n, --name <name>", "a name to recognise it by (default: <role>-<time>)"),
  );
  withExamples(create, "keel token create --role write --name ci", 'export KEEL_TOKEN="$(keel token create --role read --json | jq -r .token)"');
  create.action(
    action(async (flags: Flags & { role: string; name?: string }) => {
      const role = checkRole(flags.role);
      const tokens = await openTokenStore(flags.store);
      try {
        const { token: secret, info } = await tokens.create({ role, name: flags.name });
        if (flags.json) printJson({ token: secret, ...tokenJson(info) });
        else {
          process.stdout.write(`${secret}\n`);
          process.stderr.write(`token ${JSON.stringify(info.name)} (${info.role}) created in ${tokens.location}. It is shown only this once: store it now (clients read KEEL_TOKEN).\n`);
        }
      } finally {
        await tokens.close();
      }
    }),
  );

  const list = storeOpt(token.command("list").description("list tokens (never the tokens themselves)").option("-a, --all", "include revoked tokens"));
  withExamples(list, "keel token list");
  list.action(
    action(async (flags: Flags & { all?: boolean }) => {
      const tokens = await openTokenStore(flags.store);
      try {
        const all = await tokens.list({ includeRevoked: flags.all });
        if (flags.json) printJson(all.map(tokenJson));
        else if (all.length === 0) process.stdout.write("no tokens: the server runs open on loopback only\n");
        else
          process.stdout.write(
            table(
              all.map((t) => ({ id: t.id, name: t.name, role: t.role, token: `${t.hint}…`, created: when(t.createdTime), "last used": t.lastUsedTime ? when(t.lastUsedTime) : "never", ...(flags.all ? { revoked: t.revokedTime ? when(t.revokedTime) : "" } : {}) })),
            ) + "\n",
          );
      } finally {
        await tokens.close();
      }
    }),
  );

  const revoke = storeOpt(token.command("revoke").description("revoke a token at once, by name or id").argument("<name-or-id>", "the token's name or id (keel token list)"));
  withExamples(revoke, "keel token revoke ci");
  revoke.action(
    action(async (nameOrId: string, flags: Flags) => {
      const tokens = await openTokenStore(flags.store);
      try {
        const info = await tokens.revoke(nameOrId);
        if (flags.json) printJson(tokenJson(info));
        else process.stdout.write(`revoked token ${JSON.stringify(info.name)} (${info.role})\n`);
      } finally {
        await tokens.close();
      }
    }),
  );
}
