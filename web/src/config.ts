function meta(name: string): string | null {
  return document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? null;
}

/** Server-side settings Nest writes into the served HTML (src/dashboard/web-app-html.ts). */
export const config = {
  google: meta('google-sign-in') === 'on',
  /** The base of short links (PUBLIC_URL); this origin when the page was not served by Nest. */
  publicUrl: (meta('public-url') || location.origin).replace(/\/+$/, ''),
};
