import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { config } from '../config';
import { Header, Main } from '../ui/layout';

/** The frame of the sign-up and sign-in pages; the heading takes focus when the step changes. */
export function AuthShell({ title, step, children }: { title: string; step: string; children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    heading.current?.focus();
  }, [step]);
  return (
    <>
      <Header />
      <Main narrow>
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {children}
      </Main>
    </>
  );
}

/** Shown only when the server has Google configured (a flag Nest writes into the page). */
export function GoogleButton() {
  if (!config.google) return null;
  return (
    <>
      <p class="or">or</p>
      <a class="button secondary block" href="/api/auth/google">
        Continue with Google
      </a>
    </>
  );
}

/** Where to go after signing in: a `next` path of this app, else the dashboard. */
export function afterSignIn(): string {
  const next = new URLSearchParams(location.search).get('next');
  return next && /^\/dashboard\/[\w/-]*(\?[\w=&%-]*)?$/.test(next) ? next : '/dashboard/account/points';
}
