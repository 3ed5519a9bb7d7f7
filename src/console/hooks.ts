/** Loading data into components: once, on demand, or polled while the page is open. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  /** When the data last arrived. */
  at: Date | undefined;
  reload(): void;
}

/**
 * Runs `load` when `key` changes and, with `everyMs`, again on that interval until `keepPolling`
 * says stop (a finished backfill). The latest answer wins; an answer for an old key is dropped.
 */
export function useLoad<T>(load: () => Promise<T>, key: string, options: { everyMs?: number; keepPolling?: (data: T) => boolean } = {}): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean; at?: Date }>({ loading: true });
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const optionsRef = useRef(options);
  optionsRef.current = options;

  const run = useCallback(() => {
    const mine = generation.current;
    setState((s) => ({ ...s, loading: true }));
    loadRef.current().then(
      (data) => mine === generation.current && setState({ data, loading: false, at: new Date() }),
      (error: unknown) => mine === generation.current && setState((s) => ({ ...s, error: (error as Error).message, loading: false })),
    );
  }, []);

  const timer = useRef<number | undefined>(undefined);
  const stopPolling = () => {
    window.clearInterval(timer.current);
    timer.current = undefined;
  };
  useEffect(() => {
    generation.current++;
    setState({ loading: true });
    run();
    const every = optionsRef.current.everyMs;
    // A hidden tab does not poll; it catches up on the next tick after it shows again.
    if (every) timer.current = window.setInterval(() => !document.hidden && run(), every);
    return () => {
      stopPolling();
      // Answers still on their way belong to a page no longer shown.
      generation.current++;
    };
  }, [key, run]);

  // Stop polling once the data says there is nothing more to wait for (a finished backfill).
  useEffect(() => {
    const keepPolling = optionsRef.current.keepPolling;
    if (state.data !== undefined && keepPolling && !keepPolling(state.data)) stopPolling();
  }, [state.data]);

  return { data: state.data, error: state.error, loading: state.loading, at: state.at, reload: run };
}

/** A form action: busy while it runs, its error kept for display. */
export function useAction<A extends unknown[], T>(action: (...args: A) => Promise<T>): { run(...args: A): Promise<T | undefined>; busy: boolean; error: string | undefined; clear(): void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const run = async (...args: A) => {
    setBusy(true);
    setError(undefined);
    try {
      return await action(...args);
    } catch (e) {
      setError((e as Error).message);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error, clear: () => setError(undefined) };
}
