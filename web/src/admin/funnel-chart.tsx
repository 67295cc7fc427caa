import { formatNumber } from '../format';

/** Horizontal bars, widest step first; plain HTML so screen readers read a list of numbers. */
export function FunnelChart({ steps }: { steps: Array<{ label: string; value: number }> }) {
  const max = Math.max(1, ...steps.map((s) => s.value));
  return (
    <ol class="funnel">
      {steps.map((s) => (
        <li key={s.label}>
          <span class="funnel-label">{s.label}</span>
          <span class="funnel-bar" aria-hidden="true">
            <span style={{ width: `${Math.max(s.value ? 2 : 0, (s.value / max) * 100)}%` }} />
          </span>
          <span class="funnel-value" data-testid={`funnel-${s.label}`}>
            {formatNumber(s.value)}
          </span>
        </li>
      ))}
    </ol>
  );
}
