/**
 * The runs of one experiment: a virtualised table over server-side paging and sorting
 * (`runs/search`), a filter in MLflow's grammar with the server's error shown under the box,
 * columns chosen from the runs' metrics, params and tags, the hypothesis ("why this run") in its
 * own column, and a selection of 2–10 runs to compare. The URL holds filter, order and columns.
 */
import { type FormEvent, useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import { ApiError } from "../api/client";
import { getExperiment, searchRuns } from "../api/tracking";
import { fmtDuration, fmtNum, fmtTime } from "../components/format";
import { type ColumnKind, type IndexedRun, columnValue, indexRun, keysOf, parseColumn, quoteKey } from "../components/run-values";
import { ErrorBox } from "../components/status";
import { useData } from "../components/use-data";
import { useTitle } from "../components/use-title";
import { type Column, VirtualTable } from "../components/virtual-table";
import { Link, href, navigate, useLocation } from "../router";

/** The first page is small (it is what the page waits for); later pages, loaded while scrolling, are bigger. */
const FIRST_PAGE = 100;
const PAGE = 500;
const MAX_COMPARE = 10;

/** `attributes.start_time DESC` ↔ `{ field, desc }`. */
function parseOrder(order: string): { field: string; desc: boolean } {
  const m = /^(.*?)\s+(ASC|DESC)$/i.exec(order.trim());
  return m ? { field: m[1], desc: m[2].toUpperCase() === "DESC" } : { field: order.trim(), desc: false };
}

function orderField(id: string): string {
  const c = parseColumn(id);
  return c ? `${c.kind}.${quoteKey(c.key)}` : `attributes.${id}`;
}

interface Listing {
  rows: IndexedRun[];
  next?: string;
  loading: boolean;
  error?: unknown;
}

export function RunsPage({ experimentId }: { experimentId: string }) {
  const { query } = useLocation();
  const filter = query.get("filter") ?? "";
  const order = query.get("order") ?? "attributes.start_time DESC";
  const topOnly = query.get("top") === "1";
  const colsParam = query.get("cols");
  const experiment = useData((s) => getExperiment(experimentId, s), [experimentId]);
  useTitle(experiment.data ? `Runs of ${experiment.data.name}` : "Runs");

  const [listing, setListing] = useState<Listing>({ rows: [], loading: true });
  const generation = useRef(0);
  const fullFilter = [filter.trim(), topOnly ? "attributes.parent_run_id IS NULL" : ""].filter(Boolean).join(" and ");

  const load = useCallback(
    async (token: string | undefined, gen: number) => {
      try {
        const page = await searchRuns({ experimentIds: [experimentId], filter: fullFilter, orderBy: [order], maxResults: token ? PAGE : FIRST_PAGE, pageToken: token });
        if (gen !== generation.current) return;
        setListing((l) => ({ rows: token ? [...l.rows, ...page.items.map(indexRun)] : page.items.map(indexRun), next: page.nextPageToken, loading: false }));
      } catch (error) {
        if (gen !== generation.current) return;
        setListing((l) => ({ ...l, rows: token ? l.rows : [], loading: false, error }));
      }
    },
    [experimentId, fullFilter, order],
  );

  useEffect(() => {
    const gen = ++generation.current;
    setListing({ rows: [], loading: true });
    void load(undefined, gen);
  }, [load]);

  const current = useRef(listing);
  current.current = listing;
  const needMore = useCallback(() => {
    const l = current.current;
    if (l.loading || !l.next || l.error) return;
    current.current = { ...l, loading: true };
    setListing(current.current);
    void load(l.next, generation.current);
  }, [load]);

  // columns: from the URL, else the four most common metrics of the first page
  const keys = useMemo(() => keysOf(listing.rows.slice(0, 1000)), [listing.rows.length > 0 ? listing.rows[0] : null, Math.min(listing.rows.length, 1000)]);
  const chosen = useMemo(() => (colsParam !== null ? colsParam.split(",").filter((c) => parseColumn(c)) : keys.metrics.slice(0, 4).map((k) => `metrics.${k}`)), [colsParam, keys]);

  const setQuery = (patch: Record<string, string | undefined>) => {
    const q: Record<string, string | undefined> = { filter: filter || undefined, order: order === "attributes.start_time DESC" ? undefined : order, cols: colsParam ?? undefined, top: topOnly ? "1" : undefined, ...patch };
    navigate(href(["experiments", experimentId], q), { replace: true });
  };

  const sortBy = (id: string, firstDesc: boolean) => () => {
    const field = orderField(id);
    const cur = parseOrder(order);
    const desc = cur.field === field ? !cur.desc : firstDesc;
    setQuery({ order: `${field} ${desc ? "DESC" : "ASC"}` });
  };
  const sortOf = (id: string): "asc" | "desc" | null => {
    const cur = parseOrder(order);
    return cur.field === orderField(id) ? (cur.desc ? "desc" : "asc") : null;
  };

  const [selected, setSelected] = useState<string[]>([]);
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : s.length >= MAX_COMPARE ? s : [...s, id]));

  const columns: Column<IndexedRun>[] = [
    {
      id: "select",
      header: <span className="sr-only">Select for comparison</span>,
      width: 44,
      cell: (r) => (
        <input type="checkbox" tabIndex={-1} aria-label={`Select ${r.run.info.run_name} for comparison`} checked={selected.includes(r.run.info.run_id)} onChange={() => toggle(r.run.info.run_id)} />
      ),
    },
    {
      id: "run_name",
      header: "Run",
      width: 190, grow: 1.2,
      sort: sortOf("run_name"),
      onSort: sortBy("run_name", false),
      cell: (r) => (
        <span className="ellipsis">
          {r.run.info.parent_run_id ? (
            <span className="muted" title="child run" aria-label="child run">
              ↳{" "}
            </span>
          ) : null}
          <Link to={href(["runs", r.run.info.run_id])} tabIndex={-1}>
            {r.run.info.run_name}
          </Link>
        </span>
      ),
    },
    { id: "status", header: "Status", width: 96, sort: sortOf("status"), onSort: sortBy("status", false), cell: (r) => <span className={`status ${r.run.info.status.toLowerCase()}`}>{r.run.info.status.toLowerCase()}</span> },
    { id: "start_time", header: "Started", width: 184, sort: sortOf("start_time"), onSort: sortBy("start_time", true), cell: (r) => fmtTime(r.run.info.start_time) },
    { id: "duration", header: "Duration", width: 92, align: "right", cell: (r) => (r.run.info.end_time && r.run.info.start_time ? fmtDuration(r.run.info.end_time - r.run.info.start_time) : "—") },
    {
      id: "hypothesis",
      header: "Why",
      title: "The hypothesis: why this run was made",
      width: 220, grow: 2,
      cell: (r) => (
        <span className="ellipsis" title={r.run.info.hypothesis}>
          {r.run.info.hypothesis ?? ""}
        </span>
      ),
    },
    ...chosen.map((id): Column<IndexedRun> => {
      const c = parseColumn(id)!;
      return {
        id,
        header: <span className="ellipsis">{c.key}</span>,
        title: id,
        width: 150, grow: 0.5,
        align: c.kind === "metrics" ? "right" : undefined,
        sort: sortOf(id),
        onSort: sortBy(id, c.kind === "metrics"),
        cell: (r) => {
          const v = columnValue(r, c);
          return c.kind === "metrics" ? fmtNum(v as number | undefined) : <span className="ellipsis" title={v as string | undefined}>{v ?? "—"}</span>;
        },
      };
    }),
  ];

  const [interactiveMs, setInteractiveMs] = useState<number | null>(null);
  const compareHref = href(["compare"], { runs: selected.join(",") });

  return (
    <>
      <p className="crumbs">
        <Link to="/">Experiments</Link> /
      </p>
      <h1>{experiment.data ? experiment.data.name : `Experiment ${experimentId}`}</h1>
      {experiment.error ? <ErrorBox error={experiment.error} title="Experiment not found" /> : null}
      <FilterBox value={filter} error={listing.error instanceof ApiError && listing.error.status === 400 ? listing.error.message : undefined} onApply={(f) => setQuery({ filter: f || undefined })} />
      <div className="toolbar">
        <label className="check">
          <input type="checkbox" checked={topOnly} onChange={(e) => setQuery({ top: e.target.checked ? "1" : undefined })} /> Hide child runs (CV candidates, trials)
        </label>
        <ColumnPicker keys={keys} chosen={chosen} onChange={(cols) => setQuery({ cols: cols.join(",") })} />
        <span className="spacer" />
        <span className="muted" role="status" aria-live="polite" data-testid="run-count">
          {listing.rows.length.toLocaleString("en-US")}
          {listing.next ? "+" : ""} runs{listing.loading ? " (loading…)" : ""}
        </span>
        {selected.length > 0 ? (
          <button type="button" className="link" onClick={() => setSelected([])}>
            Clear selection
          </button>
        ) : null}
        <Link to={compareHref} className={`button${selected.length < 2 ? " disabled" : ""}`} aria-disabled={selected.length < 2} onClick={(e) => selected.length < 2 && e.preventDefault()}>
          Compare {selected.length > 0 ? `(${selected.length})` : ""}
        </Link>
      </div>
      {listing.error && !(listing.error instanceof ApiError && listing.error.status === 400) ? <ErrorBox error={listing.error} /> : null}
      <div data-testid="runs-table" data-interactive-ms={interactiveMs ?? undefined}>
        <VirtualTable
          rows={listing.rows}
          columns={columns}
          rowKey={(r) => r.run.info.run_id}
          label={`Runs${experiment.data ? ` of ${experiment.data.name}` : ""}. Arrow keys move, Enter opens a run, Space selects it for comparison.`}
          hasMore={Boolean(listing.next)}
          onNeedMore={needMore}
          onOpen={(r) => navigate(href(["runs", r.run.info.run_id]))}
          onToggle={(r) => toggle(r.run.info.run_id)}
          isSelected={(r) => selected.includes(r.run.info.run_id)}
          height={Math.max(320, Math.min(720, window.innerHeight - 300))}
          onFirstRows={() => setInteractiveMs(Math.round(performance.now()))}
        />
      </div>
      {!listing.loading && listing.rows.length === 0 && !listing.error ? <p className="empty">No runs match{filter ? " this filter" : ""}.</p> : null}
    </>
  );
}

