import type { ComponentChildren } from 'preact';

/** Errors interrupt (role="alert"); other news waits its turn (role="status"). Both are live regions. */
export function Alert({ kind, children }: { kind: 'error' | 'info' | 'success'; children: ComponentChildren }) {
  return (
    <p class={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </p>
  );
}

/** A live region that is always in the page, so that screen readers announce what is put in it later. */
export function LiveMessage({ error, message }: { error?: string | null; message?: string | null }) {
  return (
    <div aria-live="polite" class="live">
      {error ? <Alert kind="error">{error}</Alert> : message ? <Alert kind="success">{message}</Alert> : null}
    </div>
  );
}
