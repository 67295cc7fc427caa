import { useRef, useState } from 'preact/hooks';
import { api, ApiError, errorMessage } from '../api/client';
import type { AdminAddPointsResult, AdminUserDetail } from '../api/types';
import { formatNumber, signed } from '../format';
import { Card } from '../ui/card';
import { LiveMessage } from '../ui/alert';

const MAX = 1_000_000_000;

/** Grant (positive) or deduct (negative) points with a required reason; POST /api/points/admin/add. */
export function AdjustPointsForm({ user, onDone }: { user: AdminUserDetail; onDone: (points: AdminAddPointsResult['points']) => void }) {
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  // One Idempotency-Key per adjustment: kept only while the same form is retried after the server could not be reached,
  // so that a retry of a request that did arrive is not applied twice.
  const key = useRef<string | null>(null);
  const edit = (set: (v: string) => void) => (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => {
    key.current = null;
    set(e.currentTarget.value);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setMessage(null);
    const n = Number(amount);
    if (!Number.isInteger(n) || n === 0 || Math.abs(n) > MAX) {
      setError('Enter a whole number of points other than 0: positive to grant, negative to deduct.');
      document.getElementById('adjust-amount')?.focus();
      return;
    }
    if (!reason.trim()) {
      setError('Say why: the reason is kept in the audit log.');
      document.getElementById('adjust-reason')?.focus();
      return;
    }
    key.current ??= crypto.randomUUID();
    setBusy(true);
    try {
      const result = await api.adjustPoints({ userId: user.id, amount: n, reason: reason.trim() }, key.current);
      key.current = null;
      setError(null);
      setAmount('');
      setReason('');
      setMessage(`${n > 0 ? 'Granted' : 'Deducted'} ${formatNumber(Math.abs(n))} points (${signed(n)}). ${user.name} now has ${formatNumber(result.points.available)} available.`);
      onDone(result.points);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 0)) key.current = null;
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="Adjust points" id="adjust">
      <form onSubmit={submit} noValidate aria-describedby="adjust-hint">
        <p id="adjust-hint" class="hint">
          A positive number grants points; a negative one deducts them from what is available (never below zero).
        </p>
        <div class="field">
          <label for="adjust-amount">Points to add or deduct</label>
          <input
            id="adjust-amount"
            type="number"
            inputMode="numeric"
            step={1}
            min={-MAX}
            max={MAX}
            required
            value={amount}
            onInput={edit(setAmount)}
          />
        </div>
        <div class="field">
          <label for="adjust-reason">Reason</label>
          <textarea id="adjust-reason" rows={2} maxLength={500} required value={reason} onInput={edit(setReason)} />
        </div>
        <LiveMessage error={error} message={message} />
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Apply adjustment'}
        </button>
      </form>
    </Card>
  );
}