function FilterBox({ value, error, onApply }: { value: string; error?: string; onApply: (filter: string) => void }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(text.trim());
  };
  return (
    <form className="filter" onSubmit={submit} role="search">
      <label htmlFor={id}>Filter</label>
      <div className="filter-row">
        <input
          id={id}
          className="mono"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="metrics.cv_roc_auc_mean > 0.8 and params.model = 'gbdt'"
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-help${error ? ` ${id}-error` : ""}`}
          spellCheck={false}
        />
        <button type="submit">Apply</button>
        {value ? (
          <button type="button" className="secondary" onClick={() => onApply("")}>
            Clear
          </button>
        ) : null}
      </div>
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert" data-testid="filter-error">
          {error}
        </p>
      ) : null}
      <p id={`${id}-help`} className="help">
        MLflow's grammar: <code>metrics.</code>, <code>params.</code>, <code>tags.</code>, <code>attributes.</code> with <code>= != &lt; &lt;= &gt; &gt;= LIKE ILIKE IN IS NULL</code>, joined by <code>and</code>; backticks quote keys with dots.
      </p>
    </form>
  );
}

function ColumnPicker({ keys, chosen, onChange }: { keys: Record<ColumnKind, string[]>; chosen: string[]; onChange: (cols: string[]) => void }) {
  const flip = (id: string) => onChange(chosen.includes(id) ? chosen.filter((c) => c !== id) : [...chosen, id]);
  const groups: { kind: ColumnKind; label: string }[] = [
    { kind: "metrics", label: "Metrics" },
    { kind: "params", label: "Parameters" },
    { kind: "tags", label: "Tags" },
  ];
  return (
    <details className="picker">
      <summary>Columns ({chosen.length})</summary>
      <div className="picker-panel">
        {groups.map((g) => (
          <fieldset key={g.kind}>
            <legend>{g.label}</legend>
            {keys[g.kind].length === 0 ? <p className="muted small">none in the loaded runs</p> : null}
            {keys[g.kind].map((k) => {
              const id = `${g.kind}.${k}`;
              return (
                <label key={id} className="check">
                  <input type="checkbox" checked={chosen.includes(id)} onChange={() => flip(id)} /> <span className="mono small">{k}</span>
                </label>
              );
            })}
          </fieldset>
        ))}
      </div>
    </details>
  );
}
