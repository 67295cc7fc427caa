/** An endpoint's URL without what often carries a token (query, fragment, credentials): for logs, the audit log, notifications. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
