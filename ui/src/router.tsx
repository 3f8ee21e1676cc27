/**
 * Deep links for every page: the URL (path + query) is the page's whole state, kept in the
 * History API. `keel server` answers every non-API path with the app, so any link can be opened
 * directly, bookmarked or shared.
 */
import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from "react";

const CHANGE = "keel:navigate";

function subscribe(fn: () => void): () => void {
  window.addEventListener("popstate", fn);
  window.addEventListener(CHANGE, fn);
  return () => {
    window.removeEventListener("popstate", fn);
    window.removeEventListener(CHANGE, fn);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

/** Go to `to` (a path with an optional query); `replace` rewrites the current entry (filters, tabs). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  window.dispatchEvent(new Event(CHANGE));
  if (!options.replace) window.scrollTo(0, 0);
}

export interface Location {
  path: string;
  query: URLSearchParams;
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot);
  const i = href.indexOf("?");
  return { path: i < 0 ? href : href.slice(0, i), query: new URLSearchParams(i < 0 ? "" : href.slice(i)) };
}

/** `pattern` like `/runs/:id` against a raw (encoded) `path`; the decoded parameters, or null. A trailing `*` matches the rest. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split("/").filter(Boolean);
  const s = path.split("/").filter(Boolean);
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i] === "*") {
      out["*"] = s.slice(i).map(decode).join("/");
      return out;
    }
    if (i >= s.length) return null;
    if (p[i].startsWith(":")) out[p[i].slice(1)] = decode(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return s.length === p.length ? out : null;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A path with encoded segments and a query (undefined and empty values left out). */
export function href(segments: readonly string[], query: Record<string, string | undefined> = {}): string {
  const path = "/" + segments.map(encodeURIComponent).join("/");
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** An in-app link: a real `<a href>` (open in a new tab works), navigated without a reload. */
export function Link({ to, replace, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string; replace?: boolean }) {
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to, { replace });
  };
  return <a href={to} onClick={click} {...rest} />;
}
