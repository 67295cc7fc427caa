import type { ComponentChildren } from 'preact';

export function Card({ title, id, actions, children, wide }: { title: string; id: string; actions?: ComponentChildren; children: ComponentChildren; wide?: boolean }) {
  return (
    <section class={wide ? 'card card-wide' : 'card'} aria-labelledby={`${id}-title`} id={id}>
      <div class="card-head">
        <h2 id={`${id}-title`}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="muted" role="status" aria-busy="true">
      {label}
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}
