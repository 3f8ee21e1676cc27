/** `keel models list|show|alias`: the model registry from the command line. */
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { getLineage, localModelDir, type Lineage, type ModelVersion, type RegisteredModel, type RegistryStore } from "../../registry/index.js";
import { action, positiveInt, withExamples } from "../command.js";
import { UsageError } from "../exit-codes.js";
import { type Cell, printJson, table } from "../output.js";
import { addStoreOption, type StoreFlags, when, withRegistry } from "./store-option.js";

async function allVersions(registry: RegistryStore, name: string): Promise<ModelVersion[]> {
  const out: ModelVersion[] = [];
  let pageToken: string | undefined;
  do {
    const page = await registry.searchModelVersions({ filter: `name = '${name.replace(/'/g, "\\'")}'`, orderBy: ["version_number DESC"], maxResults: 1000, pageToken });
    out.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return out;
}

function stagesOf(m: RegisteredModel): string {
  return m.latestVersions
    .filter((v) => v.currentStage !== "None")
    .map((v) => `${v.currentStage}: v${v.version}`)
    .join(", ");
}

export function registerModels(program: Command): void {
  const models = program.command("models").description(COMMAND_INFO.models.description);

  const list = addStoreOption(models.command("list").description("list registered models").option("-f, --filter <expr>", "e.g. \"name LIKE 'churn%'\"").option("-n, --max <n>", "at most this many", positiveInt("--max"), 100));
  withExamples(list, "keel models list", "keel models list --store http://models.internal:5000 --json");
  list.action(
    action(async (flags: StoreFlags & { filter?: string; max: number }) =>
      withRegistry(flags, async (registry) => {
        const out: RegisteredModel[] = [];
        let pageToken: string | undefined;
        do {
          const page = await registry.searchRegisteredModels({ filter: flags.filter, maxResults: Math.min(1000, flags.max - out.length), pageToken });
          out.push(...page.items);
          pageToken = page.nextPageToken;
        } while (pageToken && out.length < flags.max);
        if (flags.json) return printJson(out);
        if (out.length === 0) return void process.stdout.write("no registered models\n");
        const rows = out.map((m) => ({
          name: m.name,
          latest: m.latestVersions.length ? Math.max(...m.latestVersions.map((v) => Number(v.version))) : undefined,
          aliases: m.aliases.map((a) => `${a.alias}→v${a.version}`).join(", "),
          stages: stagesOf(m),
          updated: when(m.lastUpdatedTimestamp),
          description: m.description,
        }));
        process.stdout.write(table(rows) + "\n");
      }),
    ),
  );

  const show = addStoreOption(models.command("show").description("show a model: versions with their stages, aliases and lineage (run, hypothesis, data, code)").argument("<name>", "registered model name"));
  withExamples(show, "keel models show churn");
  show.action(
    action(async (name: string, flags: StoreFlags) =>
      withRegistry(flags, async (registry, store) => {
        const model = await registry.getRegisteredModel(name);
        const versions = await allVersions(registry, name);
        const lineage = new Map<string, Lineage>();
        for (const v of versions) lineage.set(v.version, await getLineage(registry, store, name, v.version));
        const folder = (v: ModelVersion) => localModelDir(v.source) ?? v.source;
        if (flags.json) return printJson({ model, versions: versions.map((v) => ({ ...v, folder: folder(v), lineage: lineage.get(v.version) })) });
        const lines = [`${model.name}${model.description ? ` — ${model.description}` : ""}`, `  created ${when(model.creationTimestamp)}, updated ${when(model.lastUpdatedTimestamp)}`];
        if (model.aliases.length) lines.push(`  aliases: ${model.aliases.map((a) => `${a.alias} → v${a.version}`).join(", ")}`);
        if (model.tags.length) lines.push(`  tags: ${model.tags.map((t) => `${t.key}=${t.value}`).join(", ")}`);
        lines.push("");
        if (versions.length === 0) lines.push("no versions");
        else {
          const rows = versions.map((v) => {
            const l = lineage.get(v.version)!;
            const data = l.datasets.map((d) => `${d.name}@${d.digest.slice(0, 12)}`).join(", ");
            const row: Record<string, Cell> = {
              version: Number(v.version),
              stage: v.currentStage,
              aliases: v.aliases.join(", "),
              created: when(v.creationTimestamp),
              run: v.runId ? v.runId.slice(0, 12) : "",
              hypothesis: l.run?.hypothesis ?? "",
              data,
              commit: l.code.gitCommit ? `${l.code.gitCommit.slice(0, 10)}${l.code.gitDirty ? "+dirty" : ""}` : "",
            };
            return row;
          });
          lines.push(table(rows), "", ...versions.map((v) => `v${v.version} folder: ${folder(v)}`));
        }
        process.stdout.write(lines.join("\n") + "\n");
      }),
    ),
  );

  const alias = addStoreOption(
    models
      .command("alias")
      .description("point an alias (champion, challenger, ...) at a version, or remove it with --delete")
      .argument("<name>", "registered model name")
      .argument("<alias>", "the alias")
      .argument("[version]", "the version it should point at")
      .option("-d, --delete", "remove the alias"),
  );
  withExamples(alias, "keel models alias churn champion 3", "keel models alias churn challenger --delete");
  alias.action(
    action(async (name: string, aliasName: string, version: string | undefined, flags: StoreFlags & { delete?: boolean }) =>
      withRegistry(flags, async (registry) => {
        if (flags.delete) {
          if (version !== undefined) throw new UsageError("models alias --delete takes no version", { path: "version", received: version });
          await registry.deleteRegisteredModelAlias(name, aliasName);
          if (flags.json) return printJson({ name, alias: aliasName, deleted: true });
          return void process.stdout.write(`removed alias ${aliasName} of ${name}\n`);
        }
        if (version === undefined) throw new UsageError("models alias needs a version (or --delete)", { path: "version", expected: "a version number such as 3" });
        let before: string | undefined;
        try {
          before = (await registry.getModelVersionByAlias(name, aliasName)).version;
        } catch (e) {
          if ((e as { code?: string }).code !== "NOT_FOUND") throw e;
        }
        await registry.setRegisteredModelAlias(name, aliasName, version.replace(/^v/i, ""));
        const now = await registry.getModelVersionByAlias(name, aliasName);
        if (flags.json) return printJson({ name, alias: aliasName, version: now.version, previous: before ?? null });
        process.stdout.write(`${name}@${aliasName} → v${now.version}${before && before !== now.version ? ` (was v${before})` : ""}\n`);
      }),
    ),
  );
}
