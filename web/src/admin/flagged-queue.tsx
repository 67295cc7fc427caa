import { useState } from 'preact/hooks';
import { api, errorMessage } from '../api/client';
import type { AdminReferral, Page } from '../api/types';
import { countOf, formatDateTime } from '../format';
import { reasonText } from '../referral-reasons';
import { Alert, LiveMessage } from '../ui/alert';
import { Empty, Loading } from '../ui/card';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { usePaged } from '../ui/paged';
import { Pager } from '../ui/pager';

type Decision = { referral: AdminReferral; action: 'approve' | 'reject' };

export function FlaggedQueue() {
  const [version, setVersion] = useState(0);
  const paged = usePaged<Page<AdminReferral>>((cursor) => api.flaggedReferrals(cursor), [version]);
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const open = (d: Decision) => {
    setNote('');
    setError(null);
    setDeciding(d);
  };

  const decide = async () => {
    if (!deciding) return;
    const { referral, action } = deciding;
    setBusy(true);
    try {
      await api.reviewReferral(referral.id, action, note.trim());
      setMessage(`${action === 'approve' ? 'Approved' : 'Rejected'} the referral of ${referral.referee.name} by ${referral.referrer.name}.`);
      setError(null);
      setDeciding(null);
      setVersion((v) => v + 1);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const { page } = paged;
  return (
    <div class="card card-wide">
      <h2>Flagged referrals</h2>
      <p class="hint">Sign-ups that look risky wait here; their rewards are held until you approve them. Rejecting voids the held rewards.</p>
      <LiveMessage error={deciding ? null : error} message={message} />
      {paged.error ? <Alert kind="error">{paged.error}</Alert> : null}
      {!page && paged.loading ? <Loading /> : null}
      {page && page.items.length === 0 ? <Empty>No referrals are waiting for review.</Empty> : null}
      {page && page.items.length > 0 ? (
        <ul class="queue">
          {page.items.map((r) => (
            <li key={r.id} class="queue-item" aria-label={`Referral of ${r.referee.name}`}>
              <div class="parties">
                <div>
                  <span class="muted small">Referee</span>
                  <div>{r.referee.name}</div>
                  <div class="muted small break">{r.referee.email}</div>
                </div>
                <div>
                  <span class="muted small">Referrer</span>
                  <div>{r.referrer.name}</div>
                  <div class="muted small break">{r.referrer.email}</div>
                </div>
              </div>
              <ul class="reasons">
                {r.reasons.map((reason) => (
                  <li key={reason}>
                    <span class="badge badge-flagged">{reason}</span> {reasonText(reason)}
                  </li>
                ))}
              </ul>
              <p class="muted small">
                Signed up {formatDateTime(r.createdAt)} · {r.heldPoints ? `${countOf(r.heldPoints, 'point')} held` : 'no points held yet'}
              </p>
              <div class="actions">
                <button type="button" onClick={() => open({ referral: r, action: 'approve' })}>
                  Approve<span class="sr-only"> {r.referee.name}</span>
                </button>
                <button type="button" class="danger-outline" onClick={() => open({ referral: r, action: 'reject' })}>
                  Reject<span class="sr-only"> {r.referee.name}</span>
                </button>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      <Pager label="Flagged referrals" {...paged} />
      {deciding ? (
        <ConfirmDialog
          title={deciding.action === 'approve' ? 'Approve this referral?' : 'Reject this referral?'}
          confirmLabel={deciding.action === 'approve' ? 'Approve' : 'Reject'}
          danger={deciding.action === 'reject'}
          busy={busy}
          onConfirm={decide}
          onCancel={() => setDeciding(null)}
        >
          <p>
            {deciding.referral.referee.name} referred by {deciding.referral.referrer.name}.{' '}
            {heldText(deciding.referral.heldPoints, deciding.action)}
          </p>
          <div class="field">
            <label for="review-note">Note (optional)</label>
            <textarea id="review-note" maxLength={500} rows={3} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </div>
          <LiveMessage error={error} />
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

function heldText(points: number, action: 'approve' | 'reject'): string {
  if (!points) return action === 'approve' ? 'Its rewards will be paid as they are earned.' : 'It will earn no rewards.';
  return `The ${countOf(points, 'held point')} ${points === 1 ? 'is' : 'are'} ${action === 'approve' ? 'released' : 'voided'}.`;
}
