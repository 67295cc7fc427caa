/** "Load more" under a list; says it is loading while the next page comes. */
export function LoadMoreButton({ label, more, loading }: { label: string; more: (() => void) | null; loading: boolean }) {
  if (!more && !loading) return null;
  return (
    <div class="actions">
      <button type="button" class="secondary" onClick={more ?? undefined} disabled={!more} aria-busy={loading}>
        {loading ? 'Loading…' : `Load more ${label}`}
      </button>
    </div>
  );
}
