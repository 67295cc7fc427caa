import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../api/client';
import type { Page } from '../api/types';

/** Cursor pagination (API.md "Lists") as one growing list: the first page, then "Load more" appends the next. */
export function useLoadMore<T>(load: (cursor: string | null) => Promise<Page<T>>, deps: unknown[], enabled = true) {
  const [items, setItems] = useState<T[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(deps);

  const fetchPage = (cursor: string | null, isLive: () => boolean) => {
    setLoading(true);
    return load(cursor)
      .then((page) => {
        if (!isLive()) return;
        setItems((prev) => (cursor && prev ? [...prev, ...page.items] : page.items));
        setNextCursor(page.nextCursor);
        setError(null);
      })
      .catch((e) => isLive() && setError(errorMessage(e)))
      .finally(() => isLive() && setLoading(false));
  };

  useEffect(() => {
    if (!enabled) {
      setItems(null);
      setNextCursor(null);
      setError(null);
      return;
    }
    let live = true;
    void fetchPage(null, () => live);
    return () => {
      live = false;
    };
  }, [key, enabled, generation]);

  return {
    items,
    error,
    loading,
    /** Loads the first page again (after a change). */
    reload: () => setGeneration((g) => g + 1),
    more: nextCursor && !loading ? () => void fetchPage(nextCursor, () => true) : null,
  };
}
