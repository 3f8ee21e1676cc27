/** The registry's append-only audit log, newest first, filtered by model and action (both in the URL). */
import { type FormEvent, useEffect, useId, useState } from "react";
import { AUDIT_LIMIT, auditLog } from "../api/registry";
import { ErrorBox, Loading } from "../components/status";
import { useData } from "../components/use-data";
import { useTitle } from "../components/use-title";
import { href, navigate, useLocation } from "../router";
import { AuditTable } from "./audit-table";

const ACTIONS = ["create_model", "rename_model", "update_model_description", "delete_model", "set_model_tag", "delete_model_tag", "create_version", "update_version_description", "transition_stage", "delete_version", "set_version_tag", "delete_version_tag", "set_alias", "delete_alias"];
const SHOW = 200;

export function AuditLogPage() {
  useTitle("Audit log");
  const { query } = useLocation();
  const model = query.get("model") ?? "";
  const action = query.get("action") ?? "";
  const log = useData((s) => auditLog({ modelName: model, action }, s), [model, action]);
  const [shown, setShown] = useState(SHOW);
  const [text, setText] = useState(model);
  const id = useId();
  useEffect(() => setText(model), [model]);
  useEffect(() => setShown(SHOW), [model, action]);

  const go = (patch: Record<string, string | undefined>) => navigate(href(["audit-log"], { model: model || undefined, action: action || undefined, ...patch }), { replace: true });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go({ model: text.trim() || undefined });
  };
  const entries = log.data?.entries ?? [];
  return (
    <>
      <h1>Audit log</h1>
      <p className="muted">Every change to the registry — versions, aliases, stages, tags, descriptions — with who made it, newest first. Entries are never changed or removed.</p>
      <form className="toolbar" onSubmit={submit}>
        <label htmlFor={`${id}-m`}>Model</label>
        <input id={`${id}-m`} value={text} onChange={(e) => setText(e.target.value)} placeholder="any" />
        <label htmlFor={`${id}-a`}>Action</label>
        <select id={`${id}-a`} value={action} onChange={(e) => go({ action: e.target.value || undefined })}>
          <option value="">any</option>
          {ACTIONS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
        <button type="submit">Apply</button>
      </form>
      {log.error ? <ErrorBox error={log.error} /> : null}
      {log.loading && !log.data ? <Loading what="Loading entries" /> : null}
      {log.data && entries.length === 0 ? <p className="empty">No entries{model || action ? " match" : " yet"}.</p> : null}
      {entries.length > 0 ? <AuditTable entries={entries.slice(0, shown)} caption="Audit log entries, newest first" /> : null}
      {log.data?.more ? <p className="muted small">The log holds more than {AUDIT_LIMIT.toLocaleString("en-US")} matching entries; the oldest are shown. Narrow it by model or action.</p> : null}
      {entries.length > shown ? (
        <button type="button" className="secondary" onClick={() => setShown(shown + SHOW)}>
          Show {Math.min(SHOW, entries.length - shown)} more of {entries.length.toLocaleString("en-US")}
        </button>
      ) : null}
    </>
  );
}
