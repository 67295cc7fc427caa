import { useState } from 'preact/hooks';
import { api, ApiError, errorMessage } from '../api/client';
import type { RewardPreview, RewardPreviewAward, RewardRulesList } from '../api/types';
import { formatDateTime, formatMoney, formatNumber } from '../format';
import { LiveMessage } from '../ui/alert';
import { Card } from '../ui/card';
import { Field } from '../ui/field';
import { fieldErrors } from './rules-fields';

type PreviewField = 'amount' | 'currency' | 'version';
const PREVIEW_FIELDS: PreviewField[] = ['amount', 'currency', 'version'];

const WHO: Record<string, string> = {
  'referee-0': 'Referee (the buyer): first-purchase bonus',
  'referrer-1': 'Referrer: first-purchase bonus',
  'commission-1': 'Referrer: commission',
  'commission-2': "Referrer's referrer: second-level commission",
};
export const who = (a: RewardPreviewAward) => WHO[`${a.role}-${a.level}`] ?? `${a.role} (level ${a.level})`;

function money(cents: number, currency: string): string | null {
  try {
    return formatMoney(cents, currency);
  } catch {
    // Intl refuses a currency code it does not know; the server says what is wrong with it.
    return null;
  }
}

/** POST /api/admin/reward-rules/preview: what one purchase by a referred user earns under a version. */
export function RulesPreview({ list }: { list: RewardRulesList }) {
  const [amount, setAmount] = useState('10000');
  const [currency, setCurrency] = useState('USD');
  const [firstPurchase, setFirstPurchase] = useState(true);
  const [version, setVersion] = useState('');
  const [result, setResult] = useState<{ preview: RewardPreview; amount: number; currency: string; firstPurchase: boolean } | null>(null);
  const [errors, setErrors] = useState<Partial<Record<PreviewField, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const versions = [...list.scheduled.slice().reverse(), ...(list.active ? [list.active] : []), ...list.history];
  // A version withdrawn since it was chosen is no longer offered: fall back to the one in force.
  const chosen = versions.some((v) => String(v.version) === version) ? version : '';
  const cents = Number(amount);
  const shown = amount.trim() && Number.isInteger(cents) && cents > 0 ? money(cents, currency.trim().toUpperCase()) : null;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!amount.trim()) {
      setErrors({ amount: 'Enter the purchase amount in cents.' });
      setError(null);
      document.getElementById('preview-amount')?.focus();
      return;
    }
    const body = { amount: cents, currency: currency.trim().toUpperCase(), firstPurchase, ...(chosen ? { version: Number(chosen) } : {}) };
    setBusy(true);
    try {
      const preview = await api.previewRewards(body);
      setResult({ preview, amount: body.amount, currency: body.currency, firstPurchase });
      setErrors({});
      setError(null);
    } catch (err) {
      setResult(null);
      if (err instanceof ApiError && err.status === 400) {
        const { byField, other } = fieldErrors(err.details, PREVIEW_FIELDS);
        setErrors(byField);
        setError(other.length ? other.join(' ') : 'Check the highlighted fields.');
        const first = PREVIEW_FIELDS.find((f) => byField[f]);
        if (first) document.getElementById(`preview-${first}`)?.focus();
      } else {
        setErrors({});
        setError(errorMessage(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const total = result?.preview.awards.reduce((sum, a) => sum + a.points, 0) ?? 0;

  return (
    <Card title="Preview" id="rules-preview">
      <form onSubmit={submit} noValidate>
        <p class="hint">What one purchase by a referred user (whose referrer was referred too) earns, signed up today.</p>
        <Field
          id="preview-amount"
          label="Purchase amount (cents)"
          hint={shown ? `= ${shown}` : 'In the smallest unit of the currency.'}
          error={errors.amount}
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          required
          value={amount}
          onInput={(e) => setAmount(e.currentTarget.value)}
        />
        <Field
          id="preview-currency"
          label="Currency"
          hint="ISO 4217, such as USD or EUR."
          error={errors.currency}
          maxLength={3}
          autoComplete="off"
          class="short"
          required
          value={currency}
          onInput={(e) => setCurrency(e.currentTarget.value)}
        />
        <label class="choice preview-first">
          <input type="checkbox" checked={firstPurchase} onChange={(e) => setFirstPurchase(e.currentTarget.checked)} />
          The referee's first purchase (earns the bonuses)
        </label>
        <div class={errors.version ? 'field field-invalid' : 'field'}>
          <label for="preview-version">Version</label>
          <select id="preview-version" value={chosen} onChange={(e) => setVersion(e.currentTarget.value)} aria-invalid={errors.version ? true : undefined}>
            <option value="">The one in force now{list.active ? ` (version ${list.active.version})` : ''}</option>
            {versions.map((v) => (
              <option key={v.version} value={String(v.version)}>
                Version {v.version}
                {v === list.active ? ' (in force)' : list.scheduled.includes(v) ? ' (scheduled)' : ' (superseded)'}
              </option>
            ))}
          </select>
          {errors.version ? <small class="field-error">{errors.version}</small> : null}
        </div>
        <LiveMessage error={error} />
        {/* aria-disabled, not disabled: a disabled button drops the keyboard focus to the page. */}
        <button type="submit" aria-disabled={busy}>
          {busy ? 'Calculating…' : 'Preview awards'}
        </button>
      </form>
      <div aria-live="polite">
        {result ? (
          <div class="preview-result" data-testid="preview-result">
            <h3>
              Version {result.preview.version}: {money(result.amount, result.currency) ?? `${formatNumber(result.amount)} ${result.currency}`}
              {result.firstPurchase ? ', first purchase' : ', a later purchase'}
            </h3>
            {result.preview.awards.length === 0 ? (
              <p class="empty">Nothing: {result.firstPurchase ? 'below the minimum first purchase and no commission' : 'no commission'} under this version.</p>
            ) : (
              <div class="table-wrap">
                <table class="awards">
                  <thead>
                    <tr>
                      <th scope="col">Who earns</th>
                      <th scope="col" class="num">
                        Points
                      </th>
                      <th scope="col">Spendable</th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.preview.awards.map((a) => (
                      <tr key={`${a.role}-${a.level}`}>
                        <td>{who(a)}</td>
                        <td class="num">{formatNumber(a.points)}</td>
                        <td>{a.heldUntil ? `from ${formatDateTime(a.heldUntil)}` : 'at once'}</td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr>
                      <th scope="row">Total</th>
                      <td class="num">{formatNumber(total)}</td>
                      <td />
                    </tr>
                  </tfoot>
                </table>
              </div>
            )}
          </div>
        ) : null}
      </div>
    </Card>
  );
}
