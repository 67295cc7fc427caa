const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * The form two addresses of one mailbox share: lower-cased, `+tag` dropped, and for
 * Gmail the dots in the local part removed (j.doe+x@GMail.com → jdoe@gmail.com).
 */
export function canonicalEmail(email: string): string {
  const trimmed = email.trim().toLowerCase();
  const at = trimmed.lastIndexOf('@');
  if (at < 1) return trimmed;
  let local = trimmed.slice(0, at);
  let domain = trimmed.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.replace(/\./g, '');
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}

/** j***@example.com: enough for a referrer to recognise a friend, not to harvest addresses. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}
