export function Pager({ label, pageNumber, prev, next }: { label: string; pageNumber: number; prev: (() => void) | null; next: (() => void) | null }) {
  if (!prev && !next) return null;
  return (
    <nav class="pager" aria-label={`${label} pages`}>
      <button type="button" class="secondary" onClick={prev ?? undefined} disabled={!prev}>
        Newer
      </button>
      <span class="muted">Page {pageNumber}</span>
      <button type="button" class="secondary" onClick={next ?? undefined} disabled={!next}>
        Older
      </button>
    </nav>
  );
}
