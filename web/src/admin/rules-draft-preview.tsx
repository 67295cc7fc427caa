import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { RewardPreviewAward } from '../api/types';
import { formatMoney, formatNumber } from '../format';
import { RULE_FIELDS, type RuleField } from './rules-fields';
import { who } from './rules-preview';

const AMOUNT = 10_000;
const CURRENCY = 'USD';
/** Typing pauses this long before the form's values are previewed. */
const SETTLE_MS = 300;

type State = { kind: 'incomplete' } | { kind: 'invalid' } | { kind: 'failed' } | { kind: 'ready'; awards: RewardPreviewAward[] };
type Draft = Record<string, number | null> | 'incomplete' | 'invalid';

/** The form's values as draft rules, or why they are none: out of the bounds the server enforces is not sent. */
function draftOf(values: Record<RuleField, string>): Draft {
  const rules: Record<string, number | null> = {};
  for (const f of RULE_FIELDS) {
    const text = values[f.name].trim();
    if (!text) {
      if (f.name !== 'maxCommissionPerReferral') return 'incomplete';
      rules[f.name] = null;
      continue;
    }
    const n = Number(text);
    const scaled = n / f.step;
    if (!Number.isFinite(n) || n < 0 || n > f.max || Math.abs(scaled - Math.round(scaled)) > 1e-9) return 'invalid';
    rules[f.name] = n;
  }
  return rules;
}

/** The new-version form's values, run by the server's own rule function (preview with draft `rules`) as they are typed. */
export function RulesDraftPreview({ values }: { values: Record<RuleField, string> }) {
  const [state, setState] = useState<State>({ kind: 'incomplete' });
  const draft = draftOf(values);
  const key = JSON.stringify(draft);

  useEffect(() => {
    if (typeof draft === 'string') {
      setState({ kind: draft });
      return;
    }
    let current = true;
    const timer = setTimeout(async () => {
      try {
        const preview = await api.previewRewards({ amount: AMOUNT, currency: CURRENCY, firstPurchase: true, rules: draft });
        if (current) setState({ kind: 'ready', awards: preview.awards });
      } catch (err) {
        if (current) setState({ kind: err instanceof ApiError && err.status === 400 ? 'invalid' : 'failed' });
      }
    }, SETTLE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key]);

  const purchase = `A ${formatMoney(AMOUNT, CURRENCY)} first purchase`;
  return (
    <div class="draft-preview" aria-live="polite" data-testid="draft-preview">
      <h3>Live preview</h3>
      {state.kind === 'incomplete' ? <p class="hint">Fill in every field to see what {purchase.toLowerCase()} earns under these rules.</p> : null}
      {state.kind === 'invalid' ? <p class="hint">Some values are out of range; the fields' hints say what they take.</p> : null}
      {state.kind === 'failed' ? <p class="hint">The preview is not available right now.</p> : null}
      {state.kind === 'ready' ? (
        state.awards.length === 0 ? (
          <p>{purchase} earns nothing under these rules.</p>
        ) : (
          <>
            <p>
              {purchase} under these rules earns {formatNumber(state.awards.reduce((sum, a) => sum + a.points, 0))} points in all:
            </p>
            <ul class="draft-awards">
              {state.awards.map((a) => (
                <li key={`${a.role}-${a.level}`}>
                  {who(a)}: <strong>{formatNumber(a.points)}</strong>
                  {a.heldUntil ? ' (held)' : ''}
                </li>
              ))}
            </ul>
          </>
        )
      ) : null}
    </div>
  );
}
