/** Load data for a page: re-run when `deps` change, abort the stale request, keep errors as data. */
import { type DependencyList, useCallback, useEffect, useRef, useState } from "react";

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Load again (after a change the page made). */
  reload: () => void;
}

export function useData<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const lastTick = useRef(tick);
  useEffect(() => {
    const ctl = new AbortController();
    // a reload keeps what is shown until the new answer arrives; another page starts empty
    const keep = lastTick.current !== tick;
    lastTick.current = tick;
    setState((s) => ({ data: keep ? s.data : undefined, error: undefined, loading: true }));
    loadRef.current(ctl.signal).then(
      (data) => !ctl.signal.aborted && setState({ data, error: undefined, loading: false }),
      (error) => !ctl.signal.aborted && setState({ data: undefined, error, loading: false }),
    );
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
