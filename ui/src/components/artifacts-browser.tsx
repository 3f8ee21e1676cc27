/**
 * A run's artifacts: a folder tree (folders load when opened) and a preview of the chosen file —
 * text, JSON (pretty-printed), CSV/TSV (the first rows as a table), Markdown, images, and HTML
 * reports in a sandboxed frame (no scripts, no access to the app). Previews read only the first
 * bytes of big files (Keel's `artifacts/head`). The chosen path is in the URL.
 */
import { useEffect, useState } from "react";
import { artifactBlob, artifactHead, listArtifacts } from "../api/tracking";
import type { FileInfo } from "../api/types";
import { csvHead } from "./csv";
import { fmtBytes, shortHash } from "./format";
import { Markdown } from "./markdown";
import { Empty, ErrorBox, Loading } from "./status";
import { Table } from "./table";
import { useData } from "./use-data";

const ext = (p: string) => (p.includes(".") ? p.slice(p.lastIndexOf(".") + 1).toLowerCase() : "");
const base = (p: string) => p.split("/").pop() ?? p;
const IMAGE: Record<string, string> = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp", svg: "image/svg+xml" };

export function ArtifactsBrowser({ runId, path, onSelect }: { runId: string; path: string; onSelect: (path: string) => void }) {
  const root = useData((s) => listArtifacts(runId, "", s), [runId]);
  const [selectedInfo, setSelectedInfo] = useState<FileInfo | undefined>(undefined);
  if (root.error) return <ErrorBox error={root.error} title="Artifacts could not be listed" />;
  if (!root.data) return <Loading what="Listing artifacts" />;
  if (root.data.length === 0) return <Empty>This run has no artifacts.</Empty>;
  return (
    <div className="artifacts">
      <nav aria-label="Artifact files" className="artifact-tree">
        <Tree runId={runId} entries={root.data} selected={path} onSelect={(f) => (setSelectedInfo(f), onSelect(f.path))} openPath={path} />
      </nav>
      <section className="artifact-preview" aria-label="Preview">
        {path ? <Preview runId={runId} path={path} info={selectedInfo?.path === path ? selectedInfo : undefined} /> : <p className="muted">Choose a file to preview it.</p>}
      </section>
    </div>
  );
}

function Tree({ runId, entries, selected, onSelect, openPath }: { runId: string; entries: FileInfo[]; selected: string; onSelect: (f: FileInfo) => void; openPath: string }) {
  const sorted = [...entries].sort((a, b) => Number(b.is_dir) - Number(a.is_dir) || a.path.localeCompare(b.path));
  return (
    <ul className="tree">
      {sorted.map((e) => (e.is_dir ? <Folder key={e.path} runId={runId} entry={e} selected={selected} onSelect={onSelect} openPath={openPath} /> : <li key={e.path}>
            <button type="button" className={`file${selected === e.path ? " current" : ""}`} aria-current={selected === e.path ? "true" : undefined} onClick={() => onSelect(e)}>
              {base(e.path)} <span className="muted small">{fmtBytes(e.file_size)}</span>
            </button>
          </li>))}
    </ul>
  );
}

function Folder({ runId, entry, selected, onSelect, openPath }: { runId: string; entry: FileInfo; selected: string; onSelect: (f: FileInfo) => void; openPath: string }) {
  const [open, setOpen] = useState(openPath.startsWith(entry.path + "/"));
  const [children, setChildren] = useState<FileInfo[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (open && children === null) listArtifacts(runId, entry.path).then(setChildren, setError);
  }, [open, children, runId, entry.path]);
  return (
    <li>
      <button type="button" className="folder" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span aria-hidden="true">{open ? "▾" : "▸"}</span> {base(entry.path)}/
      </button>
      {open ? error ? <ErrorBox error={error} /> : children ? <Tree runId={runId} entries={children} selected={selected} onSelect={onSelect} openPath={openPath} /> : <Loading /> : null}
    </li>
  );
}

async function download(runId: string, path: string): Promise<void> {
  const blob = await artifactBlob(runId, path);
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = base(path);
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Preview({ runId, path, info }: { runId: string; path: string; info?: FileInfo }) {
  const e = ext(path);
  return (
    <div data-testid="artifact-preview" data-path={path}>
      <div className="preview-head">
        <h3 className="mono">{path}</h3>
        <button type="button" className="secondary" onClick={() => void download(runId, path)}>
          Download
        </button>
      </div>
      {info?.sha256 ? <p className="muted small">sha256 <span className="mono" title={info.sha256}>{shortHash(info.sha256, 16)}</span></p> : null}
      {IMAGE[e] ? <ImagePreview runId={runId} path={path} type={IMAGE[e]} /> : <TextPreview runId={runId} path={path} kind={e} />}
    </div>
  );
}

function ImagePreview({ runId, path, type }: { runId: string; path: string; type: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let u: string | null = null;
    artifactBlob(runId, path).then(
      async (b) => {
        u = URL.createObjectURL(new Blob([await b.arrayBuffer()], { type }));
        setUrl(u);
      },
      setError,
    );
    return () => {
      if (u) URL.revokeObjectURL(u);
    };
  }, [runId, path, type]);
  if (error) return <ErrorBox error={error} />;
  if (!url) return <Loading what="Loading the image" />;
  return <img className="artifact-image" src={url} alt={`Artifact ${path}`} />;
}

function TextPreview({ runId, path, kind }: { runId: string; path: string; kind: string }) {
  const html = kind === "html" || kind === "htm";
  const limit = html || kind === "json" || kind === "md" ? 8 * 1024 * 1024 : 256 * 1024;
  const { data, error } = useData((s) => artifactHead(runId, path, limit, s), [runId, path, limit]);
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading what="Loading the preview" />;
  const cut = data.truncated ? <p className="muted small">Showing the first {fmtBytes(data.text.length)} of {fmtBytes(data.size)}.</p> : null;
  if (/[\u0000-\u0008\u000e-\u001f]/.test(data.text.slice(0, 4096))) return <p className="muted">Binary file ({fmtBytes(data.size)}): no preview. Use Download.</p>;
  if (html) return (
      <>
        {cut}
        <iframe className="artifact-html" title={`HTML report ${path}`} sandbox="" srcDoc={data.text} />
      </>
    );
  if (kind === "json" && !data.truncated) {
    try {
      return <pre className="code">{JSON.stringify(JSON.parse(data.text), null, 2)}</pre>;
    } catch {
      // not valid JSON: shown as text below
    }
  }
  if (kind === "md") return <Markdown text={data.text} headingOffset={3} />;
  if (kind === "csv" || kind === "tsv") {
    const { rows, more } = csvHead(data.text, 51, kind === "tsv" ? "\t" : ",");
    const [head, ...body] = rows;
    return (
      <>
        <p className="muted small">
          The first {body.length} rows{more ? " (more in the file)" : ""}.
        </p>
        <Table head={head ?? []}>
          {body.map((r, i) => (
            <tr key={i}>{r.map((c, j) => <td key={j}>{c}</td>)}</tr>
          ))}
        </Table>
      </>
    );
  }
  return (
    <>
      {cut}
      <pre className="code">{data.text}</pre>
    </>
  );
}
