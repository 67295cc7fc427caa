import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { AUDIT_ACTIONS, type AuditAction, type AuditEntry } from '../api/types';
import { formatDateTime } from '../format';
import { Alert } from '../ui/alert';
import { Empty, Loading } from '../ui/card';
import { usePaged } from '../ui/paged';
import { Pager } from '../ui/pager';

/** GET /api/admin/audit-log: newest first, filtered by action and target id, a page at a time. */
export function AuditLog() {
  const [action, setAction] = useState<AuditAction | ''>('');
  const [targetText, setTargetText] = useState('');
  const [targetId, setTargetId] = useState('');
  const paged = usePaged((cursor) => api.auditLog({ action, targetId: targetId || undefined, cursor }), [action, targetId]);
  const { page } = paged;

  return (
    <section class="card card-wide" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <p class="hint">Every admin action and every rules or webhook change, newest first. Entries are never edited or removed.</p>
      <form
        class="filters"
        aria-label="Filter the audit log"
        onSubmit={(e) => {
          e.preventDefault();
          setTargetId(targetText.trim());
        }}
      >
        <div class="field">
          <label for="audit-action">Action</label>
          <select id="audit-action" value={action} onChange={(e) => setAction(e.currentTarget.value as AuditAction | '')}>
            <option value="">All actions</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div class="field grow">
          <label for="audit-target">Target id</label>
          <input
            id="audit-target"
            type="search"
            maxLength={255}
            autoComplete="off"
            placeholder="a user, referral or webhook id, or a rules version"
            value={targetText}
            onInput={(e) => setTargetText(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      <div aria-live="polite">{paged.error ? <Alert kind="error">{paged.error}</Alert> : null}</div>
      {!page && paged.loading ? <Loading /> : null}
      {page && page.items.length === 0 ? <Empty>{action || targetId ? 'No entries match these filters.' : 'Nothing has been audited yet.'}</Empty> : null}
      {page && page.items.length > 0 ? (
        <div class="table-wrap">
          <table class="audit stack" aria-busy={paged.loading}>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((entry) => (
                <tr key={entry.id}>
                  <td data-label="When">{formatDateTime(entry.at)}</td>
                  <td data-label="Who" class="break">{entry.actor === 'cli' ? <span class="badge">CLI</span> : entry.actor.email}</td>
                  <td data-label="Action">
                    <span class="code">{entry.action}</span>
                  </td>
                  <td data-label="Target">
                    {entry.target.type}
                    <div class="muted small code break">{entry.target.id}</div>
                  </td>
                  <td data-label="Details" class="small">
                    <Details entry={entry} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager label="Audit log" {...paged} />
    </section>
  );
}

/** The action's own fields (amount, reason, note…) and what changed, as short "name: value" lines. */
function Details({ entry }: { entry: AuditEntry }) {
  const lines = Object.entries(entry.details ?? {}).map(([k, v]) => `${k}: ${show(v)}`);
  const changes = changed(entry.before, entry.after);
  if (!lines.length && !changes.length) return <span class="muted">—</span>;
  return (
    <ul class="kv">
      {lines.map((l) => (
        <li key={l} class="break">
          {l}
        </li>
      ))}
      {changes.map((c) => (
        <li key={c} class="break muted">
          {c}
        </li>
      ))}
    </ul>
  );
}

function changed(before: Record<string, unknown> | null, after: Record<string, unknown> | null): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const out: string[] = [];
  for (const k of keys) {
    const a = before?.[k];
    const b = after?.[k];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    out.push(before ? `${k} ${show(a)} → ${show(b)}` : `${k} ${show(b)}`);
  }
  return out.length ? [`${before ? 'changed' : 'after'}: ${out.join(', ')}`] : [];
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}
