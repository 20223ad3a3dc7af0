/**
 * Live refresh: every view re-reads what it shows every few seconds while the page is visible,
 * unless the operator paused it. Reads replace the data in place, so a form being filled in,
 * the page of the list and the scroll position stay as they are.
 */
import { createContext, useCallback, useContext, useEffect, useRef, useState } from "react";
import { describeError, isCancelled } from "./api.js";

export const refreshIntervalMs = 5000;

export const LiveContext = createContext(true);

const storageKey = "concord.console.live";

/** The live toggle's state, remembered across visits. */
export function useLiveSetting(): [boolean, (live: boolean) => void] {
  const [live, setLive] = useState(() => readStorage(storageKey) !== "off");
  const set = useCallback((value: boolean) => {
    setLive(value);
    writeStorage(storageKey, value ? "on" : "off");
  }, []);
  return [live, set];
}

export interface Polled<T> {
  /** The last answer for the current key; kept while a refresh is on its way or failed. */
  readonly data: T | undefined;
  /** The last read's error, cleared by the next success. */
  readonly error: string | undefined;
  readonly loading: boolean;
  readonly updatedAt: Date | undefined;
  /** Read again now. */
  reload(): void;
}

interface PollState<T> {
  readonly key: string;
  readonly data: T | undefined;
  readonly error: string | undefined;
  readonly loading: boolean;
  readonly updatedAt: Date | undefined;
}

/**
 * Read with `load` now, whenever `key` changes, on `reload()`, and every `refreshIntervalMs`
 * while live and visible (a hidden page reads again as soon as it is shown). A read still on its
 * way when a newer one starts is cancelled.
 */
export function usePolled<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Polled<T> {
  const live = useContext(LiveContext);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  const [state, setState] = useState<PollState<T>>({ key, data: undefined, error: undefined, loading: true, updatedAt: undefined });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    let due = false;
    let abort: AbortController | undefined;

    const read = async () => {
      abort?.abort();
      const current = (abort = new AbortController());
      window.clearTimeout(timer);
      setState((s) => (s.key === key ? { ...s, loading: true } : { key, data: undefined, error: undefined, loading: true, updatedAt: undefined }));
      try {
        const data = await loadRef.current(current.signal);
        if (stopped || current.signal.aborted) return;
        setState({ key, data, error: undefined, loading: false, updatedAt: new Date() });
      } catch (err) {
        if (stopped || current.signal.aborted || isCancelled(err)) return;
        setState((s) => ({ ...s, key, error: describeError(err), loading: false }));
      }
      if (live && !stopped) timer = window.setTimeout(tick, refreshIntervalMs);
    };
    const tick = () => {
      if (document.visibilityState === "visible") void read();
      else due = true;
    };
    const onVisibility = () => {
      if (document.visibilityState === "visible" && due) {
        due = false;
        void read();
      }
    };
    document.addEventListener("visibilitychange", onVisibility);
    void read();
    return () => {
      stopped = true;
      abort?.abort();
      window.clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [key, live, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const fresh = state.key === key;
  return {
    data: fresh ? state.data : undefined,
    error: fresh ? state.error : undefined,
    loading: fresh ? state.loading : true,
    updatedAt: fresh ? state.updatedAt : undefined,
    reload,
  };
}

export function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeStorage(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage may be off (private mode, policy): the setting just lasts for this page.
  }
}
