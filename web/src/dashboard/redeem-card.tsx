import { useState } from 'preact/hooks';
import { api, errorMessage } from '../api/client';
import type { RedeemResult, RewardType } from '../api/types';
import { formatMoney, formatNumber } from '../format';
import { Alert, LiveMessage } from '../ui/alert';
import { Card } from '../ui/card';
import { CopyButton } from '../ui/copy-button';
import { Field } from '../ui/field';

export function RedeemCard({ available, onRedeemed }: { available: number; onRedeemed: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<RedeemResult | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const amount = Number(form.get('redeem-amount'));
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.redeem(amount, String(form.get('reward')) as RewardType));
      onRedeemed();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="Redeem points" id="redeem">
      <p class="hint">One point is worth one cent. You have {formatNumber(available)} points to spend.</p>
      <form onSubmit={submit}>
        <Field id="redeem-amount" label="Points to redeem" type="number" required min={1} max={Math.max(1, available)} step={1} inputMode="numeric" />
        <fieldset>
          <legend>Reward</legend>
          <label class="choice">
            <input type="radio" name="reward" value="discount-code" defaultChecked /> Discount code
          </label>
          <label class="choice">
            <input type="radio" name="reward" value="service-credit" /> Service credit
          </label>
        </fieldset>
        <LiveMessage error={error} />
        <button type="submit" disabled={busy || available < 1}>
          {busy ? 'Redeeming…' : 'Redeem'}
        </button>
      </form>
      <div aria-live="polite">
        {result ? (
          <div class="reward">
            <Alert kind="success">
              Redeemed {formatNumber(-result.transaction.amount)} points for {formatMoney(result.reward.value)}
              {result.reward.type === 'discount-code' ? ' off your next order.' : ' of service credit.'}
            </Alert>
            {result.reward.code ? (
              <div class="discount">
                <span class="muted small">Your discount code</span>
                <code class="discount-code" data-testid="discount-code">
                  {result.reward.code}
                </code>
                <CopyButton text={result.reward.code} label="Copy code" />
              </div>
            ) : null}
          </div>
        ) : null}
      </div>
    </Card>
  );
}
