import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../api/client';
import type { Page } from '../api/types';

/** Cursor pagination (API.md "Lists") as pages you can go forward and back through. */
export function usePaged<P extends Page<unknown>>(load: (cursor: string | null) => Promise<P>, deps: unknown[]) {
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [page, setPage] = useState<P | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const cursor = cursors[cursors.length - 1];
  const key = JSON.stringify(deps);

  useEffect(() => setCursors([null]), [key]);

  useEffect(() => {
    let live = true;
    setLoading(true);
    load(cursor)
      .then((p) => live && (setPage(p), setError(null)))
      .catch((e) => live && setError(errorMessage(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [cursor, key]);

  return {
    page,
    error,
    loading,
    pageNumber: cursors.length,
    next: page?.nextCursor ? () => setCursors((c) => [...c, page.nextCursor]) : null,
    prev: cursors.length > 1 ? () => setCursors((c) => c.slice(0, -1)) : null,
  };
}
