import { formatDateTime, formatMoney, formatNumber } from '../format';

export type RuleField =
  | 'refereeBonus'
  | 'referrerBonus'
  | 'commissionPercent'
  | 'secondLevelPercent'
  | 'minPurchaseAmount'
  | 'commissionWindowMonths'
  | 'holdingDays'
  | 'maxCommissionPerReferral';

interface RuleFieldSpec {
  name: RuleField;
  /** In a version's summary. */
  term: string;
  /** On the form. */
  label: string;
  hint: string;
  /** Percentages take 2 decimals; everything else is a whole number. */
  step: number;
  max: number;
  /** How a value reads in a version's summary. */
  show: (v: number | null) => string;
}

const points = (v: number | null) => (v === null ? 'no cap' : `${formatNumber(v)} points`);
const percent = (v: number | null) => `${v ?? 0} %`;

/** The fields of a version in API.md's order, with the bounds CreateRewardRulesDto enforces. */
export const RULE_FIELDS: RuleFieldSpec[] = [
  { name: 'refereeBonus', term: 'Referee bonus', label: 'Referee bonus (points)', hint: "For the referee's first completed purchase; 0 to 1,000,000.", step: 1, max: 1_000_000, show: points },
  { name: 'referrerBonus', term: 'Referrer bonus', label: 'Referrer bonus (points)', hint: 'For the referrer on that purchase; 0 to 1,000,000.', step: 1, max: 1_000_000, show: points },
  { name: 'commissionPercent', term: 'Commission', label: 'Commission (%)', hint: 'Of every purchase, 1 point per cent; 0 to 100, 2 decimals at most.', step: 0.01, max: 100, show: percent },
  { name: 'secondLevelPercent', term: 'Second-level commission', label: 'Second-level commission (%)', hint: "For the referrer's own referrer; 0 to 100.", step: 0.01, max: 100, show: percent },
  { name: 'minPurchaseAmount', term: 'Minimum first purchase', label: 'Minimum first purchase (cents)', hint: 'Smaller first purchases earn no bonuses.', step: 1, max: 1_000_000_000, show: (v) => formatMoney(v ?? 0) },
  {
    name: 'commissionWindowMonths',
    term: 'Commission window',
    label: 'Commission window (months)',
    hint: "Commissions only within this many months of the referee's sign-up; 0 = forever.",
    step: 1,
    max: 1200,
    show: (v) => (v ? `${formatNumber(v)} months` : 'forever'),
  },
  { name: 'holdingDays', term: 'Holding period', label: 'Holding period (days)', hint: 'Awards stay pending this long before they can be spent; 0 to 365.', step: 1, max: 365, show: (v) => (v ? `${formatNumber(v)} days` : 'none') },
  {
    name: 'maxCommissionPerReferral',
    term: 'Commission cap per referee',
    label: 'Commission cap per referee (points, optional)',
    hint: 'The most commission one referee can earn its referrer; empty = no cap.',
    step: 1,
    max: 1_000_000_000,
    show: points,
  },
];

/**
 * Sorts a 400's messages by the field they name: the server's messages start with the field
 * ("commissionPercent must be …"), which is shown beside the field as "Must be …". What names no
 * known field (an unknown property, say) is returned in `other`.
 */
export function fieldErrors<K extends string>(messages: string[], fields: readonly K[]): { byField: Partial<Record<K, string>>; other: string[] } {
  const byField: Partial<Record<K, string>> = {};
  const other: string[] = [];
  for (const message of messages) {
    const field = fields.find((f) => message === f || message.startsWith(`${f} `));
    if (!field) {
      other.push(message);
      continue;
    }
    const rest = message.slice(field.length).trim();
    const text = rest ? rest[0].toUpperCase() + rest.slice(1) : 'Invalid value';
    byField[field] = byField[field] ? `${byField[field]}; ${rest}` : text;
  }
  return { byField, other };
}

/** The seeded version 1 takes effect at the epoch, so that it covers every purchase made before any change. */
export function isFromTheStart(effectiveFrom: string): boolean {
  return Date.parse(effectiveFrom) <= 0;
}

export function sinceText(effectiveFrom: string): string {
  return isFromTheStart(effectiveFrom) ? 'the start' : formatDateTime(effectiveFrom);
}
