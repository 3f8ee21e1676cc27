/**
 * One registered model: its aliases (moved from here, with a write token and a confirmation —
 * every move lands in the audit log), its versions with their lineage tags and test metric, and
 * the model's recent audit entries.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { auditLog, getModel, modelVersions, setAlias } from "../api/registry";
import type { ModelVersion } from "../api/types";
import { useAuth } from "../auth";
import { fmtNum, fmtTime, shortHash } from "../components/format";
import { Empty, ErrorBox, Loading } from "../components/status";
import { Table } from "../components/table";
import { useData } from "../components/use-data";
import { useTitle } from "../components/use-title";
import { Link, href } from "../router";
import { AuditTable } from "./audit-table";

const tag = (v: ModelVersion, key: string) => v.tags?.find((t) => t.key === key)?.value;

export function ModelPage({ name }: { name: string }) {
  useTitle(`Model ${name}`);
  const { canWrite } = useAuth();
  const model = useData((s) => getModel(name, s), [name]);
  const versions = useData((s) => modelVersions(name, s), [name]);
  const audit = useData((s) => auditLog({ modelName: name }, s), [name]);
  const [moving, setMoving] = useState<{ alias: string; version: string; isNew: boolean } | null>(null);
  const [notice, setNotice] = useState("");

  if (model.error) return <ErrorBox error={model.error} title="Model not found" />;
  if (!model.data) return <Loading what="Loading the model" />;
  const m = model.data;
  const aliases = m.aliases ?? [];
  const vs = versions.data ?? [];
  // `keel run` tags the primary test metric as keel.test_<metric> (beside keel.test_hash)
  const testTag = (v: ModelVersion) => v.tags?.find((t) => t.key.startsWith("keel.test_") && t.key !== "keel.test_hash" && Number.isFinite(Number(t.value)));

  return (
    <>
      <p className="crumbs">
        <Link to="/models">Models</Link> /
      </p>
      <h1>{m.name}</h1>
      {m.description ? <p>{m.description}</p> : null}
      <p className="muted small">
        Created {fmtTime(m.creation_timestamp)} · last update {fmtTime(m.last_updated_timestamp)}
      </p>
      <p role="status" aria-live="polite" className={notice ? "notice ok" : "sr-only"} data-testid="alias-notice">
        {notice}
      </p>
      <section aria-labelledby="md-aliases">
        <h2 id="md-aliases">Aliases</h2>
        {aliases.length === 0 ? <Empty>No aliases.</Empty> : null}
        {aliases.length > 0 ? (
          <div className="table-wrap">
            <table className="compact" data-testid="aliases">
              <thead>
                <tr>
                  <th scope="col">alias</th>
                  <th scope="col">version</th>
                  <th scope="col">reference</th>
                  {canWrite ? (
                    <th scope="col">
                      <span className="sr-only">actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {aliases.map((a) => (
                  <tr key={a.alias}>
                    <th scope="row">@{a.alias}</th>
                    <td>
                      <Link to={href(["models", name, "versions", a.version])}>version {a.version}</Link>
                    </td>
                    <td className="mono small">
                      models:/{name}@{a.alias}
                    </td>
                    {canWrite ? (
                      <td>
                        <button type="button" className="secondary" onClick={() => setMoving({ alias: a.alias, version: a.version, isNew: false })}>
                          Move @{a.alias}…
                        </button>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {canWrite && vs.length > 0 ? (
          <button type="button" className="secondary" onClick={() => setMoving({ alias: "", version: vs[0].version, isNew: true })}>
            Assign a new alias…
          </button>
        ) : null}
        {!canWrite ? <p className="muted small">Your token is read-only: aliases cannot be changed from here.</p> : null}
      </section>
      <section aria-labelledby="md-versions">
        <h2 id="md-versions">Versions</h2>
        {versions.error ? <ErrorBox error={versions.error} /> : null}
        {!versions.data && !versions.error ? <Loading what="Loading versions" /> : null}
        {vs.length > 0 ? (
          <Table testId="versions" head={["version", "aliases", "created", "model", { label: "test metric", num: true }, "good enough", "data hash", "run"]}>
            {vs.map((v) => {
              const t = testTag(v);
              return (
                <tr key={v.version}>
                  <th scope="row">
                    <Link to={href(["models", name, "versions", v.version])}>version {v.version}</Link>
                  </th>
                  <td>
                    {(v.aliases ?? []).map((a) => (
                      <span key={a} className="chip">
                        @{a}
                      </span>
                    ))}
                  </td>
                  <td>{fmtTime(v.creation_timestamp)}</td>
                  <td className="mono">{tag(v, "keel.model") ?? "—"}</td>
                  <td className="num" title={t?.key}>
                    {t ? `${t.key.replace("keel.test_", "")} ${fmtNum(Number(t.value))}` : "—"}
                  </td>
                  <td>{tag(v, "keel.good_enough") ?? "—"}</td>
                  <td className="mono" title={tag(v, "keel.data_hash")}>
                    {shortHash(tag(v, "keel.data_hash"))}
                  </td>
                  <td>{v.run_id ? <Link to={href(["runs", v.run_id])}>run</Link> : "—"}</td>
                </tr>
              );
            })}
          </Table>
        ) : null}
      </section>
      <section aria-labelledby="md-audit">
        <h2 id="md-audit">Recent changes</h2>
        {audit.error ? <ErrorBox error={audit.error} /> : null}
        {audit.data ? <AuditTable entries={audit.data.entries.slice(0, 10)} caption={`The latest changes to ${name}`} /> : null}
        <p>
          <Link to={href(["audit-log"], { model: name })}>The whole audit log of {name}</Link>
        </p>
      </section>
      {moving ? (
        <MoveAlias
          name={name}
          alias={moving.alias}
          from={moving.isNew ? null : moving.version}
          versions={vs}
          onClose={() => setMoving(null)}
          onMoved={(alias, from, to) => {
            setMoving(null);
            setNotice(from ? `Moved @${alias} from version ${from} to version ${to}. The audit log records the change.` : `Assigned @${alias} to version ${to}. The audit log records the change.`);
            model.reload();
            versions.reload();
            audit.reload();
          }}
        />
      ) : null}
    </>
  );
}

/** The confirmation dialog of an alias move (a modal `<dialog>`: focus stays inside, Escape cancels). */
function MoveAlias({ name, alias, from, versions, onClose, onMoved }: { name: string; alias: string; from: string | null; versions: ModelVersion[]; onClose: () => void; onMoved: (alias: string, from: string | null, to: string) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const others = versions.filter((v) => v.version !== from);
  const [to, setTo] = useState(others[0]?.version ?? "");
  const [newAlias, setNewAlias] = useState(alias);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { info } = useAuth();
  useEffect(() => {
    const d = ref.current!;
    d.showModal();
    return () => d.close();
  }, []);
  const target = from ? alias : newAlias.trim();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!confirming) return setConfirming(true);
    setBusy(true);
    setError(null);
    try {
      await setAlias(name, target, to);
      onMoved(target, from, to);
    } catch (err) {
      setError(err);
      setBusy(false);
      setConfirming(false);
    }
  };
  return (
    <dialog ref={ref} aria-labelledby={`${id}-t`} onCancel={onClose} className="dialog" data-testid="alias-dialog">
      <form onSubmit={submit}>
        <h2 id={`${id}-t`}>{from ? `Move @${alias}` : "Assign an alias"}</h2>
        {from ? (
          <p>
            <span className="mono">
              models:/{name}@{alias}
            </span>{" "}
            points at version {from} now.
          </p>
        ) : (
          <p>
            <label htmlFor={`${id}-a`}>Alias</label>
            <input id={`${id}-a`} value={newAlias} onChange={(e) => (setNewAlias(e.target.value), setConfirming(false))} required pattern="[A-Za-z0-9_\-]+" placeholder="champion" />
          </p>
        )}
        <p>
          <label htmlFor={`${id}-v`}>To version</label>
          <select id={`${id}-v`} value={to} onChange={(e) => (setTo(e.target.value), setConfirming(false))}>
            {others.map((v) => (
              <option key={v.version} value={v.version}>
                version {v.version}
                {v.aliases?.length ? ` (${v.aliases.map((a) => `@${a}`).join(", ")})` : ""}
              </option>
            ))}
          </select>
        </p>
        {others.length === 0 ? <p className="field-error">There is no other version to move it to.</p> : null}
        {confirming ? (
          <p className="confirm" role="alert">
            {from ? `Move @${alias} from version ${from} to version ${to}?` : `Point @${target} at version ${to}?`} Anything that resolves{" "}
            <span className="mono">
              models:/{name}@{target}
            </span>{" "}
            (serving, <code>keel predict</code>) will use version {to}. The change is recorded in the audit log{info.auth ? ` as ${info.principal.name}` : ""}.
          </p>
        ) : null}
        {error ? <ErrorBox error={error} title="The alias was not changed" /> : null}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={busy || !to || !target} className={confirming ? "danger" : undefined}>
            {confirming ? (busy ? "Moving…" : "Yes, move it") : "Move…"}
          </button>
        </div>
      </form>
    </dialog>
  );
}
