/**
 * DESIGN's layer rule: imports only go down. Each module lists the modules it may import
 * (itself always allowed); anything else fails `npm test`.
 *
 * The store layers, bottom up:
 * - wire/: the entities that cross between a `keel server` and its clients (runs, experiments,
 *   metrics, models, versions, audit entries, lineage) and their MLflow JSON codec. Plain data
 *   and pure functions; it imports only core/. It sits below the stores, not beside them,
 *   because both sides use it: the server's routes encode with it and the HTTP client stores
 *   (track/remote-store, registry/remote-registry) decode with it — if it lived above track/ or
 *   registry/, those clients could not import it; if the entities stayed in track/ and
 *   registry/, wire/ would import upwards (a cycle).
 * - backend/: `openBackend(uri)` — the SQL drivers and migration runner, the HTTP client, the
 *   artifact stores, and the default-store rules. It knows no store family (only wire/'s JSON
 *   type), so every family above opens over it.
 * - track/, then registry/ (which reads runs for lineage), then server/ (tokens, routes).
 */
const layers = [
  ["core"],
  ["data"],
  ["estimator"],
  ["models", "features", "metrics"],
  ["wire"],
  ["backend"],
  ["track"],
  ["serve", "monitor", "registry", "tune", "evaluate", "explain"],
  ["pipeline", "project"],
  ["server"],
  ["cli", "ui"],
];
const rank = {};
layers.forEach((mods, i) => mods.forEach((m) => (rank[m] = i)));
// modules on one layer that may use each other (a pipeline's final step is a model; the registry's
// promotion gates evaluate candidates, as DESIGN has it)
const sideways = { features: ["models", "metrics"], models: ["metrics"], evaluate: ["explain"], registry: ["evaluate"], serve: ["registry", "monitor"], monitor: ["registry", "evaluate"], tune: ["evaluate"], pipeline: ["project"] };

const forbidden = [];
for (const [mod, r] of Object.entries(rank)) {
  const above = Object.keys(rank).filter((m) => rank[m] > r || (rank[m] === r && m !== mod && !(sideways[mod] ?? []).includes(m)));
  if (above.length === 0) continue;
  forbidden.push({
    name: `layer-${mod}`,
    comment: `${mod}/ may only import from modules on lower layers (DESIGN: imports only go down)`,
    severity: "error",
    from: { path: `^src/${mod}/` },
    to: { path: `^src/(${above.join("|")})/` },
  });
}
// DESIGN: a folder's index.ts is its public surface; nothing reaches into another folder's
// internals. A top-level folder's index.ts, or a first-level sub-folder's (data/io/, models/gbdt/,
// evaluate/cv/: heavy parts that are surfaces of their own, so importing one constant of data/
// does not load every reader and splitter). $1 is the importing file's top-level folder. Files
// directly in src/ (the package root) are not matched; worker modules loaded by URL are not imports.
forbidden.push({
  name: "cross-folder-through-index",
  comment: "a module imports another top-level folder of src/ only through that folder's (or a first-level sub-folder's) index.ts",
  severity: "error",
  from: { path: "^src/([^/]+)/" },
  to: { path: "^src/", pathNot: ["^src/$1/", "^src/[^/]+/index\\.ts$", "^src/[^/]+/[^/]+/index\\.ts$"] },
});
forbidden.push({
  name: "no-circular",
  severity: "error",
  from: {},
  to: { circular: true },
});
forbidden.push({
  name: "not-to-test",
  comment: "src must not import tests or benchmarks",
  severity: "error",
  from: { path: "^src/" },
  to: { path: "^(test|bench)/" },
});

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
